import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { notifications, users } from "../db/schema.ts";
import { listNotifications } from "~/models/notifications.server.ts";
import { removePost } from "~/models/moderation-posts.server.ts";
import { removeThread } from "~/models/moderation-threads.server.ts";
import { muteMember, unmuteMember } from "~/models/mutes.server.ts";
import { deletePost, editPost } from "~/models/posts.server.ts";
import { createReply, createThread, member, statusOf } from "./helpers.ts";

// Mentions added by editing a post: the edit runs through the real model (editPost), and the
// tests read what the member would see (their notification list) or the rows themselves.

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

/** A thread by `author` with a second post, also by them, that the tests edit. */
async function ownReply(author: M, body = "Update: the stretches help a bit.") {
  const { threadId } = await createThread(as(author), "night-leg-cramps", { title: "Cramps after swimming", body: "Opening post" });
  const { postId } = await createReply(as(author), threadId, body);
  return { threadId, postId };
}

function notificationsOf(userId: number) {
  return db.select().from(notifications).where(eq(notifications.userId, userId));
}

async function edit(author: M, postId: number, body: string) {
  await editPost(as(author), postId, { body });
}

describe("mentions added by editing a post", () => {
  it("notifies a newly mentioned member once, as a mention that links to the edited post", async () => {
    const [author, bob] = [await member(), await member("edit_bob")];
    const { threadId, postId } = await ownReply(author);
    expect(await notificationsOf(bob.id)).toEqual([]);

    await edit(author, postId, "Update: the stretches help a bit. @edit_bob, you asked about this.");
    expect((await listNotifications(bob.id, 1)).items).toMatchObject([
      { kind: "mention", actor: author.username, read: false, href: `/threads/${threadId}?page=1#post-${postId}` },
    ]);
    expect(await notificationsOf(bob.id)).toMatchObject([{ kind: "mention", actorId: author.id, threadId, postId }]);
  });

  it("never notifies the same member twice about one post: editing again, removing or re-adding the mention", async () => {
    const [author, bob] = [await member(), await member("again_bob")];
    const { postId } = await ownReply(author);
    await edit(author, postId, "cc @again_bob");
    await edit(author, postId, "cc @again_bob (typo fixed)");
    expect(await notificationsOf(bob.id)).toHaveLength(1);
    // Taking the mention out doesn't take the notification back; putting it back doesn't repeat it.
    await edit(author, postId, "cc nobody");
    expect(await notificationsOf(bob.id)).toMatchObject([{ kind: "mention", postId }]);
    await edit(author, postId, "cc @again_bob after all");
    expect(await notificationsOf(bob.id)).toHaveLength(1);
  });

  it("doesn't notify a member already notified about the post another way", async () => {
    const [author, follower] = [await member(), await member("follow_bob")];
    const { threadId } = await createThread(as(author), "night-leg-cramps", { title: "Magnesium?", body: "Opening post" });
    await createReply(as(follower), threadId, "Following along.");
    const { postId } = await createReply(as(author), threadId, "Tried it for a week.");
    expect((await notificationsOf(follower.id)).filter((n) => n.postId === postId)).toMatchObject([{ kind: "reply" }]);
    await edit(author, postId, "Tried it for a week, @follow_bob.");
    expect((await notificationsOf(follower.id)).filter((n) => n.postId === postId)).toMatchObject([{ kind: "reply" }]);
  });

  it("doesn't notify for a mention that was already in the text before the edit", async () => {
    const [author, bob, carol] = [await member(), await member("before_bob"), await member("before_carol")];
    // When the post was written bob had muted the author, so that mention notified nobody.
    await muteMember(as(bob), author.username);
    const { postId } = await ownReply(author, "Thanks @before_bob");
    await unmuteMember(as(bob), author.username);
    expect(await notificationsOf(bob.id)).toEqual([]);
    // Fixing a typo elsewhere is not a new mention of bob; carol is new.
    await edit(author, postId, "Thanks @before_bob and @before_carol!");
    expect(await notificationsOf(bob.id)).toEqual([]);
    expect(await notificationsOf(carol.id)).toMatchObject([{ kind: "mention", postId }]);
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
    await muteMember(as(muter), author.username);
    await transaction((tx) => tx.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.id)));
    const { postId } = await ownReply(author);

    await edit(
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
    for (const someone of [author, muter, gone, quoted, inline, fenced]) expect(await notificationsOf(someone.id)).toEqual([]);
    expect(await notificationsOf(plain.id)).toMatchObject([{ kind: "mention", postId }]);
  });

  it("notifies nobody about a removed or deleted post, or a post in a removed thread", async () => {
    const [author, mod, bob] = [await member(), await member(undefined, "moderator"), await member("removed_bob")];

    // A removed or deleted post can't be edited at all. (Distinct bodies: the duplicate guard
    // would hand back the first post.)
    const removed = await ownReply(author, "To be removed.");
    await removePost(as(mod), removed.postId, "off-topic");
    expect(await statusOf(edit(author, removed.postId, "@removed_bob"))).toBe(403);
    const deleted = await ownReply(author, "To be deleted.");
    await deletePost(as(author), deleted.postId);
    expect(await statusOf(edit(author, deleted.postId, "@removed_bob"))).toBe(403);

    // A post in a removed thread stays editable by its author, but pings nobody.
    const inRemovedThread = await ownReply(author, "In a thread to be removed.");
    await removeThread(as(mod), inRemovedThread.threadId, "off-topic");
    expect(await statusOf(edit(author, inRemovedThread.postId, "@removed_bob"))).toBe("no error");

    expect(await notificationsOf(bob.id)).toEqual([]);
  });
});
