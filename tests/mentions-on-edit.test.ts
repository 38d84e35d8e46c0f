import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { notifications, users } from "../db/schema.ts";
import { listNotifications } from "~/models/notifications.server.ts";
import { removePost } from "~/models/moderation-posts.server.ts";
import { removeThread } from "~/models/moderation-threads.server.ts";
import { muteMember, unmuteMember } from "~/models/mutes.server.ts";
import { deletePost, editPost } from "~/models/posts.server.ts";
import { createReply, createThread, member } from "./helpers.ts";

// Mentions added by editing a post: the edit runs through the real model (editPost), and the
// tests read what the member would see (their notification list) or the rows themselves.

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

/** A thread by `author` with a second post, also by them, that the tests edit. */
function ownReply(author: M, body = "Update: the stretches help a bit.") {
  const { threadId } = createThread(as(author), "night-leg-cramps", { title: "Cramps after swimming", body: "Opening post" });
  const { postId } = createReply(as(author), threadId, body);
  return { threadId, postId };
}

function notificationsOf(userId: number) {
  return db.select().from(notifications).where(eq(notifications.userId, userId)).all();
}

function edit(author: M, postId: number, body: string) {
  editPost(as(author), postId, { body });
}

/** The status of the Response a model throws (forbidden, not found), or null if it didn't throw. */
function thrownStatus(fn: () => unknown) {
  try {
    fn();
    return null;
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
}

describe("mentions added by editing a post", () => {
  it("notifies a newly mentioned member once, as a mention that links to the edited post", async () => {
    const [author, bob] = [await member(), await member("edit_bob")];
    const { threadId, postId } = ownReply(author);
    expect(notificationsOf(bob.id)).toEqual([]);

    edit(author, postId, "Update: the stretches help a bit. @edit_bob, you asked about this.");
    expect(listNotifications(bob.id, 1).items).toMatchObject([
      { kind: "mention", actor: author.username, read: false, href: `/threads/${threadId}?page=1#post-${postId}` },
    ]);
    expect(notificationsOf(bob.id)).toMatchObject([{ kind: "mention", actorId: author.id, threadId, postId }]);
  });

  it("never notifies the same member twice about one post: editing again, removing or re-adding the mention", async () => {
    const [author, bob] = [await member(), await member("again_bob")];
    const { postId } = ownReply(author);
    edit(author, postId, "cc @again_bob");
    edit(author, postId, "cc @again_bob (typo fixed)");
    expect(notificationsOf(bob.id)).toHaveLength(1);
    // Taking the mention out doesn't take the notification back; putting it back doesn't repeat it.
    edit(author, postId, "cc nobody");
    expect(notificationsOf(bob.id)).toMatchObject([{ kind: "mention", postId }]);
    edit(author, postId, "cc @again_bob after all");
    expect(notificationsOf(bob.id)).toHaveLength(1);
  });

  it("doesn't notify a member already notified about the post another way", async () => {
    const [author, follower] = [await member(), await member("follow_bob")];
    const { threadId } = createThread(as(author), "night-leg-cramps", { title: "Magnesium?", body: "Opening post" });
    createReply(as(follower), threadId, "Following along.");
    const { postId } = createReply(as(author), threadId, "Tried it for a week.");
    expect(notificationsOf(follower.id).filter((n) => n.postId === postId)).toMatchObject([{ kind: "reply" }]);
    edit(author, postId, "Tried it for a week, @follow_bob.");
    expect(notificationsOf(follower.id).filter((n) => n.postId === postId)).toMatchObject([{ kind: "reply" }]);
  });

  it("doesn't notify for a mention that was already in the text before the edit", async () => {
    const [author, bob, carol] = [await member(), await member("before_bob"), await member("before_carol")];
    // When the post was written bob had muted the author, so that mention notified nobody.
    muteMember(as(bob), author.username);
    const { postId } = ownReply(author, "Thanks @before_bob");
    unmuteMember(as(bob), author.username);
    expect(notificationsOf(bob.id)).toEqual([]);
    // Fixing a typo elsewhere is not a new mention of bob; carol is new.
    edit(author, postId, "Thanks @before_bob and @before_carol!");
    expect(notificationsOf(bob.id)).toEqual([]);
    expect(notificationsOf(carol.id)).toMatchObject([{ kind: "mention", postId }]);
  });

  it("follows the rules of new posts: not oneself, not a member who muted the author, not deleted accounts, not in quotes or code", async () => {
    const author = await member("edit_author");
    const [muter, gone, quoted, inline, fenced, plain] = [
      await member("edit_muter"),
      await member("edit_gone"),
      await member("edit_quoted"),
      await member("edit_inline"),
      await member("edit_fenced"),
      await member("edit_plain"),
    ];
    muteMember(as(muter), author.username);
    db.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.id)).run();
    const { postId } = ownReply(author);

    edit(
      author,
      postId,
      [
        "Me (@edit_author), @edit_muter and @edit_gone.",
        "> @edit_quoted wrote this",
        "Try `@edit_inline`.",
        "```",
        "@edit_fenced",
        "```",
        "And @edit_plain.",
      ].join("\n"),
    );
    for (const someone of [author, muter, gone, quoted, inline, fenced]) expect(notificationsOf(someone.id)).toEqual([]);
    expect(notificationsOf(plain.id)).toMatchObject([{ kind: "mention", postId }]);
  });

  it("notifies nobody about a removed or deleted post, or a post in a removed thread", async () => {
    const [author, mod, bob] = [await member(), await member(undefined, "moderator"), await member("removed_bob")];

    // A removed or deleted post can't be edited at all. (Distinct bodies: the duplicate guard
    // would hand back the first post.)
    const removed = ownReply(author, "To be removed.");
    removePost(as(mod), removed.postId, "off-topic");
    expect(thrownStatus(() => edit(author, removed.postId, "@removed_bob"))).toBe(403);
    const deleted = ownReply(author, "To be deleted.");
    deletePost(as(author), deleted.postId);
    expect(thrownStatus(() => edit(author, deleted.postId, "@removed_bob"))).toBe(403);

    // A post in a removed thread stays editable by its author, but pings nobody.
    const inRemovedThread = ownReply(author, "In a thread to be removed.");
    removeThread(as(mod), inRemovedThread.threadId, "off-topic");
    expect(thrownStatus(() => edit(author, inRemovedThread.postId, "@removed_bob"))).toBeNull();

    expect(notificationsOf(bob.id)).toEqual([]);
  });
});
