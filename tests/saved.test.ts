import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { usesPostgres } from "../db/dialect.ts";
import { db, sqlite, transaction } from "../db/client.ts";
import { posts, savedPosts, threads } from "../db/schema.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { getSavedPostIds, listSavedPosts, SAVED_PER_PAGE, savePost, unsavePost } from "~/models/saved.server.ts";
import * as saveRoute from "~/routes/posts.$postId.save.tsx";
import * as savedPage from "~/routes/saved.tsx";
import * as threadRoute from "~/routes/threads.$threadId.tsx";
import { call, createReply, createThread, member, statusOf } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

function rowsOf(userId: number) {
  return db.select().from(savedPosts).where(eq(savedPosts.userId, userId));
}

function send(who: M | null, postId: number, intent: string) {
  return call(saveRoute.action, `/posts/${postId}/save`, { cookie: who?.cookie, params: { postId: String(postId) }, form: { intent } });
}

/** The SQL a model call prepares on the read connection, with SQLite's plan for each statement. */
async function plansOf(fn: () => Promise<unknown>) {
  // Raw SQLite: query plans are SQLite's own, and reads run on the reader connection.
  const client = sqlite.reader;
  const prepare = client.prepare.bind(client);
  const seen: string[] = [];
  client.prepare = ((source: string) => {
    seen.push(source);
    return prepare(source);
  }) as typeof client.prepare;
  try {
    await fn();
  } finally {
    client.prepare = prepare as typeof client.prepare;
  }
  return seen.map((source) => ({
    source,
    // Any values do: the plan depends on the query's shape, not on the numbers bound.
    plan: (prepare(`EXPLAIN QUERY PLAN ${source}`).all(...Array.from(source.matchAll(/\?/g), () => 1)) as { detail: string }[]).map((r) => r.detail).join("\n"),
  }));
}

describe("saving posts", () => {
  it("saves once however often it is pressed, unsaves, and returns to the post's anchor", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId, postId } = await createThread(as(author), "fibromyalgia", { title: "Calf stretch that works", body: "Against the wall, 30 s." });
    const first = await send(reader, postId, "save");
    expect(first.status).toBe(302);
    expect(first.headers.get("Location")).toBe(`/threads/${threadId}?page=1#post-${postId}`);
    await send(reader, postId, "save");
    await savePost(as(reader), postId);
    expect(await rowsOf(reader.id)).toHaveLength(1);
    // Members may keep their own posts too.
    await savePost(as(author), postId);
    expect(await rowsOf(author.id)).toHaveLength(1);
    const off = await send(reader, postId, "unsave");
    expect(off.headers.get("Location")).toBe(`/threads/${threadId}?page=1#post-${postId}`);
    expect(await rowsOf(reader.id)).toEqual([]);
    expect(await statusOf(unsavePost(as(reader), postId))).toBe("no error");
  });

  it("refuses visitors in the model and sends them to log in from the route", async () => {
    const author = await member();
    const { postId } = await createThread(as(author), "fibromyalgia", { title: "Magnesium at night", body: "Helped me a bit." });
    expect(await statusOf(savePost(null, postId))).toBe(403);
    expect(await statusOf(listSavedPosts(undefined, 1))).toBe(403);
    const res = await send(null, postId, "save");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    expect(await db.select().from(savedPosts).where(eq(savedPosts.postId, postId))).toEqual([]);
    const page = await call(savedPage.loader, "/saved");
    expect(page.headers.get("Location")).toBe("/login?redirectTo=%2Fsaved");
  });

  it("can't save a removed or deleted post, a post in a removed thread, or one that doesn't exist", async () => {
    const [author, reader, mod] = [await member(), await member(), await member(undefined, "moderator")];
    const { threadId, postId } = await createThread(as(author), "fibromyalgia", { title: "Warm bath before bed", body: "Ten minutes." });
    const removed = await createReply(as(author), threadId, "Removed later.");
    const deleted = await createReply(as(author), threadId, "Deleted later.");
    await transaction(async (tx) => {
      await tx.update(posts).set({ removedAt: new Date(), removalReason: "spam" }).where(eq(posts.id, removed.postId));
      await tx.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted.postId));
    });
    expect(await statusOf(savePost(as(reader), removed.postId))).toBe(403);
    expect(await statusOf(savePost(as(reader), deleted.postId))).toBe(403);
    expect(await statusOf(savePost(as(reader), 999_999))).toBe(404);
    await transaction((tx) => tx.update(threads).set({ removedAt: new Date(), removalReason: "off topic" }).where(eq(threads.id, threadId)));
    // Gone for members, as the thread page says (410); staff may read it, but a bookmark is for
    // what members can read.
    expect(await statusOf(savePost(as(reader), postId))).toBe(410);
    expect(await statusOf(savePost(as(mod), postId))).toBe(403);
    expect(await rowsOf(reader.id)).toEqual([]);
  });
});

describe("the saved list", () => {
  it("pages newest saved first, with the thread, board, author, a plain-text excerpt and a link", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId, postId: opening } = await createThread(as(author), "night-leg-cramps", {
      title: "What stops a 3 a.m. cramp",
      body: "**Flex the foot** up, then [walk](https://example.org) a little.\n\n<b>not html</b>",
    });
    const replies: number[] = [];
    for (let i = 0; i < SAVED_PER_PAGE + 4; i++) replies.push((await createReply(as(author), threadId, `Tip number ${i + 1}`)).postId);
    const ids = [opening, ...replies];
    const start = Date.now() - 100_000;
    for (const [i, id] of ids.entries()) {
      await savePost(as(reader), id);
      // Distinct save times, in the order saved: the opening post is the oldest.
      await transaction((tx) =>
        tx
          .update(savedPosts)
          .set({ createdAt: new Date(start + i * 1000) })
          .where(and(eq(savedPosts.userId, reader.id), eq(savedPosts.postId, id))),
      );
    }

    const first = await listSavedPosts(as(reader), 1);
    expect(first.total).toBe(ids.length);
    expect(first.pageCount).toBe(2);
    expect(first.items.map((i) => i.postId)).toEqual([...ids].reverse().slice(0, SAVED_PER_PAGE));
    const second = await listSavedPosts(as(reader), 2);
    expect(second.items.map((i) => i.postId)).toEqual([...ids].reverse().slice(SAVED_PER_PAGE));
    // A page past the end (after unsaving the last item on it) shows the last page.
    expect((await listSavedPosts(as(reader), 9)).page).toBe(2);

    const last = second.items.at(-1)!;
    expect(last).toMatchObject({
      available: true,
      postId: opening,
      number: 1,
      threadTitle: "What stops a 3 a.m. cramp",
      boardSlug: "night-leg-cramps",
      author: author.username,
      href: `/threads/${threadId}?page=1#post-${opening}`,
      excerpt: "Flex the foot up, then walk a little. <b>not html</b>",
    });
    // Shown as text by React, never as markup: the page gets the words, escaped.
    const res = await call(savedPage.loader, "/saved?page=2", { cookie: reader.cookie });
    expect((await res.json()).items.at(-1).excerpt).toBe("Flex the foot up, then walk a little. <b>not html</b>");
  });

  it("keeps a post removed or deleted since as 'no longer available', without its words, and it can be unsaved", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId, postId } = await createThread(as(author), "fibromyalgia", { title: "Pacing on bad days", body: "Rest before you crash." });
    const reply = await createReply(as(author), threadId, "Secret words that were removed.");
    await savePost(as(reader), postId);
    await savePost(as(reader), reply.postId);
    await transaction((tx) => tx.update(posts).set({ removedAt: new Date(), removalReason: "spam" }).where(eq(posts.id, reply.postId)));
    let items = (await listSavedPosts(as(reader), 1)).items;
    expect(items.find((i) => i.postId === reply.postId)).toEqual({ available: false, postId: reply.postId, savedAt: expect.any(Date) });
    expect(items.find((i) => i.postId === postId)).toMatchObject({ available: true });

    await transaction((tx) => tx.update(threads).set({ removedAt: new Date(), removalReason: "off topic" }).where(eq(threads.id, threadId)));
    items = (await listSavedPosts(as(reader), 1)).items;
    expect(items.every((i) => !i.available)).toBe(true);
    expect(JSON.stringify(items)).not.toContain("Pacing");

    // Unsave from /saved stays on the list's page; "Save it again" is offered only for a live post.
    const res = await call(savedPage.action, "/saved", { cookie: reader.cookie, form: { intent: "unsave", postId: String(reply.postId), page: "1" } });
    expect(res.headers.get("Location")).toBe(`/saved?page=1&unsaved=${reply.postId}#saved-heading`);
    const after = await (await call(savedPage.loader, `/saved?page=1&unsaved=${reply.postId}`, { cookie: reader.cookie })).json();
    expect(after.unsaved).toBeNull();
    expect(after.items.map((i: { postId: number }) => i.postId)).toEqual([postId]);
  });

  it("offers to save a just-unsaved live post again", async () => {
    const [author, reader] = [await member(), await member()];
    const { postId } = await createThread(as(author), "fibromyalgia", { title: "Stretching in bed", body: "Knees to chest." });
    await savePost(as(reader), postId);
    await call(savedPage.action, "/saved", { cookie: reader.cookie, form: { intent: "unsave", postId: String(postId), page: "1" } });
    const page = await (await call(savedPage.loader, `/saved?unsaved=${postId}`, { cookie: reader.cookie })).json();
    expect(page).toMatchObject({ unsaved: postId, items: [] });
    const again = await call(savedPage.action, "/saved", { cookie: reader.cookie, form: { intent: "save", postId: String(postId), page: "1" } });
    expect(again.headers.get("Location")).toBe("/saved?page=1");
    expect((await rowsOf(reader.id)).map((r) => r.postId)).toEqual([postId]);
  });

  // Query plans are SQLite's; PostgreSQL plans by its table statistics, on the same indexes (schema-drift test).
  it.skipIf(usesPostgres())("reads the list and the thread page's saved set with indexes, never a scan of saved_posts", async () => {
    const reader = await member();
    const plans = await plansOf(async () => {
      await listSavedPosts(as(reader), 1);
      await getSavedPostIds(reader.id, [1, 2, 3]);
    });
    const onSaved = plans.filter((p) => p.source.includes('"saved_posts"'));
    expect(onSaved).toHaveLength(3);
    for (const { plan } of onSaved) {
      expect(plan).toMatch(/SEARCH (saved_posts|"saved_posts") USING (COVERING )?INDEX|SEARCH saved_posts USING PRIMARY KEY/);
      expect(plan).not.toMatch(/SCAN saved_posts|USE TEMP B-TREE/);
    }
  });
});

describe("the thread page", () => {
  it("marks the posts on the page the viewer saved, and nothing for visitors", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId, postId } = await createThread(as(author), "fibromyalgia", { title: "Cold or heat?", body: "Heat for me." });
    const reply = await createReply(as(author), threadId, "Cold after exercise.");
    await savePost(as(reader), reply.postId);
    const load = (cookie?: string) =>
      call(threadRoute.loader, `/threads/${threadId}`, { cookie, params: { threadId: String(threadId) } }).then((r) => r.json());
    expect((await load(reader.cookie)).savedPostIds).toEqual([reply.postId]);
    expect((await load(author.cookie)).savedPostIds).toEqual([]);
    expect((await load()).savedPostIds).toEqual([]);
    expect(await getSavedPostIds(reader.id, [postId, reply.postId])).toEqual([reply.postId]);
  });
});

describe("the member's own data", () => {
  it("exports saved posts with their link, and account deletion removes them", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId, postId } = await createThread(as(author), "fibromyalgia", { title: "Sleep positions", body: "Pillow under knees." });
    await savePost(as(reader), postId);
    const exported = await exportUserData(reader);
    expect(exported.savedPosts).toEqual([{ postId, savedAt: expect.any(Date), link: `/threads/${threadId}?page=1#post-${postId}` }]);
    const result = await deleteAccount(reader, { password: "correct horse battery", keepPosts: true });
    expect(result.ok).toBe(true);
    expect(await rowsOf(reader.id)).toEqual([]);
  });
});
