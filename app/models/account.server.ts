/**
 * A member's own account: downloading everything we hold about them, and deleting it.
 */
import { and, asc, eq, inArray, isNull, ne, sql } from "drizzle-orm";
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
  mailOutbox,
  mutes,
  notifications,
  passkeys,
  passwordResets,
  postRevisions,
  posts,
  reactions,
  reports,
  savedPosts,
  sessions,
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
import { describeUserAgent } from "../utils/user-agent.ts";
import { listWatchedBoards } from "./board-watches.server.ts";
import { listBlockedMembers } from "./blocks.server.ts";
import { exportWarningChoices } from "./content-warnings.server.ts";
import { exportConversations, leaveConversationsOnDeletion } from "./conversation-account.server.ts";
import { exportSavedPosts } from "./saved.server.ts";
import { threadStateColumns, threadRefusal } from "./visibility.server.ts";

type Member = { id: number };

export const DELETED_POST_REASON = "Deleted with the member's account";

/**
 * Everything stored about the acting member, as plain JSON-ready data: profile, settings, posts
 * with their markdown and earlier versions, reactions, reports they filed, requests for review
 * of a suspension (with the answers; not which moderator gave them), follows, watched boards, mutes, blocks (never who blocked them), saved posts, drafts, and
 * the sessions they are logged in with (browser, times; never the secret ids), their passkeys (names, dates), and
 * their private conversations with the messages they could read there.
 * Other people's private data (their emails, who reported whom) is never included.
 */
export async function exportUserData(actor: Member) {
  const [user] = await db.select().from(users).where(eq(users.id, actor.id)).limit(1);
  if (!user || user.deletedAt) notFound("There is no account to export.");

  const [
    conditions,
    threadsStarted,
    postRows,
    revisionRows,
    reactionRows,
    reportsFiled,
    requestsForReview,
    followRows,
    watchedBoards,
    muted,
    blocked,
    savedRows,
    draftRows,
    sessionRows,
    passkeyRows,
    warningChoices,
    conversationRows,
  ] = await Promise.all([
    db
      .select({ board: boards.slug, name: boards.name })
      .from(userConditions)
      .innerJoin(boards, eq(boards.id, userConditions.boardId))
      .where(eq(userConditions.userId, actor.id)),
    db
      .select({ id: threads.id, title: threads.title, board: boards.slug, createdAt: threads.createdAt, removedAt: threads.removedAt })
      .from(threads)
      .innerJoin(boards, eq(boards.id, threads.boardId))
      .where(eq(threads.authorId, actor.id))
      .orderBy(asc(threads.id)),
    db
      .select({
        id: posts.id,
        threadId: posts.threadId,
        threadTitle: threads.title,
        thread: threadStateColumns(),
        number: posts.number,
        bodyMarkdown: posts.bodyMarkdown,
        warningKind: posts.warningKind,
        warningText: posts.warningText,
        createdAt: posts.createdAt,
        editedAt: posts.editedAt,
        deletedAt: posts.deletedAt,
        removedAt: posts.removedAt,
        removalReason: posts.removalReason,
        // Unpublished, waiting for a moderator (docs/decisions/034), with their note if they returned it.
        waitingForModeratorSince: posts.heldAt,
        returnedByModerator: posts.returnReason,
      })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .where(eq(posts.authorId, actor.id))
      .orderBy(asc(posts.id)),
    db
      .select({
        postId: postRevisions.postId,
        title: postRevisions.title,
        bodyMarkdown: postRevisions.bodyMarkdown,
        warningKind: postRevisions.warningKind,
        warningText: postRevisions.warningText,
        writtenAt: postRevisions.writtenAt,
        replacedAt: postRevisions.replacedAt,
      })
      .from(postRevisions)
      .innerJoin(posts, eq(posts.id, postRevisions.postId))
      .where(eq(posts.authorId, actor.id))
      .orderBy(asc(postRevisions.id)),
    db.select({ postId: reactions.postId, kind: reactions.kind, createdAt: reactions.createdAt }).from(reactions).where(eq(reactions.userId, actor.id)),
    db
      .select({
        postId: reports.postId,
        reason: reports.reason,
        note: reports.note,
        status: reports.status,
        resolution: reports.resolution,
        createdAt: reports.createdAt,
      })
      .from(reports)
      .where(eq(reports.reporterId, actor.id)),
    db
      .select({
        sentAt: appeals.createdAt,
        text: appeals.body,
        status: appeals.status,
        answeredAt: appeals.decidedAt,
        reply: appeals.reply,
      })
      .from(appeals)
      .where(eq(appeals.userId, actor.id))
      .orderBy(asc(appeals.id)),
    db
      .select({
        threadId: follows.threadId,
        title: threads.title,
        since: follows.createdAt,
        thread: threadStateColumns(),
      })
      .from(follows)
      .innerJoin(threads, eq(threads.id, follows.threadId))
      .where(eq(follows.userId, actor.id)),
    listWatchedBoards(actor.id),
    db
      .select({ username: users.username, since: mutes.createdAt })
      .from(mutes)
      .innerJoin(users, eq(users.id, mutes.mutedUserId))
      .where(eq(mutes.userId, actor.id)),
    listBlockedMembers(actor.id),
    exportSavedPosts(actor.id),
    db
      .select({
        key: drafts.key,
        title: drafts.title,
        body: drafts.body,
        warningKind: drafts.warningKind,
        warningText: drafts.warningText,
        recipients: drafts.recipients,
        updatedAt: drafts.updatedAt,
      })
      .from(drafts)
      .where(eq(drafts.userId, actor.id)),
    db
      .select({ userAgent: sessions.userAgent, signedInAt: sessions.createdAt, lastActiveAt: sessions.lastSeenAt, expiresAt: sessions.expiresAt })
      .from(sessions)
      .where(eq(sessions.userId, actor.id)),
    // Names and dates only: the public keys are of no use to the member, and nothing else is kept.
    db.select({ name: passkeys.name, addedAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt }).from(passkeys).where(eq(passkeys.userId, actor.id)),
    exportWarningChoices(actor.id),
    exportConversations(actor.id),
  ]);

  const revisionsByPost = new Map<number, Omit<(typeof revisionRows)[number], "postId">[]>();
  for (const { postId, ...revision } of revisionRows) {
    const list = revisionsByPost.get(postId) ?? [];
    list.push(revision);
    revisionsByPost.set(postId, list);
  }

  return {
    exportedAt: new Date().toISOString(),
    format: "unclench-export-v1",
    profile: {
      id: user.id,
      username: user.username,
      email: user.email,
      emailConfirmedAt: user.emailVerifiedAt,
      role: user.role,
      createdAt: user.createdAt,
      bioMarkdown: user.bioMarkdown,
      conditions,
      restrictions: {
        suspendedAt: user.suspendedAt,
        suspendedUntil: user.suspendedUntil,
        suspendReason: user.suspendReason,
        silencedAt: user.silencedAt,
        silencedUntil: user.silencedUntil,
        silenceReason: user.silenceReason,
      },
    },
    settings: {
      // Who sees each part of their profile: "everyone", "members" (logged in) or "nobody" (only them).
      profileVisibility: { bio: user.bioVisibility, conditions: user.conditionsVisibility, joined: user.joinedVisibility },
      theme: user.theme,
      textSize: user.textSize,
      reducedMotion: user.reducedMotion,
      timeZone: user.timeZone,
      guidelinesAcceptedAt: user.guidelinesAcceptedAt,
      // How posts with each kind of content warning are shown to them: "collapsed", "show" or "hide".
      contentWarnings: warningChoices,
    },
    threadsStarted,
    // Their own words, always; a thread they may no longer open (visibility.server.ts) is not named.
    posts: postRows.map(({ thread, threadTitle, ...post }) => ({
      ...post,
      threadTitle: threadRefusal(user, thread) === null ? threadTitle : null,
      earlierVersions: revisionsByPost.get(post.id) ?? [],
    })),
    reactions: reactionRows,
    reportsFiled,
    requestsForReview,
    following: followRows.map(({ thread, title, ...follow }) => ({ ...follow, title: threadRefusal(user, thread) === null ? title : null })),
    watchedBoards,
    muted,
    blocked,
    savedPosts: savedRows,
    drafts: draftRows,
    sessions: sessionRows.map((s) => ({ ...s, device: describeUserAgent(s.userAgent), expiresAt: new Date(s.expiresAt * 1000) })),
    passkeys: passkeyRows,
    privateConversations: conversationRows,
  };
}

export type DeleteAccountInput = { password: string; keepPosts: boolean };

/**
 * Deletes the acting member's account after checking their password. The row stays, so kept
 * posts still have an author, but it no longer identifies anyone: the name becomes
 * "deleted-member-<id>", the email and password hash are erased (an empty hash never verifies,
 * so nobody can log in), the bio, drafts, follows, watched boards, mutes, their blocks, saved posts, reactions, notifications, requests
 * for review of a suspension (with their form tokens), password reset links, mail to them, email links and passkeys go, and
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
    ]) {
      await tx.delete(table).where(eq(table.userId, actor.id));
    }
    // The row stays (kept posts need an author), so nothing cascades from it: passkeys go here too.
    for (const table of [passkeys, webauthnChallenges]) await tx.delete(table).where(eq(table.userId, actor.id));
    // Mail to them, sent or waiting, and links for their address: the address is erased with the rest.
    for (const table of [mailOutbox, emailConfirmations]) await tx.delete(table).where(eq(table.userId, actor.id));
    await tx.delete(warningPreferences).where(eq(warningPreferences.userId, actor.id));
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
