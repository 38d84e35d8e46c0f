// First-post review (docs/decisions/034): on a board that asks for it, a new member's first posts
// wait for a moderator. Held, a post is there for its author and staff only: not on any page,
// list, count, search (the index included), feed, profile, notification or quote. A moderator
// approves it (published as if just posted) or returns it with a note. Every held word starts
// with "zqfp", so one check finds any of them anywhere in a response.
import { and, eq, sql as query } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it } from "vitest";
import { db, sqlite, transaction } from "../db/client.ts";
import { usesPostgres } from "../db/dialect.ts";
import { boards, moderationLog, notifications, postRevisions, posts, reports, threads } from "../db/schema.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { watchBoard } from "~/models/board-watches.server.ts";
import { blockMember } from "~/models/blocks.server.ts";
import { getStartGate } from "~/models/conversations.server.ts";
import { followThread } from "~/models/follows.server.ts";
import { lockThread } from "~/models/moderation-threads.server.ts";
import { createReply as reply, createThread as startThread, deletePost, editPost, undeletePost } from "~/models/posts.server.ts";
import { addReaction } from "~/models/reactions.server.ts";
import { listReportQueue, reportPost } from "~/models/reports.server.ts";
import { listReviewQueue, setBoardReview } from "~/models/review.server.ts";
import { savePost } from "~/models/saved.server.ts";
import { searchForum } from "~/models/search.server.ts";
import { getQuotablePost } from "~/models/threads.server.ts";
import * as adminBoards from "~/routes/admin.boards.tsx";
import * as board from "~/routes/boards.$slug._index.tsx";
import * as feed from "~/routes/boards.$slug.feed.tsx";
import * as history from "~/routes/posts.$postId.history.tsx";
import * as modReview from "~/routes/mod.review.tsx";
import * as profile from "~/routes/u.$username.tsx";
import * as tagFeed from "~/routes/tags.$slug.feed.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import * as transparency from "~/routes/transparency.tsx";
import { remixHandler } from "./document.ts";
import { call, createReply, createThread, member, statusOf } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const HIDDEN = /zqfp/i;
const BOARD = "fp-review";

const send = remixHandler({
  "routes/threads.$threadId": { path: "threads/:threadId", module: thread },
  "routes/posts.$postId.history": { path: "posts/:postId/history", module: history },
  "routes/u.$username": { path: "u/:username", module: profile },
  "routes/mod.review": { path: "mod/review", module: modReview },
});

let admin: M, moderator: M, regular: M, watcher: M, newbie: M;
let open: { threadId: number; postId: number };
let heldThread: { threadId: number; postId: number };
let heldReply: { threadId: number; postId: number; number: number };
let secondHeld: { postId: number; number: number };

async function held(actor: M, body: string, threadId = open.threadId) {
  const result = await reply(actor, threadId, body);
  if (!result.ok || !result.held) throw new Error(`not held: ${JSON.stringify(result)}`);
  return result;
}
const row = async (postId: number) => (await db.select().from(posts).where(eq(posts.id, postId)))[0]!;
const threadRow = async (id: number) => (await db.select().from(threads).where(eq(threads.id, id)))[0]!;
const boardRow = async () => (await db.select().from(boards).where(eq(boards.slug, BOARD)))[0]!;
const notified = async (userId: number) => db.select().from(notifications).where(eq(notifications.userId, userId));
const page = async (id: number, viewer?: M) => send(`/threads/${id}`, { cookie: viewer?.cookie });
const review = (m: M, form: Record<string, string>) => call(modReview.action, "/mod/review", { cookie: m.cookie, form });

/** Ids the search index returns for a word: FTS5's own index on SQLite, search_vector on PostgreSQL. */
async function indexed(table: "posts" | "threads", word: string) {
  if (!usesPostgres()) {
    const fts = `${table}_fts`;
    return (sqlite.reader.prepare(`SELECT rowid AS id FROM ${fts} WHERE ${fts} MATCH ?`).all(word) as { id: number }[]).map((r) => r.id);
  }
  const pg = db as unknown as NodePgDatabase;
  const found = await pg.execute(query`select id from ${query.identifier(table)} where search_vector @@ plainto_tsquery('unclench', ${word})`);
  return (found.rows as { id: number }[]).map((r) => r.id);
}
const found = async (q: string, viewer: M | null) => {
  const outcome = await searchForum({ q, viewer: viewer && as(viewer) });
  return outcome.status === "ok" ? outcome.threads.map((t) => t.threadId) : [];
};

beforeAll(async () => {
  [admin, moderator, regular, watcher, newbie] = [
    await member("fpadmin", "admin"),
    await member("fpmod", "moderator"),
    await member("fpregular"),
    await member("fpwatcher"),
    await member("fpnewbie"),
  ];
  await transaction((tx) => tx.insert(boards).values({ slug: BOARD, name: "Board fp", description: "For these tests.", position: 97 }));
  // Established before the board starts reviewing: two published posts each.
  for (const m of [regular, watcher]) {
    const first = await createThread(m, "fibromyalgia", { title: `Hello from ${m.username}`, body: "First words." });
    await createReply(m, first.threadId, "Second words.");
  }
  await setBoardReview(as(admin), BOARD, "2");
  open = await createThread(regular, BOARD, { title: "Calf cramps at night", body: "What helps you?" });
  await followThread(as(watcher), open.threadId);
  await watchBoard(as(regular), BOARD);
});

describe("the board setting", () => {
  it("is the admin's, from 0 to 10, and logged for all to see", async () => {
    expect(await statusOf(setBoardReview(as(moderator), BOARD, "3"))).toBe(403);
    expect(await statusOf(setBoardReview(as(regular), BOARD, "3"))).toBe(403);
    for (const bad of ["11", "-1", "two", " 2", "1.5", ""]) expect(await statusOf(setBoardReview(as(admin), BOARD, bad)), bad).toBe(400);
    expect((await boardRow()).reviewFirstPosts).toBe(2);
    const logged = await db.select({ reason: moderationLog.reason }).from(moderationLog).where(eq(moderationLog.action, "board.review"));
    expect(logged.map((l) => l.reason)).toEqual(["Board fp: A new member's first 2 posts wait for a moderator"]);
    expect(JSON.stringify(await (await call(transparency.loader, "/transparency")).json())).toContain("first 2 posts wait for a moderator");
  });

  it("is saved from /admin/boards, beside who can read the board", async () => {
    expect((await call(adminBoards.loader, "/admin/boards", { cookie: moderator.cookie })).status).toBe(403);
    const saved = await call(adminBoards.action, "/admin/boards", { cookie: admin.cookie, form: { intent: "review", board: BOARD, reviewFirstPosts: "2" } });
    expect(saved.headers.get("Location")).toBe(`/admin/boards?saved=${BOARD}&setting=review`);
    const data = await (await call(adminBoards.loader, `/admin/boards?saved=${BOARD}&setting=review`, { cookie: admin.cookie })).json();
    expect(data.review[BOARD]).toBe(2);
    expect(data.review.fibromyalgia).toBe(0);
    expect(data.savedReview).toBe(true);
  });
});

describe("who waits", () => {
  it("is a member with fewer than N published posts, counted forum-wide; never staff", async () => {
    const first = await startThread(newbie, BOARD, { title: "Zqfpthread title here", body: "zqfpopening words @fpwatcher", tags: ["baclofen"] });
    if (!first.ok) throw new Error("not posted");
    expect(first).toMatchObject({ held: true, number: 1, page: 1 });
    heldThread = first;
    expect((await threadRow(first.threadId)).heldAt).not.toBeNull();
    expect((await row(first.postId)).heldAt).not.toBeNull();
    // A held post is not published: the next still waits.
    heldReply = await held(newbie, "zqfpreply words for @fpwatcher");
    expect(heldReply.number).toBeLessThan(1);
    secondHeld = await held(newbie, "zqfpsecond held reply");
    expect(secondHeld.number).toBe(heldReply.number - 1);
    const staff = await reply(as(moderator), open.threadId, "Reply from a moderator.");
    expect(staff.ok && staff.held).toBe(false);
    // Two posts elsewhere (a board that doesn't review) count here too.
    const settled = await member("fpsettled");
    const elsewhere = await createThread(settled, "fibromyalgia", { title: "Settled in", body: "One." });
    await createReply(settled, elsewhere.threadId, "Two.");
    const result = await reply(as(settled), open.threadId, "Three, published at once.");
    expect(result.ok && result.held).toBe(false);
  });
});

describe("a held thread", () => {
  it("is a 404 to visitors and members, page, data and history, naming nothing of it", async () => {
    for (const viewer of [undefined, regular, watcher]) {
      for (const path of [
        `/threads/${heldThread.threadId}`,
        `/threads/${heldThread.threadId}?_data=routes%2Fthreads.%24threadId`,
        `/posts/${heldThread.postId}/history`,
      ]) {
        const res = await send(path, { cookie: viewer?.cookie });
        expect(res.response.status, path).toBe(404);
        expect(res.text, path).not.toMatch(HIDDEN);
      }
    }
  });

  it("is shown to its author, marked and closed to replies, and to moderators", async () => {
    const mine = await page(heldThread.threadId, newbie);
    expect(mine.response.status).toBe(200);
    expect(mine.text).toContain("zqfpopening words");
    expect(mine.text).toContain("Waiting for a moderator.");
    expect(mine.text).toContain("Replies open once it is published.");
    expect((await page(heldThread.threadId, moderator)).text).toContain(`/mod/review#review-${heldThread.postId}`);
    expect(await statusOf(reply(as(newbie), heldThread.threadId, "zqfp more"))).toBe(403);
    expect(await statusOf(reply(as(moderator), heldThread.threadId, "Hello"))).toBe(403);
    expect(await statusOf(lockThread(as(moderator), heldThread.threadId, "Wait"))).toBe(409);
  });

  it("is in no list, count, feed, profile or search, and the index holds none of it", async () => {
    const asMember = await (await call(board.loader, `/boards/${BOARD}`, { cookie: regular.cookie, params: { slug: BOARD } })).json();
    expect(asMember.threads.map((t: { id: number }) => t.id)).toEqual([open.threadId]);
    // The open thread, a moderator's reply and a settled member's: nothing held is counted.
    expect(await boardRow()).toMatchObject({ threadCount: 1, postCount: 3 });
    expect(await (await call(feed.loader, `/boards/${BOARD}/feed`, { params: { slug: BOARD } })).text()).not.toMatch(HIDDEN);
    expect(await (await call(tagFeed.loader, "/tags/baclofen/feed", { params: { slug: "baclofen" } })).text()).not.toMatch(HIDDEN);
    const seen = await send(`/u/${newbie.username}`, { cookie: regular.cookie });
    expect(seen.text).not.toMatch(HIDDEN);
    for (const viewer of [null, regular, moderator, newbie]) expect(await found("zqfpthread", viewer)).toEqual([]);
    expect(await found("zqfpopening", moderator)).toEqual([]);
    expect(await indexed("threads", "zqfpthread")).toEqual([]);
    expect(await indexed("posts", "zqfpopening")).toEqual([]);
  });
});

describe("a held reply", () => {
  it("moves no counter and notifies no one", async () => {
    expect(await threadRow(open.threadId)).toMatchObject({ replyCount: 2, postCount: 3 });
    const about = (n: { postId: number | null }) => n.postId === heldReply.postId || n.postId === heldThread.postId;
    expect((await notified(watcher.id)).filter(about)).toEqual([]);
    expect((await notified(regular.id)).filter(about)).toEqual([]);
  });

  it("is shown at the end of the thread to its author and moderators only", async () => {
    for (const viewer of [undefined, regular, watcher]) expect((await page(open.threadId, viewer)).text).not.toMatch(HIDDEN);
    const mine = (await page(open.threadId, newbie)).text;
    expect(mine.indexOf("zqfpreply words")).toBeGreaterThan(mine.indexOf("Reply from a moderator."));
    expect(mine).toContain("Until then only you and the moderators can see it");
    expect((await page(open.threadId, moderator)).text).toContain("zqfpreply words");
  });

  it("can't be quoted, reacted to, saved, reported or read by anyone else", async () => {
    expect(await getQuotablePost(as(newbie), open.threadId, heldReply.postId)).toBeNull();
    expect(await getQuotablePost(as(regular), open.threadId, heldReply.postId)).toBeNull();
    expect(await statusOf(addReaction(as(regular), heldReply.postId, "support"))).toBe(404);
    expect(await statusOf(addReaction(as(moderator), heldReply.postId, "support"))).toBe(403);
    expect(await statusOf(savePost(as(regular), heldReply.postId))).toBe(404);
    expect(await statusOf(reportPost(as(regular), heldReply.postId, { reason: "spam" }))).toBe(404);
    expect(await indexed("posts", "zqfpreply")).toEqual([]);
  });

  it("is edited by its author without a history or a ping, and keeps its place", async () => {
    const before = await row(heldReply.postId);
    await editPost(as(newbie), heldReply.postId, { body: "zqfpreply words, edited, for @fpwatcher and @fpregular" });
    const after = await row(heldReply.postId);
    expect(after).toMatchObject({ editedAt: null, heldAt: before.heldAt, number: before.number });
    expect(await db.select().from(postRevisions).where(eq(postRevisions.postId, heldReply.postId))).toEqual([]);
    expect((await notified(watcher.id)).filter((n) => n.postId === heldReply.postId)).toEqual([]);
  });
});

describe("at risk", () => {
  it("shows its author the crisis panel at once and reaches moderators first, in both queues", async () => {
    const worried = await member("fpworried");
    const res = await call(thread.action, `/threads/${open.threadId}`, {
      cookie: worried.cookie,
      form: { intent: "post", body: "zqfp I want to end my life some nights." },
      params: { threadId: String(open.threadId) },
    });
    const location = res.headers.get("Location")!;
    expect(location).toMatch(/[?&]support=1.*#crisis-panel-heading$/);
    const data = await (await call(thread.loader, location.split("#")[0]!, { cookie: worried.cookie, params: { threadId: String(open.threadId) } })).json();
    expect(data).toMatchObject({ showCrisisPanel: true, waitingOwn: true });
    const [post] = await db.select().from(posts).where(eq(posts.authorId, worried.id));
    expect(post!.heldAt).not.toBeNull();
    expect(await db.select({ reason: reports.reason }).from(reports).where(eq(reports.postId, post!.id))).toEqual([{ reason: "at-risk" }]);
    expect((await listReportQueue(as(moderator)))[0]).toMatchObject({ atRisk: true, post: { id: post!.id, heldAt: post!.heldAt } });
    const queue = await listReviewQueue(as(moderator));
    expect(queue[0]).toMatchObject({ id: post!.id, atRisk: true });
    // Then the longest-waiting.
    expect(queue.slice(1).map((p) => p.id)).toEqual([heldThread.postId, heldReply.postId, secondHeld.postId]);
  });
});

describe("the review queue", () => {
  it("is for moderators, and its open count is in their header", async () => {
    expect((await call(modReview.loader, "/mod/review", { cookie: regular.cookie })).status).toBe(403);
    expect((await review(regular, { intent: "approve", postId: String(heldReply.postId) })).status).toBe(403);
    const res = await send("/mod/review", { cookie: moderator.cookie });
    expect(res.text).toContain("Review (4 waiting)");
    expect(res.text).toContain("zqfpreply words, edited");
  });

  it("approves a reply: published as just posted, counted, and notifying as a new post would", async () => {
    const before = await threadRow(open.threadId);
    const res = await review(moderator, { intent: "approve", postId: String(heldReply.postId) });
    expect(res.headers.get("Location")).toBe("/mod/review?done=approved");
    const post = await row(heldReply.postId);
    expect(post).toMatchObject({ heldAt: null, number: before.postCount + 1 });
    expect(post.createdAt.getTime()).toBeGreaterThanOrEqual(before.lastPostAt.getTime());
    expect(await threadRow(open.threadId)).toMatchObject({ postCount: before.postCount + 1, replyCount: before.replyCount + 1, lastPosterId: newbie.id });
    expect((await notified(watcher.id)).filter((n) => n.postId === heldReply.postId).map((n) => n.kind)).toEqual(["mention"]);
    expect((await notified(regular.id)).filter((n) => n.postId === heldReply.postId).map((n) => n.kind)).toEqual(["mention"]);
    expect((await notified(newbie.id)).map((n) => n.text)).toContain("A moderator approved your post: everyone who can read the thread sees it now.");
    expect((await page(open.threadId, watcher)).text).toContain("zqfpreply words, edited");
    expect(await found("zqfpreply", null)).toEqual([open.threadId]);
    // Approving again changes nothing.
    await review(moderator, { intent: "approve", postId: String(heldReply.postId) });
    expect(
      await db
        .select()
        .from(moderationLog)
        .where(and(eq(moderationLog.action, "approve-post"), eq(moderationLog.targetId, heldReply.postId))),
    ).toHaveLength(1);
    // Kept off /transparency: it would name a new member under review.
    expect(JSON.stringify(await (await call(transparency.loader, "/transparency")).json())).not.toContain("approve-post");
  });

  it("returns a post with a note its author alone reads; editing sends it back", async () => {
    const postId = secondHeld.postId;
    const empty = await review(moderator, { intent: "return", postId: String(postId), reason: " " });
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors.reason).toBe("Say what the author should change; only they will read it.");
    const long = await review(moderator, { intent: "return", postId: String(postId), reason: "x".repeat(5000) });
    expect(long.status).toBe(400);
    expect((await long.json()).values.reason).toHaveLength(5000);
    const note = "Please leave out the name of your doctor.";
    expect((await review(moderator, { intent: "return", postId: String(postId), reason: note })).headers.get("Location")).toBe("/mod/review?done=returned");
    expect((await row(postId)).returnReason).toBe(note);
    expect(await db.select({ reason: moderationLog.reason }).from(moderationLog).where(eq(moderationLog.action, "return-post"))).toEqual([{ reason: note }]);
    expect((await notified(newbie.id)).map((n) => n.text).join(" ")).toContain(note);
    const theirs = (await page(open.threadId, newbie)).text;
    expect(theirs).toContain("Returned by a moderator:</strong> Please leave out");
    expect(theirs).toContain("Only you can see this post. Edit it to send it back for review, or delete it.");
    expect((await page(open.threadId, regular)).text).not.toContain("zqfpsecond");
    expect((await listReviewQueue(as(moderator))).map((p) => p.id)).not.toContain(postId);
    const late = await review(moderator, { intent: "approve", postId: String(postId) });
    expect(late.status).toBe(409);
    expect((await late.json()).errors.form).toMatch(/returned to its author meanwhile/);
    await editPost(as(newbie), postId, { body: "zqfpsecond held reply, without the name" });
    expect(await row(postId)).toMatchObject({ returnReason: null, editedAt: null });
    expect((await listReviewQueue(as(moderator))).map((p) => p.id)).toContain(postId);
  });

  it("won't publish a reply across a block made while it waited; it can be returned", async () => {
    const late = await member("fpblocked");
    const waitingReply = await held(late, "zqfpblocked words for the thread");
    await blockMember(as(regular), "fpblocked");
    const refused = await review(moderator, { intent: "approve", postId: String(waitingReply.postId) });
    expect(refused.status).toBe(409);
    expect((await refused.json()).errors.form).toMatch(/block now stands between/);
    expect(await row(waitingReply.postId)).toMatchObject({ heldAt: expect.any(Date), returnReason: null });
    expect((await page(open.threadId, regular)).text).not.toContain("zqfpblocked");
    const returned = await review(moderator, { intent: "return", postId: String(waitingReply.postId), reason: "The thread's starter can't be reached." });
    expect(returned.headers.get("Location")).toBe("/mod/review?done=returned");
  });

  it("leaves the queue when its author deletes it, and the counters never moved", async () => {
    const postId = secondHeld.postId;
    const counts = { thread: await threadRow(open.threadId), board: await boardRow() };
    await deletePost(as(newbie), postId);
    expect((await listReviewQueue(as(moderator))).map((p) => p.id)).not.toContain(postId);
    expect((await review(moderator, { intent: "approve", postId: String(postId) })).status).toBe(409);
    await undeletePost(as(newbie), postId);
    expect((await listReviewQueue(as(moderator))).map((p) => p.id)).toContain(postId);
    expect(await threadRow(open.threadId)).toMatchObject({ replyCount: counts.thread.replyCount, postCount: counts.thread.postCount });
    expect((await boardRow()).postCount).toBe(counts.board.postCount);
  });

  it("approves a thread: listed, counted, in the feed and the search", async () => {
    const before = await boardRow();
    await review(moderator, { intent: "approve", postId: String(heldThread.postId) });
    expect((await threadRow(heldThread.threadId)).heldAt).toBeNull();
    expect(await boardRow()).toMatchObject({ threadCount: before.threadCount + 1, postCount: before.postCount + 1 });
    expect((await page(heldThread.threadId)).response.status).toBe(200);
    expect(await (await call(feed.loader, `/boards/${BOARD}/feed`, { params: { slug: BOARD } })).text()).toContain("Zqfpthread title here");
    expect(await found("zqfpthread", null)).toEqual([heldThread.threadId]);
    expect(await indexed("posts", "zqfpopening")).toEqual([heldThread.postId]);
    // Members watching the board hear of it now, not when it was written.
    expect((await notified(regular.id)).filter((n) => n.postId === heldThread.postId).map((n) => n.kind)).toEqual(["thread"]);
  });

  it("refuses what isn't a review: unknown intents, odd ids, repeated fields", async () => {
    expect((await review(moderator, { intent: "publish", postId: String(heldThread.postId) })).status).toBe(400);
    expect((await review(moderator, { intent: "approve", postId: "1e3" })).status).toBe(404);
    expect((await review(moderator, { intent: "approve", postId: "999999" })).status).toBe(404);
    const repeated = new Request("http://localhost/mod/review", {
      method: "POST",
      headers: { Cookie: moderator.cookie },
      body: new URLSearchParams([
        ["intent", "approve"],
        ["postId", "1"],
        ["postId", "2"],
      ]),
    });
    expect(await statusOf(modReview.action({ request: repeated, params: {}, context: { nonce: "" } }))).toBe(400);
  });
});

describe("a member's own data", () => {
  it("exports their held post to them, and to no one else", async () => {
    const another = await member("fpanother");
    const waiting = await held(another, "zqfpexported words");
    const mine = (await exportUserData(another)).posts.find((p) => p.id === waiting.postId);
    expect(mine).toMatchObject({ bodyMarkdown: "zqfpexported words", returnedByModerator: null });
    expect(mine!.waitingForModeratorSince).not.toBeNull();
    expect(JSON.stringify(await exportUserData(regular))).not.toContain("zqfpexported");
    // Nor is it "up on the forum" for what published posts unlock, such as private conversations.
    expect(await getStartGate(as(another), new Date(Date.now() + 30 * 86_400_000))).toMatchObject({ open: false, postsToGo: 3 });
  });

  it("deleting the account leaves the board's counts true", async () => {
    const leaving = await member("fpleaving");
    await startThread(leaving, BOARD, { title: "Zqfpleaving thread", body: "zqfpleaving words" });
    const before = await boardRow();
    await deleteAccount(as(leaving), { password: "correct horse battery", keepPosts: false });
    expect(await boardRow()).toMatchObject({ threadCount: before.threadCount, postCount: before.postCount });
  });
});
