import { and, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { db } from "../db/client.ts";
import { boards, notifications, postRevisions, posts, reports, sessions, threads } from "../db/schema.ts";
import * as home from "~/routes/_index.tsx";
import * as board from "~/routes/boards.$slug._index.tsx";
import * as newThread from "~/routes/boards.$slug.new.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import * as editRoute from "~/routes/posts.$postId.edit.tsx";
import * as deleteRoute from "~/routes/posts.$postId.delete.tsx";
import * as history from "~/routes/posts.$postId.history.tsx";
import * as notFoundRoute from "~/routes/$.tsx";
import { getUser } from "~/utils/auth.server.ts";
import { call, member } from "./helpers.ts";

async function startThread(cookie: string, title = "Calf cramps every night", body = "It starts around **3 a.m.**") {
  const res = await call(newThread.action, "/boards/night-leg-cramps/new", {
    cookie,
    params: { slug: "night-leg-cramps" },
    form: { intent: "post", title, body },
  });
  expect(res.status).toBe(302);
  return Number(res.headers.get("Location")!.match(/\/threads\/(\d+)/)![1]);
}

async function reply(cookie: string, threadId: number, body: string) {
  return call(thread.action, `/threads/${threadId}`, { cookie, params: { threadId: String(threadId) }, form: { intent: "post", body } });
}

describe("home page", () => {
  it("lists the six seeded boards with their counts", async () => {
    const data = await (await call(home.loader, "/")).json();
    expect(data.boards.map((b: { name: string }) => b.name)).toEqual([
      "MS spasticity & spasms",
      "Fibromyalgia",
      "Neuropathy & nerve-related cramps",
      "Night & leg cramps",
      "Medications & side effects",
      "Introductions & general",
    ]);
    expect(data.boards[0]).toMatchObject({ threadCount: 0, lastPostAt: null });
  });
});

describe("starting a thread", () => {
  it("sends a visitor to log in and back to the form", async () => {
    const res = await call(newThread.loader, "/boards/fibromyalgia/new", { params: { slug: "fibromyalgia" } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fboards%2Ffibromyalgia%2Fnew");
  });

  it("keeps the typed text and explains the problem when the title is too short", async () => {
    const alice = await member();
    const res = await call(newThread.action, "/boards/fibromyalgia/new", {
      cookie: alice.cookie,
      params: { slug: "fibromyalgia" },
      form: { intent: "post", title: "Hi", body: "My long story about flares." },
    });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.errors.title).toMatch(/at least 5/);
    expect(data.values).toEqual({ title: "Hi", body: "My long story about flares." });
    expect(await db.select().from(threads).where(eq(threads.authorId, alice.id))).toEqual([]);
  });

  it("previews the markdown without posting", async () => {
    const alice = await member();
    const res = await call(newThread.action, "/boards/fibromyalgia/new", {
      cookie: alice.cookie,
      params: { slug: "fibromyalgia" },
      form: { intent: "preview", title: "A preview title", body: "Hello **there**" },
    });
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.preview).toContain("<strong>there</strong>");
    expect(data.values.body).toBe("Hello **there**");
    expect(await db.select().from(threads).where(eq(threads.authorId, alice.id))).toEqual([]);
  });

  it("creates the thread, its opening post with stored safe HTML, and updates the board's counters", async () => {
    const alice = await member();
    const id = await startThread(alice.cookie, "Stretching before bed", "Try this <script>alert(1)</script> **stretch**");
    const post = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!;
    expect(post.bodyHtml).toContain("<strong>stretch</strong>");
    expect(post.bodyHtml).not.toMatch(/<script/i);
    expect(post.bodyMarkdown).toBe("Try this <script>alert(1)</script> **stretch**");
    const row = (await db.select().from(boards).where(eq(boards.slug, "night-leg-cramps")).limit(1))[0]!;
    expect(row.threadCount).toBeGreaterThanOrEqual(1);
    expect(row.lastPostAt).not.toBeNull();
  });

  it("404s for a board that does not exist", async () => {
    const alice = await member();
    const res = await call(newThread.action, "/boards/nope/new", {
      cookie: alice.cookie,
      params: { slug: "nope" },
      form: { intent: "post", title: "A valid title", body: "Body" },
    });
    expect(res.status).toBe(404);
  });
});

describe("thread page and replies", () => {
  it("shows the opening post and replies in order, and counts replies", async () => {
    const alice = await member();
    const bob = await member();
    const id = await startThread(alice.cookie);
    const res = await reply(bob.cookie, id, "Same here, magnesium did nothing for me.");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(new RegExp(`^/threads/${id}\\?page=1#post-\\d+$`));
    const data = await (await call(thread.loader, `/threads/${id}`, { params: { threadId: String(id) } })).json();
    expect(data.thread.replyCount).toBe(1);
    expect(data.posts.map((p: { author: string; number: number }) => [p.number, p.author])).toEqual([
      [1, alice.username],
      [2, bob.username],
    ]);
  });

  it("pages replies 50 at a time and sends a reply to the page it lands on", async () => {
    const alice = await member();
    const id = await startThread(alice.cookie);
    for (let i = 2; i <= 50; i++) await reply(alice.cookie, id, `Reply ${i}`);
    const res = await reply(alice.cookie, id, "Reply 51");
    expect(res.headers.get("Location")).toMatch(new RegExp(`^/threads/${id}\\?page=2#post-`));
    const page2 = await (await call(thread.loader, `/threads/${id}?page=2`, { params: { threadId: String(id) } })).json();
    expect(page2.posts).toHaveLength(1);
    expect(page2.pageCount).toBe(2);
    const page1 = await (await call(thread.loader, `/threads/${id}?page=1`, { params: { threadId: String(id) } })).json();
    expect(page1.posts).toHaveLength(50);
  });

  it("rejects an empty reply with a message and keeps nothing posted", async () => {
    const alice = await member();
    const id = await startThread(alice.cookie);
    const res = await reply(alice.cookie, id, "   ");
    expect(res.status).toBe(400);
    expect((await res.json()).errors.body).toMatch(/Write something/);
    expect(await db.select().from(posts).where(eq(posts.threadId, id))).toHaveLength(1);
  });

  it("refuses a body over 20,000 characters but gives the text back", async () => {
    const alice = await member();
    const id = await startThread(alice.cookie);
    const long = "a".repeat(20_001);
    const res = await reply(alice.cookie, id, long);
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.errors.body).toMatch(/20,000/);
    expect(data.values.body).toBe(long);
  });

  it("sends a visitor who tries to reply to log in", async () => {
    const alice = await member();
    const id = await startThread(alice.cookie);
    const res = await reply("", id, "Hello");
    expect(res.status).toBe(302);
    // The typed text is kept under a restore token (tests/drafts.test.ts covers the round trip).
    const login = new URL(res.headers.get("Location")!, "http://localhost");
    expect(login.pathname).toBe("/login");
    expect(login.searchParams.get("redirectTo")).toMatch(new RegExp(`^/threads/${id}\\?restore=[\\w-]+$`));
  });

  it.each([
    ["/threads/abc", { threadId: "abc" }, 404],
    ["/threads/0", { threadId: "0" }, 404],
    ["/threads/99999", { threadId: "99999" }, 404],
    ["/threads/1?page=-1", { threadId: "1" }, 400],
    ["/threads/1?page=abc", { threadId: "1" }, 400],
    ["/threads/1?page=99", { threadId: "1" }, 404],
  ])("answers %s with %i, never a 500", async (path, params, status) => {
    const alice = await member();
    await startThread(alice.cookie);
    const res = await call(thread.loader, path, { params });
    expect(res.status).toBe(status);
  });
});

describe("board page", () => {
  it("lists threads by latest activity, 30 a page", async () => {
    const alice = await member();
    const ids: number[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await call(newThread.action, "/boards/medications/new", {
        cookie: alice.cookie,
        params: { slug: "medications" },
        form: { intent: "post", title: `Baclofen question ${i}`, body: `Body ${i}` },
      });
      ids.push(Number(res.headers.get("Location")!.split("/").pop()));
    }
    // A reply a minute later bumps the oldest thread to the top. (Written in the same millisecond
    // as the newest thread, it would tie with it, and the newer thread wins ties.)
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 60_000);
      await reply(alice.cookie, ids[0]!, "bump");
    } finally {
      vi.useRealTimers();
    }
    const page1 = await (await call(board.loader, "/boards/medications", { params: { slug: "medications" } })).json();
    expect(page1.threads).toHaveLength(30);
    expect(page1.pageCount).toBe(2);
    expect(page1.threads[0]).toMatchObject({ id: ids[0], replyCount: 1, author: alice.username });
    const page2 = await (await call(board.loader, "/boards/medications?page=2", { params: { slug: "medications" } })).json();
    expect(page2.threads).toHaveLength(1);
    expect(page2.threads[0].id).toBe(ids[1]);
  });

  it("404s for unknown and hostile slugs", async () => {
    for (const slug of ["nope", "\u0000", "../etc/passwd"]) {
      const res = await call(board.loader, `/boards/${encodeURIComponent(slug)}`, { params: { slug } });
      expect(res.status).toBe(404);
    }
  });

  it("drops a NUL sent in a form, and treats one in the session cookie as no session", async () => {
    const nia = await member();
    const id = await startThread(nia.cookie, "Night\u0000 cramps again", "Woke at 3\u0000 a.m.");
    const [row] = await db.select({ title: threads.title }).from(threads).where(eq(threads.id, id));
    expect(row!.title).toBe("Night cramps again");
    const [post] = await db.select({ body: posts.bodyMarkdown }).from(posts).where(eq(posts.threadId, id));
    expect(post!.body).toBe("Woke at 3 a.m.");
    expect(await getUser(new Request("http://localhost/", { headers: { Cookie: "unclench_session=%00abc" } }))).toBeNull();
  });

  it("404s for any unknown URL", async () => {
    expect((await call(notFoundRoute.loader, "/no/such/page")).status).toBe(404);
  });
});

describe("editing and deleting your own post", () => {
  it("keeps every earlier version and marks the post edited", async () => {
    const alice = await member();
    const id = await startThread(alice.cookie, "Original title here", "First version");
    const postId = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!.id;
    const params = { postId: String(postId) };
    await call(editRoute.action, `/posts/${postId}/edit`, {
      cookie: alice.cookie,
      params,
      form: { intent: "post", title: "Better title here", body: "Second version" },
    });
    await call(editRoute.action, `/posts/${postId}/edit`, {
      cookie: alice.cookie,
      params,
      form: { intent: "post", title: "Better title here", body: "Third version" },
    });
    const post = (await db.select().from(posts).where(eq(posts.id, postId)).limit(1))[0]!;
    expect(post.bodyMarkdown).toBe("Third version");
    expect(post.editedAt).not.toBeNull();
    expect((await db.select().from(threads).where(eq(threads.id, id)).limit(1))[0]!.title).toBe("Better title here");
    const data = await (await call(history.loader, `/posts/${postId}/history`, { params })).json();
    expect(data.post.bodyHtml).toContain("Third version");
    expect(data.revisions.map((r: { bodyHtml: string }) => r.bodyHtml.replace(/<[^>]+>/g, "").trim())).toEqual(["Second version", "First version"]);
    expect(data.revisions[1].title).toBe("Original title here");
  });

  it("refuses another member's edit and delete, changing nothing", async () => {
    const alice = await member();
    const mallory = await member();
    const id = await startThread(alice.cookie);
    const postId = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!.id;
    const params = { postId: String(postId) };
    const edit = await call(editRoute.action, `/posts/${postId}/edit`, {
      cookie: mallory.cookie,
      params,
      form: { intent: "post", body: "hacked", authorId: String(mallory.id) },
    });
    expect(edit.status).toBe(403);
    expect(await edit.text()).toBe("Only the author can edit this post.");
    const del = await call(deleteRoute.action, `/posts/${postId}/delete`, { cookie: mallory.cookie, params, form: {} });
    expect(del.status).toBe(403);
    const post = (await db.select().from(posts).where(eq(posts.id, postId)).limit(1))[0]!;
    expect(post.bodyMarkdown).toBe("It starts around **3 a.m.**");
    expect(post.deletedAt).toBeNull();
    expect(await db.select().from(postRevisions).where(eq(postRevisions.postId, postId))).toHaveLength(0);
  });

  it("soft-deletes: the row stays, the text leaves the page, the reply count drops", async () => {
    const alice = await member();
    const bob = await member();
    const id = await startThread(alice.cookie);
    await reply(bob.cookie, id, "A reply I regret");
    const replyId = (await db.select().from(posts).where(eq(posts.threadId, id))).find((p) => p.number === 2)!.id;
    const res = await call(deleteRoute.action, `/posts/${replyId}/delete`, { cookie: bob.cookie, params: { postId: String(replyId) }, form: {} });
    expect(res.status).toBe(302);
    expect((await db.select().from(posts).where(eq(posts.id, replyId)).limit(1))[0]!.deletedAt).not.toBeNull();
    const data = await (await call(thread.loader, `/threads/${id}`, { params: { threadId: String(id) } })).json();
    expect(data.thread.replyCount).toBe(0);
    expect(data.posts[1]).toMatchObject({ deleted: true, bodyHtml: null });
    expect(JSON.stringify(data)).not.toContain("A reply I regret");
    // A deleted post can be neither edited nor deleted again.
    const again = await call(editRoute.action, `/posts/${replyId}/edit`, {
      cookie: bob.cookie,
      params: { postId: String(replyId) },
      form: { intent: "post", body: "x" },
    });
    expect(again.status).toBe(403);
    // The author is told why, not that they are not the author.
    expect(await again.text()).toBe("This post was deleted, so it can no longer be edited.");
  });
});

describe("sessions", () => {
  it("stores sessions server-side so they can be ended", async () => {
    const alice = await member();
    expect(await db.select().from(sessions).where(eq(sessions.userId, alice.id))).toHaveLength(1);
  });
});

describe("answering a post", () => {
  it("offers the post from its Reply link and notifies its author once, as an answer", async () => {
    const alice = await member();
    const bob = await member();
    const id = await startThread(alice.cookie, "Cramps after walking", "Calves knot up after a mile.");
    const first = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!;
    const page = await (await call(thread.loader, `/threads/${id}?replyTo=${first.id}`, { cookie: bob.cookie, params: { threadId: String(id) } })).json();
    expect(page.replyTo).toEqual({ postId: first.id, number: 1, author: alice.username });
    const res = await call(thread.action, `/threads/${id}`, {
      cookie: bob.cookie,
      params: { threadId: String(id) },
      form: { intent: "post", body: `@${alice.username} try walking shorter loops`, replyTo: String(first.id) },
    });
    expect(res.status).toBe(302);
    const mine = await db.select().from(notifications).where(eq(notifications.userId, alice.id));
    expect(mine.map((n) => n.kind)).toEqual(["quote"]);
  });
});

describe("health safety on the thread page", () => {
  it("a post with self-harm language is published, shows the author crisis resources, and enters the queue at risk", async () => {
    const alice = await member();
    const bob = await member();
    const id = await startThread(alice.cookie, "Bad night again", "Cramps all night.");
    const res = await reply(bob.cookie, id, "Honestly I want to end my life some nights.");
    expect(res.status).toBe(302);
    const location = res.headers.get("Location")!;
    expect(location).toMatch(/[?&]support=1/);
    // The help, not the post at the bottom of the page, is where the member lands.
    expect(location).toMatch(/#crisis-panel-heading$/);
    const postId = (
      await db
        .select()
        .from(posts)
        .where(and(eq(posts.threadId, id), eq(posts.authorId, bob.id)))
        .limit(1)
    )[0]!.id;
    expect((await db.select().from(posts).where(eq(posts.id, postId)).limit(1))[0]!.removedAt).toBeNull();
    const flagged = await db.select().from(reports).where(eq(reports.postId, postId));
    expect(flagged).toMatchObject([{ reason: "at-risk", reporterId: null, status: "open" }]);
    const asAuthor = await (await call(thread.loader, location.split("#")[0]!, { cookie: bob.cookie, params: { threadId: String(id) } })).json();
    expect(asAuthor.showCrisisPanel).toBe(true);
    // Someone else following the same link does not get the panel.
    const asOther = await (await call(thread.loader, location.split("#")[0]!, { cookie: alice.cookie, params: { threadId: String(id) } })).json();
    expect(asOther.showCrisisPanel).toBe(false);
  });

  it("nudges, but never blocks, a post that reads like dosing instructions", async () => {
    const alice = await member();
    const id = await startThread(alice.cookie, "Baclofen dose question", "What dose do people take?");
    const preview = await call(thread.action, `/threads/${id}`, {
      cookie: alice.cookie,
      params: { threadId: String(id) },
      form: { intent: "preview", body: "You should take 20 mg of baclofen." },
    });
    expect((await preview.json()).dosingNudge).toBe(true);
    const posted = await reply(alice.cookie, id, "You should take 20 mg of baclofen.");
    expect(posted.status).toBe(302);
  });
});
