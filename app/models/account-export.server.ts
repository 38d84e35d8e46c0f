/**
 * Downloading everything we hold about a member (Settings › Your data). Deleting it is account.server.ts.
 */
import { asc, eq } from "drizzle-orm";
import { db } from "../../db/client.ts";
import {
  appeals,
  boards,
  drafts,
  follows,
  mutes,
  passkeys,
  postRevisions,
  posts,
  reactions,
  reports,
  sessions,
  threads,
  userConditions,
  users,
} from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { describeUserAgent } from "../utils/user-agent.ts";
import { listWatchedBoards } from "./board-watches.server.ts";
import { listBlockedMembers } from "./blocks.server.ts";
import { exportWarningChoices } from "./content-warnings.server.ts";
import { exportConversations } from "./conversation-account.server.ts";
import { exportMailSettings } from "./mail-preferences.server.ts";
import { exportSavedPosts } from "./saved.server.ts";
import { threadRefusal, threadStateColumns } from "./visibility.server.ts";

type Member = { id: number };

/**
 * Everything stored about the acting member, as plain JSON-ready data: profile, settings, posts
 * with their markdown and earlier versions, reactions, reports they filed, requests for review
 * of a suspension (with the answers; not which moderator gave them), follows, watched boards, mutes, blocks (never who blocked them), saved posts, drafts, and
 * how they hear about notifications, the sessions they are logged in with (browser, times; never the secret ids), their passkeys (names, dates), and
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
    mailSettings,
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
    exportMailSettings(actor.id),
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
      // When a mail server refused the address, or its owner marked our mail as spam (docs/decisions/041).
      emailRefusedAt: user.emailBouncedAt,
      emailComplainedAt: user.emailComplainedAt,
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
      // How they hear about each kind of notification ("now": by email at once, "daily", "weekly",
      // "site": only on the site), and the hours no mail goes (null: none), in their time zone.
      notificationMail: mailSettings,
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
