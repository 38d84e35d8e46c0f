import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { drafts, threads, users } from "../db/schema.ts";
import { replyDraftKey, threadDraftKey } from "~/models/drafts.server.ts";
import * as boardRoute from "~/routes/boards.$slug._index.tsx";
import * as newThread from "~/routes/boards.$slug.new.tsx";
import * as modMember from "~/routes/mod.members.$username.tsx";
import * as threadRoute from "~/routes/threads.$threadId.tsx";
import { remixHandler } from "./document.ts";
import { call, createThread, member } from "./helpers.ts";

const BOARD = "medications";
const DAY = 86_400_000;

async function silenced(duration: "7d" | "permanent", reason = "Several personal attacks in one evening") {
  const mod = await member(undefined, "moderator");
  const quiet = await member();
  const res = await call(modMember.action, `/mod/members/${quiet.username}`, {
    cookie: mod.cookie,
    params: { username: quiet.username },
    form: { intent: "silence", duration, reason },
  });
  expect(res.status).toBe(302);
  return quiet;
}

/** A thread someone else started, for the member under test to reply to. */
async function aThread() {
  return (await createThread(await member(), BOARD, { title: "Night cramps after swimming", body: "Anyone else?" })).threadId;
}

async function draftOf(userId: number, key: string) {
  const [draft] = await db
    .select({ title: drafts.title, body: drafts.body })
    .from(drafts)
    .where(and(eq(drafts.userId, userId), eq(drafts.key, key)))
    .limit(1);
  return draft;
}

const pages = remixHandler({
  "routes/boards.$slug._index": { path: "boards/:slug", module: boardRoute },
  "routes/boards.$slug.new": { path: "boards/:slug/new", module: newThread },
  "routes/threads.$threadId": { path: "threads/:threadId", module: threadRoute },
});

describe("a silenced member, where they would write", () => {
  it("is told why and until when on the board, the new-thread page and the thread, instead of a form", async () => {
    const quiet = await silenced("7d");
    const threadId = await aThread();
    const loaders = [
      await call(boardRoute.loader, `/boards/${BOARD}`, { cookie: quiet.cookie, params: { slug: BOARD } }),
      await call(newThread.loader, `/boards/${BOARD}/new`, { cookie: quiet.cookie, params: { slug: BOARD } }),
      await call(threadRoute.loader, `/threads/${threadId}`, { cookie: quiet.cookie, params: { threadId: String(threadId) } }),
    ];
    for (const res of loaders) {
      const { readOnly } = await res.json();
      expect(readOnly.reason).toBe("Several personal attacks in one evening");
      expect(new Date(readOnly.until).getTime()).toBeGreaterThan(Date.now() + 6 * DAY);
      expect(new Date(readOnly.until).getTime()).toBeLessThanOrEqual(Date.now() + 7 * DAY);
    }

    const board = await pages(`/boards/${BOARD}`, { cookie: quiet.cookie });
    expect(board.text).toContain("Your account is read-only until");
    expect(board.text).toContain("Several personal attacks in one evening");
    expect(board.text).not.toContain("Start a thread");
    const form = await pages(`/boards/${BOARD}/new`, { cookie: quiet.cookie });
    expect(form.text).toContain("Several personal attacks in one evening");
    expect(form.text).not.toMatch(/<textarea[^>]*name="body"/);
    expect(form.text).not.toContain("Post thread");
    const thread = await pages(`/threads/${threadId}`, { cookie: quiet.cookie });
    expect(thread.text).toContain("Several personal attacks in one evening");
    expect(thread.text).not.toMatch(/<textarea[^>]*name="body"/);
    expect(thread.text).not.toContain("Post reply");
  });

  it("hears that a silence without an end lasts until a moderator lifts it", async () => {
    const quiet = await silenced("permanent");
    const { readOnly } = await (await call(boardRoute.loader, `/boards/${BOARD}`, { cookie: quiet.cookie, params: { slug: BOARD } })).json();
    expect(readOnly).toEqual({ reason: "Several personal attacks in one evening", until: null });
    const board = await pages(`/boards/${BOARD}`, { cookie: quiet.cookie });
    expect(board.text).toContain("Your account is read-only until a moderator lifts it");
  });

  it("is not shown a notice when free to write", async () => {
    const free = await member();
    const { readOnly } = await (await call(boardRoute.loader, `/boards/${BOARD}`, { cookie: free.cookie, params: { slug: BOARD } })).json();
    expect(readOnly).toBeNull();
    expect((await pages(`/boards/${BOARD}`, { cookie: free.cookie })).text).toContain("Start a thread");
  });

  it("who posts anyway (a form open from before) gets a 403 that keeps the text as their draft", async () => {
    const quiet = await silenced("7d");
    const threadId = await aThread();
    const reply = await call(threadRoute.action, `/threads/${threadId}`, {
      cookie: quiet.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "post", body: "What I wrote before I knew." },
    });
    expect(reply.status).toBe(403);
    expect(await reply.json()).toMatchObject({
      values: { body: "What I wrote before I knew." },
      refused: { kept: true },
      errors: { form: expect.stringContaining("read-only") },
    });
    expect(await draftOf(quiet.id, replyDraftKey(threadId))).toEqual({ title: null, body: "What I wrote before I knew." });

    const started = await call(newThread.action, `/boards/${BOARD}/new`, {
      cookie: quiet.cookie,
      params: { slug: BOARD },
      form: { intent: "post", title: "Magnesium timing", body: "Morning or night?" },
    });
    expect(started.status).toBe(403);
    expect(await started.json()).toMatchObject({ values: { title: "Magnesium timing", body: "Morning or night?" }, refused: { kept: true } });
    expect(await draftOf(quiet.id, threadDraftKey(BOARD))).toEqual({ title: "Magnesium timing", body: "Morning or night?" });
  });
});

describe("a reply refused after the thread was locked mid-typing", () => {
  it("answers 403 with the text kept, and without JavaScript the page is still the member's, saying so", async () => {
    const writer = await member();
    await transaction((tx) => tx.update(users).set({ theme: "dark" }).where(eq(users.id, writer.id)));
    const threadId = await aThread();
    await transaction((tx) => tx.update(threads).set({ lockedAt: new Date(), lockReason: "Going in circles" }).where(eq(threads.id, threadId)));
    const body = "Three paragraphs, typed between cramps.";

    const data = await call(threadRoute.action, `/threads/${threadId}`, {
      cookie: writer.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "post", body },
    });
    expect(data.status).toBe(403);
    expect(await data.json()).toMatchObject({
      values: { body },
      refused: { kept: true },
      errors: { form: "This thread is locked, so new replies are closed." },
    });

    const page = await pages(`/threads/${threadId}`, { cookie: writer.cookie, form: { intent: "post", body } });
    expect(page.response.status).toBe(403);
    expect(page.text).toContain(`Signed in as\u00a0<strong>${writer.username}</strong>`);
    expect(page.text).toContain('data-theme="dark"');
    expect(page.text).toContain("This thread is locked, so new replies are closed.");
    expect(page.text).toContain("Your text is kept as a draft");
    expect(page.text).toMatch(new RegExp(`<textarea[^>]*readOnly[^>]*>${body}</textarea>`, "i"));
    expect(page.text).not.toContain("Post reply");
    expect(await draftOf(writer.id, replyDraftKey(threadId))).toEqual({ title: null, body });
  });

  it("keeps the page and says where the text is when the thread was removed instead", async () => {
    const writer = await member();
    await transaction((tx) => tx.update(users).set({ theme: "dark" }).where(eq(users.id, writer.id)));
    const threadId = await aThread();
    await transaction((tx) => tx.update(threads).set({ removedAt: new Date(), removalReason: "Spam" }).where(eq(threads.id, threadId)));
    const page = await pages(`/threads/${threadId}`, { cookie: writer.cookie, form: { intent: "post", body: "Gone before I finished." } });
    // Gone (the loader, after the action's 404): the status is the thread's, the page still the member's.
    expect([404, 410]).toContain(page.response.status);
    expect(page.text).toContain(`<strong>${writer.username}</strong>`);
    expect(page.text).toContain('data-theme="dark"');
    expect(page.text).toContain("Your text is kept as a draft");
    expect(await draftOf(writer.id, replyDraftKey(threadId))).toEqual({ title: null, body: "Gone before I finished." });
  });
});
