import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { follows, notifications, posts, threads, users } from "../db/schema.ts";
import { afterPostCreated, extractMentions, getUnreadCount, listNotifications, notifyModeration } from "~/models/notifications.server.ts";
import { muteMember } from "~/models/mutes.server.ts";
import * as notificationsRoute from "~/routes/notifications.tsx";
import * as followRoute from "~/routes/threads.$threadId_.follow.tsx";
import { call, createThread, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

// The fan-out rules are tested on the hook itself, called the way the thread model calls it:
// in the post's own transaction. Replies are written here directly (not with createReply), so
// the tests mean the same whether or not createReply already calls the hook; for an opening
// post a second call with the same input changes nothing.
function start(author: M, body = "Opening post", title = "Cramps after swimming") {
  const { threadId, postId } = createThread(as(author), "night-leg-cramps", { title, body });
  db.transaction((tx) => afterPostCreated(tx, { actorId: author.id, threadId, postId, number: 1, bodyMarkdown: body }));
  return { threadId, postId };
}

/** Adds a reply row without any notification side effects. */
function writeReply(author: M, threadId: number, body: string) {
  return db.transaction((tx) => {
    const number = tx.select({ n: threads.postCount }).from(threads).where(eq(threads.id, threadId)).get()!.n + 1;
    const post = tx
      .insert(posts)
      .values({ threadId, authorId: author.id, number, bodyMarkdown: body, bodyHtml: `<p>${number}</p>` })
      .returning({ id: posts.id })
      .get();
    tx.update(threads).set({ postCount: number }).where(eq(threads.id, threadId)).run();
    return { postId: post.id, number };
  });
}

function reply(author: M, threadId: number, body: string, replyToPostId?: number) {
  const { postId, number } = writeReply(author, threadId, body);
  db.transaction((tx) => afterPostCreated(tx, { actorId: author.id, threadId, postId, number, bodyMarkdown: body, replyToPostId }));
  return { postId, number };
}

function notificationsOf(userId: number) {
  return db.select().from(notifications).where(eq(notifications.userId, userId)).all();
}

describe("mentions in markdown", () => {
  it("finds @names outside code and quotes, once each, at most ten", () => {
    expect(extractMentions("Thanks @Alice and @bob_2! cc @alice")).toEqual(["alice", "bob_2"]);
    expect(extractMentions("mail me at carol@example.org")).toEqual([]);
    expect(extractMentions("`@dave` and\n```\n@erin\n```\n> @frank said\n@gina")).toEqual(["gina"]);
    const many = Array.from({ length: 15 }, (_, i) => `@user${i}`).join(" ");
    expect(extractMentions(many)).toHaveLength(10);
  });
});

describe("notification fan-out after a new post", () => {
  it("auto-follows the author of a thread and of a reply, and notifies followers but never the actor", async () => {
    const [author, replier] = [await member(), await member()];
    const { threadId } = start(author);
    const { postId } = reply(replier, threadId, "Same here, every night.");
    expect(
      db
        .select()
        .from(follows)
        .where(eq(follows.threadId, threadId))
        .all()
        .map((f) => f.userId)
        .sort(),
    ).toEqual([author.id, replier.id].sort());
    expect(notificationsOf(author.id)).toMatchObject([{ kind: "reply", actorId: replier.id, threadId, postId }]);
    expect(notificationsOf(replier.id)).toEqual([]);
    // The author's reply notifies the replier, who now follows.
    const second = reply(author, threadId, "Glad it's not just me.");
    expect(notificationsOf(replier.id)).toMatchObject([{ kind: "reply", postId: second.postId }]);
    expect(notificationsOf(author.id)).toHaveLength(1);
  });

  it("gives one notification per member per post, quote before mention before reply", async () => {
    const [author, helper, third] = [await member(), await member("helper_one"), await member("third_one")];
    const { threadId, postId: opening } = start(author);
    reply(helper, threadId, "I follow this thread now.");
    reply(third, threadId, "Me too.");
    // The author is quoted, mentioned and follows; helper is mentioned and follows; third only follows.
    const { postId } = reply(await member(), threadId, "@helper_one and @" + author.username + " — have you tried magnesium?", opening);
    expect(notificationsOf(author.id).filter((n) => n.postId === postId)).toMatchObject([{ kind: "quote" }]);
    expect(notificationsOf(helper.id).filter((n) => n.postId === postId)).toMatchObject([{ kind: "mention" }]);
    expect(notificationsOf(third.id).filter((n) => n.postId === postId)).toMatchObject([{ kind: "reply" }]);
  });

  it("notifies mentioned members who don't follow, but not unknown names or deleted accounts", async () => {
    const [author, reader, gone] = [await member(), await member("quiet_reader"), await member("gone_member")];
    db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.id)).run();
    const { postId } = start(author, "Hi @quiet_reader, @gone_member and @nobody_here");
    expect(notificationsOf(reader.id)).toMatchObject([{ kind: "mention", postId }]);
    expect(notificationsOf(gone.id)).toEqual([]);
    expect(
      db
        .select()
        .from(notifications)
        .all()
        .filter((n) => n.postId === postId),
    ).toHaveLength(1);
  });

  it("only counts a quoted post from the same thread", async () => {
    const [a, b] = [await member(), await member()];
    const other = start(a, "Elsewhere");
    const { threadId } = start(b);
    reply(await member(), threadId, "Answering a post in another thread", other.postId);
    expect(notificationsOf(a.id)).toEqual([]);
  });

  it("stops reply notifications after unfollowing, through the follow action", async () => {
    const [author, replier] = [await member(), await member()];
    const { threadId } = start(author);
    const res = await call(followRoute.action, `/threads/${threadId}/follow`, {
      cookie: author.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "unfollow", page: "1" },
    });
    expect(res.status).toBe(302);
    // Unfollowing happens at once and the thread page offers Undo.
    expect(res.headers.get("Location")).toMatch(new RegExp(`^/threads/${threadId}\\?undo=unfollow&at=\\d+#follow$`));
    reply(replier, threadId, "Anyone?");
    expect(notificationsOf(author.id)).toEqual([]);
    // Following again through the action brings them back.
    await call(followRoute.action, `/threads/${threadId}/follow`, {
      cookie: author.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "follow" },
    });
    reply(replier, threadId, "Hello?");
    expect(notificationsOf(author.id)).toHaveLength(1);
  });

  it("sends a visitor who tries to follow to log in", async () => {
    const { threadId } = start(await member());
    const res = await call(followRoute.action, `/threads/${threadId}/follow`, { params: { threadId: String(threadId) }, form: { intent: "follow" } });
    expect(res.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("doesn't notify a member about posts by someone they muted", async () => {
    const [author, pest] = [await member(), await member()];
    const { threadId } = start(author);
    muteMember(as(author), pest.username);
    reply(pest, threadId, `Hey @${author.username}`);
    expect(notificationsOf(author.id)).toEqual([]);
  });

  it("never notifies about a post in a removed thread, and hides notifications whose post was removed later", async () => {
    const [author, replier] = [await member(), await member()];
    const { threadId } = start(author);
    const { postId } = reply(replier, threadId, "This will be removed.");
    expect(getUnreadCount(author.id)).toBe(1);
    db.update(posts).set({ removedAt: new Date(), removalReason: "spam" }).where(eq(posts.id, postId)).run();
    expect(getUnreadCount(author.id)).toBe(0);
    expect(listNotifications(author.id, 1).items).toEqual([]);

    // A reply that raced with the thread's removal: written, then the hook runs after removal.
    const late = writeReply(replier, threadId, "Posting as the thread is removed");
    db.update(threads).set({ removedAt: new Date() }).where(eq(threads.id, threadId)).run();
    db.transaction((tx) =>
      afterPostCreated(tx, { actorId: replier.id, threadId, postId: late.postId, number: late.number, bodyMarkdown: `@${author.username}` }),
    );
    expect(notificationsOf(author.id)).toHaveLength(1);
  });
});

describe("moderation notices", () => {
  it("tells the member what happened and why, even though the post is removed, but not a moderator about themself", async () => {
    const [author, mod] = [await member(), await member(undefined, "moderator")];
    const { threadId, postId } = start(author);
    db.transaction((tx) => {
      db.update(posts).set({ removedAt: new Date() }).where(eq(posts.id, postId)).run();
      notifyModeration(tx, { userId: author.id, actorId: mod.id, threadId, postId, text: "A moderator removed your post. Reason: off-topic advertising" });
      notifyModeration(tx, { userId: mod.id, actorId: mod.id, threadId, postId, text: "A moderator removed your post. Reason: test" });
    });
    expect(notificationsOf(mod.id)).toEqual([]);
    const list = listNotifications(author.id, 1);
    expect(list.items).toMatchObject([{ kind: "moderation", text: "A moderator removed your post. Reason: off-topic advertising", read: false }]);
    expect(list.unread).toBe(1);
  });
});

describe("/notifications", () => {
  it("sends visitors to log in", async () => {
    const res = await call(notificationsRoute.loader, "/notifications");
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fnotifications");
  });

  it("lists newest first; opening one marks it read and lands on the exact post, on its page", async () => {
    const [author, replier] = [await member(), await member()];
    const { threadId } = start(author);
    // 51 posts: the last reply is the first post of page 2.
    for (let i = 0; i < 48; i++) writeReply(replier, threadId, `filler ${i}`);
    const first = reply(replier, threadId, "Post 50");
    const last = reply(replier, threadId, "Post 51");
    expect(last.number).toBe(51);
    const data = await (await call(notificationsRoute.loader, "/notifications", { cookie: author.cookie })).json();
    expect(data.items.map((n: { href: string }) => n.href)).toEqual([
      `/threads/${threadId}?page=2#post-${last.postId}`,
      `/threads/${threadId}?page=1#post-${first.postId}`,
    ]);
    expect(data.unread).toBe(2);

    const id = String(data.items[0].id);
    const res = await call(notificationsRoute.action, "/notifications", { cookie: author.cookie, form: { intent: "open", id } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/threads/${threadId}?page=2#post-${last.postId}`);
    expect(getUnreadCount(author.id)).toBe(1);

    // Marking one read keeps the member on the list.
    const other = String(data.items[1].id);
    const stay = await call(notificationsRoute.action, "/notifications", { cookie: author.cookie, form: { intent: "read", id: other, page: "1" } });
    expect(stay.headers.get("Location")).toBe(`/notifications#notification-${other}`);
    expect(getUnreadCount(author.id)).toBe(0);
  });

  it("marks all read, and treats someone else's notification as missing", async () => {
    const [author, replier, snoop] = [await member(), await member(), await member()];
    const { threadId } = start(author);
    reply(replier, threadId, "one");
    reply(replier, threadId, "two");
    const mine = notificationsOf(author.id);
    const res = await call(notificationsRoute.action, "/notifications", { cookie: snoop.cookie, form: { intent: "open", id: String(mine[0]!.id) } });
    expect(res.status).toBe(404);
    expect(getUnreadCount(author.id)).toBe(2);
    await call(notificationsRoute.action, "/notifications", { cookie: author.cookie, form: { intent: "read-all" } });
    expect(getUnreadCount(author.id)).toBe(0);
    expect(
      db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, author.id)))
        .all()
        .every((n) => n.readAt),
    ).toBe(true);
  });

  it("rejects a malformed request with a 400, not a 500", async () => {
    const someone = await member();
    const res = await call(notificationsRoute.action, "/notifications", { cookie: someone.cookie, form: { intent: "open", id: "abc" } });
    expect(res.status).toBe(400);
  });
});
