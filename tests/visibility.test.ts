import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { reports } from "../db/schema.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { listDrafts, replyDraftKey, saveDraft } from "~/models/drafts.server.ts";
import { removePost } from "~/models/moderation-posts.server.ts";
import { removeThread } from "~/models/moderation-threads.server.ts";
import { listNotifications } from "~/models/notifications.server.ts";
import { deletePost } from "~/models/posts.server.ts";
import * as editRoute from "~/routes/posts.$postId.edit.tsx";
import * as evidenceRoute from "~/routes/posts.$postId.evidence.tsx";
import * as historyRoute from "~/routes/posts.$postId.history.tsx";
import * as modPostRoute from "~/routes/posts.$postId.moderate.tsx";
import * as reactRoute from "~/routes/posts.$postId.react.tsx";
import * as reportRoute from "~/routes/posts.$postId.report.tsx";
import * as saveRoute from "~/routes/posts.$postId.save.tsx";
import * as threadRoute from "~/routes/threads.$threadId.tsx";
import { call, createReply, createThread, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

const TITLE = "Spasms and my private diary";
const OPENING = "Opening words only its author should still read";
const REPLY = "A reply from inside the thread";
const REASON = "Personal information";

type Loader = Parameters<typeof call>[0];

/** A loader as the page asks it, and as `?_data=` asks it (what a client navigation fetches). */
async function both(loader: Loader, path: string, route: string, postId: number, who: M | null) {
  const params = { postId: String(postId) };
  const cookie = who?.cookie;
  const page = await call(loader, path, { cookie, params });
  const data = await call(loader, `${path}?_data=${encodeURIComponent(route)}`, { cookie, params });
  return [
    { status: page.status, text: await page.text() },
    { status: data.status, text: await data.text() },
  ];
}

const history = (postId: number, who: M | null) => both(historyRoute.loader, `/posts/${postId}/history`, "routes/posts.$postId.history", postId, who);
const report = (postId: number, who: M | null) => both(reportRoute.loader, `/posts/${postId}/report`, "routes/posts.$postId.report", postId, who);
const edit = (postId: number, who: M | null) => both(editRoute.loader, `/posts/${postId}/edit`, "routes/posts.$postId.edit", postId, who);
const evidence = (postId: number, who: M) => both(evidenceRoute.loader, `/posts/${postId}/evidence`, "routes/posts.$postId.evidence", postId, who);
const moderate = (postId: number, who: M) => both(modPostRoute.loader, `/posts/${postId}/moderate`, "routes/posts.$postId.moderate", postId, who);

function expectGone(answers: { status: number; text: string }[], status: number, ...hidden: string[]) {
  for (const answer of answers) {
    expect(answer.status).toBe(status);
    for (const words of hidden) expect(answer.text).not.toContain(words);
  }
}

function expectShown(answers: { status: number; text: string }[], ...shown: string[]) {
  for (const answer of answers) {
    expect(answer.status).toBe(200);
    for (const words of shown) expect(answer.text).toContain(words);
  }
}

async function people() {
  return { alice: await member(), bob: await member(), carol: await member(), mod: await member(undefined, "moderator") };
}

/** Alice's thread with Bob's reply, then a moderator removes the whole thread. */
async function removedThread() {
  const who = await people();
  const opening = await createThread(as(who.alice), "night-leg-cramps", { title: TITLE, body: OPENING });
  const reply = await createReply(as(who.bob), opening.threadId, REPLY);
  return { ...who, threadId: opening.threadId, openingId: opening.postId, replyId: reply.postId };
}

describe("a removed thread", () => {
  it("answers 410 for a post's history to visitors and members, without its title or words", async () => {
    const { alice, bob, carol, mod, threadId, openingId, replyId } = await removedThread();
    await removeThread(as(mod), threadId, REASON);
    for (const who of [null, carol, bob]) {
      const answers = await history(openingId, who);
      expectGone(answers, 410, TITLE, OPENING);
      for (const answer of answers) expect(answer.text).toContain(REASON);
    }
    // A reply's author is a member here too: the thread is gone for him, his reply's history with it.
    expectGone(await history(replyId, bob), 410, TITLE, REPLY);
    expectShown(await history(openingId, alice), TITLE, OPENING);
    expectShown(await history(replyId, mod), TITLE, REPLY);
  });

  it("answers 410 for the report form to members, and names the thread only to its author and staff", async () => {
    const { alice, bob, carol, mod, threadId, openingId, replyId } = await removedThread();
    await removeThread(as(mod), threadId, REASON);
    expectGone(await report(openingId, carol), 410, TITLE);
    expectGone(await report(openingId, bob), 410, TITLE);
    expectShown(await report(replyId, alice), TITLE);
    expectShown(await report(replyId, mod), TITLE);
    // Sending the report is refused the same way, and files nothing.
    const sent = await call(reportRoute.action, `/posts/${openingId}/report`, {
      cookie: carol.cookie,
      params: { postId: String(openingId) },
      form: { reason: "spam" },
    });
    expect(sent.status).toBe(410);
    expect(await db.select().from(reports).where(eq(reports.postId, openingId))).toEqual([]);
  });

  it("answers 410 for the edit form to a reply's author, while the thread's author still edits", async () => {
    const { alice, bob, carol, mod, threadId, openingId, replyId } = await removedThread();
    await removeThread(as(mod), threadId, REASON);
    expectGone(await edit(replyId, bob), 410, TITLE, REPLY);
    expectGone(await edit(openingId, carol), 410, TITLE, OPENING);
    expectShown(await edit(openingId, alice), TITLE, OPENING);
    // Visitors are sent to log in first, with nothing of the post.
    for (const answer of await edit(openingId, null)) {
      expect(answer.status).toBe(302);
      expect(answer.text).not.toContain(OPENING);
    }
  });

  it("offers a quote only to those who may read the thread", async () => {
    const { alice, carol, mod, threadId, replyId } = await removedThread();
    await removeThread(as(mod), threadId, REASON);
    const quoting = (who: M) =>
      call(threadRoute.loader, `/threads/${threadId}?replyTo=${replyId}&quote=1`, { cookie: who.cookie, params: { threadId: String(threadId) } });
    const refused = await quoting(carol);
    expect(refused.status).toBe(410);
    expect(await refused.text()).not.toContain(REPLY);
    const page = await (await quoting(alice)).json();
    expect(page.quote).toContain(`> ${REPLY}`);
  });

  it("sends no one on from the react and save links, and lets nothing save or react", async () => {
    const { alice, carol, mod, threadId, replyId } = await removedThread();
    await removeThread(as(mod), threadId, REASON);
    const params = { postId: String(replyId) };
    for (const loader of [reactRoute.loader, saveRoute.loader]) {
      expect((await call(loader, `/posts/${replyId}/save`, { params })).status).toBe(410);
      expect((await call(loader, `/posts/${replyId}/save`, { cookie: carol.cookie, params })).status).toBe(410);
      expect((await call(loader, `/posts/${replyId}/save`, { cookie: alice.cookie, params })).status).toBe(302);
    }
    const save = await call(saveRoute.action, `/posts/${replyId}/save`, { cookie: carol.cookie, params, form: { intent: "save" } });
    expect(save.status).toBe(410);
    // Its author may read it, but a bookmark or a reaction is for what members can read.
    const react = await call(reactRoute.action, `/posts/${replyId}/react`, { cookie: alice.cookie, params, form: { add: "helpful" } });
    expect(react.status).toBe(403);
  });

  it("is not named in a member's notifications, drafts or export once they can't open it", async () => {
    const { alice, bob, carol, mod, threadId, replyId } = await removedThread();
    await saveDraft(as(carol), replyDraftKey(threadId), { body: "My half-written answer" });
    await removePost(as(mod), replyId, "Off-topic");
    await removeThread(as(mod), threadId, REASON);

    const notices = (await listNotifications(bob.id, 1)).items;
    expect(notices.map((n) => n.text)).toEqual([`A moderator removed your post. Reason: Off-topic`]);
    expect(JSON.stringify(notices)).not.toContain(TITLE);
    // Alice's own thread keeps its name for her.
    expect((await listNotifications(alice.id, 1)).items.find((n) => n.text?.includes("removed your thread"))?.threadTitle).toBe(TITLE);

    const [draft] = await listDrafts(as(carol));
    expect(draft).toMatchObject({ where: "Reply to a thread that was removed", href: null, excerpt: "My half-written answer" });
    expect(JSON.stringify(draft)).not.toContain(TITLE);

    const exported = await exportUserData(as(bob));
    expect(exported.posts).toMatchObject([{ id: replyId, bodyMarkdown: REPLY, threadTitle: null }]);
    expect(exported.following).toMatchObject([{ threadId, title: null }]);
    expect(JSON.stringify(exported)).not.toContain(TITLE);
    expect((await exportUserData(as(alice))).posts).toMatchObject([{ threadTitle: TITLE }]);
  });
});

describe("a removed post in a live thread", () => {
  it("keeps its words from members and visitors, with the reason, and shows them to its author and staff", async () => {
    const { alice, bob, carol, mod, openingId, replyId } = await removedThread();
    await removePost(as(mod), replyId, REASON);
    for (const who of [null, carol, alice]) {
      const answers = await history(replyId, who);
      expectGone(answers, 404, REPLY);
      for (const answer of answers) expect(answer.text).toContain(REASON);
    }
    expectShown(await history(replyId, bob), REPLY);
    expectShown(await history(replyId, mod), REPLY);
    expectShown(await moderate(replyId, mod), REPLY);
    expectShown(await evidence(replyId, mod), REPLY);
    // Reporting it names the live thread, never the words.
    expectShown(await report(replyId, carol), TITLE);
    expectGone(await report(replyId, carol), 200, REPLY);
    expectShown(await history(openingId, carol), OPENING);
  });
});

describe("a deleted post", () => {
  it("shows its words to nobody: not its author, not staff", async () => {
    const { bob, carol, mod, threadId, replyId } = await removedThread();
    await deletePost(as(bob), replyId);
    for (const who of [null, carol, bob, mod]) expectGone(await history(replyId, who), 404, REPLY);
    expectGone(await report(replyId, carol), 404, REPLY);
    expectGone(await edit(replyId, bob), 403, REPLY);
    const modPage = await moderate(replyId, mod);
    expectShown(modPage, TITLE);
    expectGone(modPage, 200, REPLY);
    expectGone(await evidence(replyId, mod), 200, REPLY);
    const quote = await (
      await call(threadRoute.loader, `/threads/${threadId}?replyTo=${replyId}&quote=1`, { cookie: carol.cookie, params: { threadId: String(threadId) } })
    ).json();
    expect(quote.quote).toBeNull();
    expect(JSON.stringify(quote)).not.toContain(REPLY);
  });
});
