// Members-only boards and threads: a visitor gets a 403 that names nothing of them, by every route
// (the page, ?_data=, history, feeds, search, profiles), while members read them as any other.
// Every hidden word starts with "zqmo", so one check finds any of them anywhere in a response.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { boards, moderationLog, threads } from "../db/schema.ts";
import { linkArticleToThread } from "~/models/article-related.server.ts";
import { getArticle } from "~/models/articles.server.ts";
import { moveThread } from "~/models/moderation-threads.server.ts";
import { setThreadReaders } from "~/models/thread-readers.server.ts";
import * as readers_ from "~/routes/threads.$threadId_.readers.tsx";
import { getThreadPage } from "~/models/threads.server.ts";
import { createThread as postThread } from "~/models/posts.server.ts";
import { isSavable } from "~/models/saved.server.ts";
import { searchForum, type SearchOutcome } from "~/models/search.server.ts";
import { setBoardAccess } from "~/models/boards.server.ts";
import * as adminBoards from "~/routes/admin.boards.tsx";
import * as board from "~/routes/boards.$slug._index.tsx";
import * as feed from "~/routes/boards.$slug.feed.tsx";
import * as history from "~/routes/posts.$postId.history.tsx";
import * as home from "~/routes/_index.tsx";
import * as profile from "~/routes/u.$username.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import * as transparency from "~/routes/transparency.tsx";
import { remixHandler } from "./document.ts";
import { call, createReply, createThread, member, statusOf } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const HIDDEN = /zqmo/i;

const send = remixHandler({
  "routes/boards.$slug._index": { path: "boards/:slug", module: board },
  "routes/threads.$threadId": { path: "threads/:threadId", module: thread },
  "routes/posts.$postId.history": { path: "posts/:postId/history", module: history },
  "routes/u.$username": { path: "u/:username", module: profile },
});

let admin: M, moderator: M, author: M, reader: M;
let membersThread: { threadId: number; postId: number };
let keptThread: { threadId: number; postId: number };
let openThread: { threadId: number; postId: number };

async function addBoard(slug: string) {
  await transaction((tx) => tx.insert(boards).values({ slug, name: `Board ${slug}`, description: "A board for these tests.", position: 99 }));
}

function threadTitles(outcome: SearchOutcome) {
  return outcome.status === "ok" ? outcome.threads.map((t) => t.threadId) : [];
}

beforeAll(async () => {
  [admin, moderator, author, reader] = [
    await member("moadmin", "admin"),
    await member("momod", "moderator"),
    await member("moauthor"),
    await member("moreader"),
  ];
  await addBoard("mo-members");
  await addBoard("mo-choice");
  await setBoardAccess(as(admin), "mo-members", "members");
  await setBoardAccess(as(admin), "mo-choice", "author-choice");
  membersThread = await createThread(author, "mo-members", { title: "Zqmotitle in the members board", body: "zqmobody about a bad night" });
  const kept = await postThread(author, "mo-choice", { title: "Zqmokept thread title", body: "zqmokept words", readers: "members" });
  const open = await postThread(author, "mo-choice", {
    title: "An open thread about calf cramps",
    body: "Stretching helps me, glimmerstretch.",
    readers: "everyone",
  });
  if (!kept.ok || !open.ok) throw new Error("not posted");
  keptThread = kept;
  openThread = open;
  await createReply(author, keptThread.threadId, "zqmoreply glimmerstretch in the kept thread");
});

describe("board access", () => {
  it("is the admin's to set, logged and on the transparency page", async () => {
    expect(await statusOf(setBoardAccess(as(moderator), "mo-choice", "members"))).toBe(403);
    expect(await statusOf(setBoardAccess(as(author), "mo-choice", "members"))).toBe(403);
    expect(await statusOf(setBoardAccess(as(admin), "mo-choice", "secret"))).toBe(400);
    const [row] = await db.select({ access: boards.access }).from(boards).where(eq(boards.slug, "mo-choice"));
    expect(row!.access).toBe("author-choice");
    const logged = await db.select({ reason: moderationLog.reason }).from(moderationLog).where(eq(moderationLog.action, "board.access"));
    expect(logged.map((l) => l.reason)).toContain("Board mo-members: Only members can read it");
    const page = await (await call(transparency.loader, "/transparency")).json();
    expect(JSON.stringify(page)).toContain("Board mo-members: Only members can read it");
  });

  it("is changed through the admin page, which only admins open", async () => {
    expect((await call(adminBoards.loader, "/admin/boards", { cookie: moderator.cookie })).status).toBe(403);
    const saved = await call(adminBoards.action, "/admin/boards", { cookie: admin.cookie, form: { board: "mo-choice", access: "author-choice" } });
    expect(saved.headers.get("Location")).toBe("/admin/boards?saved=mo-choice");
    const page = await (await call(adminBoards.loader, "/admin/boards?saved=mo-choice", { cookie: admin.cookie })).json();
    expect(page.saved).toBe("Board mo-choice");
    expect(page.boards).toContainEqual({ slug: "mo-members", name: "Board mo-members", access: "members" });
  });
});

describe("a members-only board", () => {
  it("is a 403 for a visitor, page and data, naming nothing in it", async () => {
    const page = await send("/boards/mo-members");
    expect(page.response.status).toBe(403);
    expect(page.text).toContain("This is for members of the forum. Log in or sign up to read it.");
    expect(page.text).not.toMatch(HIDDEN);
    const data = await send("/boards/mo-members?_data=routes%2Fboards.%24slug._index");
    expect(data.response.status).toBe(403);
    expect(data.text).not.toMatch(HIDDEN);
    expect((await call(feed.loader, "/boards/mo-members/feed", { params: { slug: "mo-members" } })).status).toBe(403);
  });

  it("is read by members as any board", async () => {
    const page = await send("/boards/mo-members", { cookie: reader.cookie });
    expect(page.response.status).toBe(200);
    expect(page.text).toContain("Zqmotitle in the members board");
    expect(page.text).toContain("Only members of the forum can read this board.");
  });

  it("keeps its threads, their history and their words from visitors", async () => {
    for (const path of [
      `/threads/${membersThread.threadId}`,
      `/threads/${membersThread.threadId}?_data=routes%2Fthreads.%24threadId`,
      `/posts/${membersThread.postId}/history`,
    ]) {
      const res = await send(path);
      expect(res.response.status, path).toBe(403);
      expect(res.text, path).not.toMatch(HIDDEN);
    }
    expect(await statusOf(getThreadPage(membersThread.threadId, 1, null))).toBe(403);
  });

  it("shows members its threads, marked noindex", async () => {
    const page = await send(`/threads/${membersThread.threadId}`, { cookie: reader.cookie });
    expect(page.response.status).toBe(200);
    expect(page.text).toContain("zqmobody about a bad night");
    expect(page.text).toContain('<meta name="robots" content="noindex"/>');
    expect(page.text).toContain("Members only");
  });
});

describe("a thread its author kept to members", () => {
  it("must say who reads it where the board lets its author choose, and only there", async () => {
    const unchosen = await postThread(author, "mo-choice", { title: "Forgot to choose", body: "Some words here." });
    expect(unchosen).toEqual({ ok: false, errors: { readers: "Choose who can read this thread: only members, or everyone." } });
    const elsewhere = await postThread(author, "fibromyalgia", { title: "In an open board", body: "Words for everyone.", readers: "members" });
    if (!elsewhere.ok) throw new Error("not posted");
    const [row] = await db.select({ membersOnly: threads.membersOnly }).from(threads).where(eq(threads.id, elsewhere.threadId));
    expect(row!.membersOnly).toBe(false);
  });

  it("is left out of a visitor's board page, and counted out of its pages", async () => {
    const res = await call(board.loader, "/boards/mo-choice", { params: { slug: "mo-choice" } });
    const data = await res.json();
    expect(data.threads.map((t: { id: number }) => t.id)).toEqual([openThread.threadId]);
    expect(data.pageCount).toBe(1);
    const asMember = await (await call(board.loader, "/boards/mo-choice", { cookie: reader.cookie, params: { slug: "mo-choice" } })).json();
    expect(asMember.threads.map((t: { id: number }) => t.id).sort()).toEqual([keptThread.threadId, openThread.threadId].sort());
    expect(asMember.threads.find((t: { id: number }) => t.id === keptThread.threadId).membersOnly).toBe(true);
  });

  it("is counted out of a visitor's home page, with its activity", async () => {
    type Listed = { slug: string; threadCount: number; lastPostAt: string | null };
    const listed = async (cookie?: string) =>
      ((await (await call(home.loader, "/", { cookie })).json()).boards as Listed[]).find((b) => b.slug === "mo-choice")!;
    const [choice] = await db.select().from(boards).where(eq(boards.slug, "mo-choice"));
    const [open] = await db.select({ lastPostAt: threads.lastPostAt }).from(threads).where(eq(threads.id, openThread.threadId));
    const visitor = await listed();
    expect(visitor.threadCount).toBe(choice!.threadCount - 1);
    expect(visitor.lastPostAt).toBe(open!.lastPostAt.toISOString());
    const asMember = await listed(reader.cookie);
    expect(asMember.threadCount).toBe(choice!.threadCount);
    expect(asMember.lastPostAt).toBe(choice!.lastPostAt!.toISOString());
  });

  it("is a 403 for a visitor and open to members", async () => {
    const visitor = await send(`/threads/${keptThread.threadId}`);
    expect(visitor.response.status).toBe(403);
    expect(visitor.text).not.toMatch(HIDDEN);
    expect((await send(`/threads/${keptThread.threadId}`, { cookie: reader.cookie })).text).toContain("zqmokept words");
  });

  it("is not found by a visitor's search, and is by a member's", async () => {
    const visitor = await searchForum({ q: "glimmerstretch" });
    expect(threadTitles(visitor)).toEqual([openThread.threadId]);
    expect(JSON.stringify(visitor)).not.toMatch(HIDDEN);
    expect(threadTitles(await searchForum({ q: "zqmokept" }))).toEqual([]);
    const asMember = await searchForum({ q: "glimmerstretch", viewer: as(reader) });
    expect(threadTitles(asMember).sort()).toEqual([keptThread.threadId, openThread.threadId].sort());
  });

  it("is absent from the board's feed and from the author's profile for visitors", async () => {
    const atom = await (await call(feed.loader, "/boards/mo-choice/feed", { params: { slug: "mo-choice" } })).text();
    expect(atom).toContain("An open thread about calf cramps");
    expect(atom).not.toMatch(HIDDEN);
    const visitor = await send(`/u/${author.username}`);
    expect(visitor.response.status).toBe(200);
    expect(visitor.text).not.toMatch(HIDDEN);
    const asMember = await send(`/u/${author.username}`, { cookie: reader.cookie });
    expect(asMember.text).toMatch(HIDDEN);
  });

  it("stays members-only when its board opens to everyone", async () => {
    await setBoardAccess(as(admin), "mo-choice", "everyone");
    try {
      expect((await send(`/threads/${keptThread.threadId}`)).response.status).toBe(403);
      const data = await (await call(board.loader, "/boards/mo-choice", { params: { slug: "mo-choice" } })).json();
      expect(data.threads.map((t: { id: number }) => t.id)).toEqual([openThread.threadId]);
    } finally {
      await setBoardAccess(as(admin), "mo-choice", "author-choice");
    }
  });

  it("is not listed under an article it discusses for visitors", async () => {
    await linkArticleToThread(as(moderator), keptThread.threadId, "ms-spasticity-and-spasms");
    const titles = async (viewer: M | null) => (await getArticle(viewer && as(viewer), "ms-spasticity-and-spasms")).threads.map((t) => t.title);
    expect(await titles(reader)).toContain("Zqmokept thread title");
    expect((await titles(null)).join(" ")).not.toMatch(HIDDEN);
  });

  it("stays members-only when a moderator moves it to an open board", async () => {
    const moved = await createThread(author, "mo-members", { title: "Zqmomoved from the members board", body: "zqmomoved words" });
    await moveThread(as(moderator), moved.threadId, "fibromyalgia");
    expect((await send(`/threads/${moved.threadId}`)).response.status).toBe(403);
    expect((await send(`/threads/${moved.threadId}`, { cookie: reader.cookie })).response.status).toBe(200);
  });

  it("is the author's to keep to members or open, and no one else's", async () => {
    const open = await postThread(author, "mo-choice", { title: "Open at first", body: "Zqmolater words.", readers: "everyone" });
    if (!open.ok) throw new Error("not posted");
    const flip = (m: M, readers: string) =>
      call(readers_.action, `/threads/${open.threadId}/readers`, { cookie: m.cookie, form: { readers }, params: { threadId: String(open.threadId) } });
    expect((await flip(reader, "members")).status).toBe(403);
    expect((await flip(moderator, "members")).status).toBe(403);
    expect((await flip(author, "secret")).status).toBe(400);
    expect((await send(`/threads/${open.threadId}`)).response.status).toBe(200);
    expect((await flip(author, "members")).headers.get("Location")).toBe(`/threads/${open.threadId}#readers`);
    expect((await send(`/threads/${open.threadId}`)).response.status).toBe(403);
    await flip(author, "everyone");
    expect((await send(`/threads/${open.threadId}`)).response.status).toBe(200);
    // Where the board decides, an author can't keep a thread to members.
    const elsewhere = await createThread(author, "fibromyalgia", { title: "In an open board again", body: "Words for everyone." });
    expect(await statusOf(setThreadReaders(as(author), elsewhere.threadId, "members"))).toBe(403);
  });

  it("can be saved by a member", async () => {
    expect(await isSavable(as(reader), keptThread.postId)).toBe(true);
  });
});
