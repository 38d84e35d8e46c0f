/**
 * A member's own account: deleting it. Downloading everything we hold about them is account-export.server.ts.
 */
import { and, eq, inArray, isNull, ne, sql } from "drizzle-orm";
import { db, transaction, type Tx } from "../../db/client.ts";
import {
  appeals,
  appealTokens,
  blocks,
  boards,
  boardWatches,
  drafts,
  emailConfirmations,
  follows,
  mailDigests,
  mailOutbox,
  mailPreferences,
  mutes,
  notifications,
  passkeys,
  passwordResets,
  postRevisions,
  posts,
  reactions,
  savedPosts,
  threadReads,
  threads,
  userConditions,
  users,
  warningPreferences,
  webauthnChallenges,
} from "../../db/schema.ts";
import { endAllSessionsIn } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { verifyPassword } from "../utils/passwords.server.ts";
import { leaveConversationsOnDeletion } from "./conversation-account.server.ts";

type Member = { id: number };

export const DELETED_POST_REASON = "Deleted with the member's account";

export type DeleteAccountInput = { password: string; keepPosts: boolean };

/**
 * Deletes the acting member's account after checking their password. The row stays, so kept
 * posts still have an author, but it no longer identifies anyone: the name becomes
 * "deleted-member-<id>", the email and password hash are erased (an empty hash never verifies,
 * so nobody can log in), the bio, drafts, follows, watched boards, mutes, their blocks, saved posts, reactions, notifications, requests
 * for review of a suspension (with their form tokens), password reset links, mail to them, their choices of it and their digest schedule, email links and passkeys go, and
 * every session ends, and they leave every private conversation. Posts and messages stay under the
 * new name, or, when the member asks, are deleted as by their author with their words erased
 * (threads left with nothing anyone else wrote are removed on their behalf, with DELETED_POST_REASON).
 */
export async function deleteAccount(actor: Member, input: DeleteAccountInput) {
  const [user] = await db
    .select({ id: users.id, passwordHash: users.passwordHash, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.id, actor.id))
    .limit(1);
  if (!user || user.deletedAt) notFound("This account has already been deleted.");
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    return { ok: false as const, errors: { password: "That password isn't right. Please try again." } as Record<string, string> };
  }

  const username = await transaction(async (tx) => {
    const now = new Date();
    let name = `deleted-member-${actor.id}`;
    // Someone could have signed up with that exact name before this member left.
    const [clash] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.username, name), ne(users.id, actor.id)))
      .limit(1);
    if (clash) name = `${name}-${now.getTime().toString(36)}`;

    await tx
      .update(users)
      .set({
        username: name,
        // Unique and never deliverable (.invalid is reserved), so the NOT NULL UNIQUE column stays valid.
        email: `deleted-${actor.id}@unclench.invalid`,
        emailVerifiedAt: null,
        emailBouncedAt: null,
        emailComplainedAt: null,
        passwordHash: "",
        deletedAt: now,
        bioMarkdown: null,
        bioHtml: null,
        bioVisibility: "nobody",
        conditionsVisibility: "nobody",
        joinedVisibility: "nobody",
        timeZone: null,
      })
      .where(eq(users.id, actor.id));
    // Blocks others made against them stay: their kept posts stay collapsed for those members.
    for (const table of [
      drafts,
      follows,
      boardWatches,
      mutes,
      blocks,
      savedPosts,
      userConditions,
      notifications,
      threadReads,
      reactions,
      appeals,
      appealTokens,
      passwordResets,
      mailDigests,
    ]) {
      await tx.delete(table).where(eq(table.userId, actor.id));
    }
    // The row stays (kept posts need an author), so nothing cascades from it: passkeys go here too.
    for (const table of [passkeys, webauthnChallenges]) await tx.delete(table).where(eq(table.userId, actor.id));
    // Mail to them, sent or waiting, and links for their address: the address is erased with the rest.
    for (const table of [mailOutbox, emailConfirmations]) await tx.delete(table).where(eq(table.userId, actor.id));
    for (const table of [warningPreferences, mailPreferences]) await tx.delete(table).where(eq(table.userId, actor.id));
    if (!input.keepPosts) await removeAllPosts(tx, actor.id, now);
    await leaveConversationsOnDeletion(tx, actor.id, now, !input.keepPosts);
    // Ended with the rest of the deletion: no session outlives the account, even if this fails halfway.
    await endAllSessionsIn(tx, actor.id);
    return name;
  });

  return { ok: true as const, username };
}

/** Deletes (and erases) every post by the member and keeps the thread and board counters true. */
async function removeAllPosts(tx: Tx, userId: number, now: Date) {
  const visible = await tx
    .select({ threadId: posts.threadId, number: posts.number, boardId: threads.boardId })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(and(eq(posts.authorId, userId), isNull(posts.deletedAt), isNull(posts.removedAt), isNull(posts.heldAt)));

  // Deleted by their author, not removed by moderators: shown as such, and nobody can restore
  // them. The words are erased, earlier versions included, since the member asked for them to go.
  const theirs = tx.select({ id: posts.id }).from(posts).where(eq(posts.authorId, userId));
  await tx.delete(postRevisions).where(inArray(postRevisions.postId, theirs));
  await tx
    .update(posts)
    .set({ deletedAt: sql`coalesce(${posts.deletedAt}, ${sql.param(now, posts.deletedAt)})`, bodyMarkdown: "", bodyHtml: "", warningText: null })
    .where(eq(posts.authorId, userId));

  const repliesByThread = new Map<number, number>();
  const postsByBoard = new Map<number, number>();
  for (const post of visible) {
    if (post.number > 1) repliesByThread.set(post.threadId, (repliesByThread.get(post.threadId) ?? 0) + 1);
    postsByBoard.set(post.boardId, (postsByBoard.get(post.boardId) ?? 0) + 1);
  }
  for (const [threadId, n] of repliesByThread) {
    await tx
      .update(threads)
      .set({ replyCount: sql`${threads.replyCount} - ${n}` })
      .where(eq(threads.id, threadId));
  }

  // A thread they started goes too when nothing anyone else wrote is left in it; a thread with
  // other members' replies stays (its opening post shows as removed) so their words are not lost.
  const started = await tx
    .select({ id: threads.id, boardId: threads.boardId, heldAt: threads.heldAt })
    .from(threads)
    .where(and(eq(threads.authorId, userId), isNull(threads.removedAt)));
  const threadsByBoard = new Map<number, number>();
  const emptied: number[] = [];
  for (const thread of started) {
    const [left] = await tx
      .select({ id: posts.id })
      .from(posts)
      .where(and(eq(posts.threadId, thread.id), isNull(posts.deletedAt), isNull(posts.removedAt)))
      .limit(1);
    if (left) continue;
    emptied.push(thread.id);
    // A thread still waiting for a moderator was never in its board's count.
    if (thread.heldAt) continue;
    threadsByBoard.set(thread.boardId, (threadsByBoard.get(thread.boardId) ?? 0) + 1);
  }
  if (emptied.length) {
    await tx.update(threads).set({ removedAt: now, removedById: userId, removalReason: DELETED_POST_REASON }).where(inArray(threads.id, emptied));
  }
  for (const boardId of new Set([...postsByBoard.keys(), ...threadsByBoard.keys()])) {
    await tx
      .update(boards)
      .set({
        postCount: sql`${boards.postCount} - ${postsByBoard.get(boardId) ?? 0}`,
        threadCount: sql`${boards.threadCount} - ${threadsByBoard.get(boardId) ?? 0}`,
      })
      .where(eq(boards.id, boardId));
  }
}
