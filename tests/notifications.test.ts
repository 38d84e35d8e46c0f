import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
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
async function start(author: M, body = "Opening post", title = "Cramps after swimming") {
  const { threadId, postId } = await createThread(as(author), "night-leg-cramps", { title, body });
  await transaction((tx) => afterPostCreated(tx, { actorId: author.id, threadId, postId, number: 1, bodyMarkdown: body }));
  return { threadId, postId };
}

/** Adds a reply row without any notification side effects. */
function writeReply(author: M, threadId: number, body: string) {
  return transaction(async (tx) => {
    const [thread] = await tx.select({ n: threads.postCount }).from(threads).where(eq(threads.id, threadId)).limit(1);
    const number = thread!.n + 1;
    const [post] = await tx
      .insert(posts)
      .values({ threadId, authorId: author.id, number, bodyMarkdown: body, bodyHtml: `<p>${number}</p>` })
      .returning({ id: posts.id });
    await tx.update(threads).set({ postCount: number }).where(eq(threads.id, threadId));
    return { postId: post!.id, number };
  });
}

async function reply(author: M, threadId: number, body: string, replyToPostId?: number) {
  const { postId, number } = await writeReply(author, threadId, body);
  await transaction((tx) => afterPostCreated(tx, { actorId: author.id, threadId, postId, number, bodyMarkdown: body, replyToPostId }));
  return { postId, number };
}

function notificationsOf(userId: number) {
  return db.select().from(notifications).where(eq(notifications.userId, userId));
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
    const { threadId } = await start(author);
    const { postId } = await reply(replier, threadId, "Same here, every night.");
    expect((await db.select().from(follows).where(eq(follows.threadId, threadId))).map((f) => f.userId).sort()).toEqual([author.id, replier.id].sort());
    expect(await notificationsOf(author.id)).toMatchObject([{ kind: "reply", actorId: replier.id, threadId, postId }]);
    expect(await notificationsOf(replier.id)).toEqual([]);
    // The author's reply notifies the replier, who now follows.
    const second = await reply(author, threadId, "Glad it's not just me.");
    expect(await notificationsOf(replier.id)).toMatchObject([{ kind: "reply", postId: second.postId }]);
    expect(await notificationsOf(author.id)).toHaveLength(1);
  });

  it("gives one notification per member per post, quote before mention before reply", async () => {
    const [author, helper, third] = [await member(), await member("helper_one"), await member("third_one")];
    const { threadId, postId: opening } = await start(author);
    await reply(helper, threadId, "I follow this thread now.");
    await reply(third, threadId, "Me too.");
    // The author is quoted, mentioned and follows; helper is mentioned and follows; third only follows.
    const { postId } = await reply(await member(), threadId, "@helper_one and @" + author.username + " — have you tried magnesium?", opening);
    expect((await notificationsOf(author.id)).filter((n) => n.postId === postId)).toMatchObject([{ kind: "quote" }]);
    expect((await notificationsOf(helper.id)).filter((n) => n.postId === postId)).toMatchObject([{ kind: "mention" }]);
    expect((await notificationsOf(third.id)).filter((n) => n.postId === postId)).toMatchObject([{ kind: "reply" }]);
  });

  it("notifies mentioned members who don't follow, but not unknown names or deleted accounts", async () => {
    const [author, reader, gone] = [await member(), await member("quiet_reader"), await member("gone_member")];
    await transaction((tx) => tx.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.id)));
    const { postId } = await start(author, "Hi @quiet_reader, @gone_member and @nobody_here");
    expect(await notificationsOf(reader.id)).toMatchObject([{ kind: "mention", postId }]);
    expect(await notificationsOf(gone.id)).toEqual([]);
    expect((await db.select().from(notifications)).filter((n) => n.postId === postId)).toHaveLength(1);
  });

  it("only counts a quoted post from the same thread", async () => {
    const [a, b] = [await member(), await member()];
    const other = await start(a, "Elsewhere");
    const { threadId } = await start(b);
    await reply(await member(), threadId, "Answering a post in another thread", other.postId);
    expect(await notificationsOf(a.id)).toEqual([]);
  });

  it("stops reply notifications after unfollowing, through the follow action", async () => {
    const [author, replier] = [await member(), await member()];
    const { threadId } = await start(author);
    const res = await call(followRoute.action, `/threads/${threadId}/follow`, {
      cookie: author.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "unfollow", page: "1" },
    });
    expect(res.status).toBe(302);
    // Unfollowing happens at once and the thread page offers Undo.
    expect(res.headers.get("Location")).toMatch(new RegExp(`^/threads/${threadId}\\?undo=unfollow&at=\\d+#follow$`));
    await reply(replier, threadId, "Anyone?");
    expect(await notificationsOf(author.id)).toEqual([]);
    // Following again through the action brings them back.
    await call(followRoute.action, `/threads/${threadId}/follow`, {
      cookie: author.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "follow" },
    });
    await reply(replier, threadId, "Hello?");
    expect(await notificationsOf(author.id)).toHaveLength(1);
  });

  it("sends a visitor who tries to follow to log in", async () => {
    const { threadId } = await start(await member());
    const res = await call(followRoute.action, `/threads/${threadId}/follow`, { params: { threadId: String(threadId) }, form: { intent: "follow" } });
    expect(res.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("doesn't notify a member about posts by someone they muted", async () => {
    const [author, pest] = [await member(), await member()];
    const { threadId } = await start(author);
    await muteMember(as(author), pest.username);
    await reply(pest, threadId, `Hey @${author.username}`);
    expect(await notificationsOf(author.id)).toEqual([]);
  });

  it("never notifies about a post in a removed thread, and hides notifications whose post was removed later", async () => {
    const [author, replier] = [await member(), await member()];
    const { threadId } = await start(author);
    const { postId } = await reply(replier, threadId, "This will be removed.");
    expect(await getUnreadCount(author.id)).toBe(1);
    await transaction((tx) => tx.update(posts).set({ removedAt: new Date(), removalReason: "spam" }).where(eq(posts.id, postId)));
    expect(await getUnreadCount(author.id)).toBe(0);
    expect((await listNotifications(author.id, 1)).items).toEqual([]);

    // A reply that raced with the thread's removal: written, then the hook runs after removal.
    const late = await writeReply(replier, threadId, "Posting as the thread is removed");
    await transaction((tx) => tx.update(threads).set({ removedAt: new Date() }).where(eq(threads.id, threadId)));
    await transaction((tx) =>
      afterPostCreated(tx, { actorId: replier.id, threadId, postId: late.postId, number: late.number, bodyMarkdown: `@${author.username}` }),
    );
    expect(await notificationsOf(author.id)).toHaveLength(1);
  });
});

describe("moderation notices", () => {
  it("tells the member what happened and why, even though the post is removed, but not a moderator about themself", async () => {
    const [author, mod] = [await member(), await member(undefined, "moderator")];
    const { threadId, postId } = await start(author);
    await transaction(async (tx) => {
      await tx.update(posts).set({ removedAt: new Date() }).where(eq(posts.id, postId));
      await notifyModeration(tx, {
        userId: author.id,
        actorId: mod.id,
        threadId,
        postId,
        text: "A moderator removed your post. Reason: off-topic advertising",
      });
      await notifyModeration(tx, { userId: mod.id, actorId: mod.id, threadId, postId, text: "A moderator removed your post. Reason: test" });
    });
    expect(await notificationsOf(mod.id)).toEqual([]);
    const list = await listNotifications(author.id, 1);
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
    const { threadId } = await start(author);
    // 51 posts: the last reply is the first post of page 2.
    for (let i = 0; i < 48; i++) await writeReply(replier, threadId, `filler ${i}`);
    // A mention is a row of its own; replies group per thread (tests/grouped-notifications.test.ts).
    const first = await reply(replier, threadId, `Post 50, @${author.username}`);
    const last = await reply(replier, threadId, "Post 51");
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
    expect(await getUnreadCount(author.id)).toBe(1);

    // Marking one read keeps the member on the list.
    const other = String(data.items[1].id);
    const stay = await call(notificationsRoute.action, "/notifications", { cookie: author.cookie, form: { intent: "read", id: other, page: "1" } });
    expect(stay.headers.get("Location")).toBe(`/notifications#notification-${other}`);
    expect(await getUnreadCount(author.id)).toBe(0);
  });

  it("marks all read, and treats someone else's notification as missing", async () => {
    const [author, replier, snoop] = [await member(), await member(), await member()];
    const { threadId } = await start(author);
    await reply(replier, threadId, "one");
    await reply(replier, threadId, `two, @${author.username}`);
    const mine = await notificationsOf(author.id);
    const res = await call(notificationsRoute.action, "/notifications", { cookie: snoop.cookie, form: { intent: "open", id: String(mine[0]!.id) } });
    expect(res.status).toBe(404);
    expect(await getUnreadCount(author.id)).toBe(2);
    await call(notificationsRoute.action, "/notifications", { cookie: author.cookie, form: { intent: "read-all" } });
    expect(await getUnreadCount(author.id)).toBe(0);
    expect(
      (
        await db
          .select()
          .from(notifications)
          .where(and(eq(notifications.userId, author.id)))
      ).every((n) => n.readAt),
    ).toBe(true);
  });

  it("rejects a malformed request with a 400, not a 500", async () => {
    const someone = await member();
    const res = await call(notificationsRoute.action, "/notifications", { cookie: someone.cookie, form: { intent: "open", id: "abc" } });
    expect(res.status).toBe(400);
  });
});
