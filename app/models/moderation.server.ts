import { and, asc, desc, eq, inArray, isNotNull, isNull, max, sql } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { boards, moderationLog, posts, reports, threads, users, type Role } from "../../db/schema.ts";
import { endAllSessionsIn } from "../utils/auth.server.ts";
import { conflict, forbidden, notFound } from "../utils/http.server.ts";
import { canChangeRole, canModerate, canModerateContent, isStaff, type Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { notifyModeration } from "./notifications.server.ts";
import { requireReadablePost } from "./visibility.server.ts";

type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];
type Staff = NonNullable<Actor>;

export const removalReasons = {
  spam: "Spam",
  harassment: "Harassment",
  misinformation: "Misinformation or unsafe medical advice",
  "off-topic": "Off-topic",
  "personal-information": "Personal information",
  other: "Other",
} as const;
export type RemovalReason = keyof typeof removalReasons;

/**
 * "Other" is the moderator's own words, as written ("Other: …" read as a form label to the
 * member whose post it was); every other reason is its label.
 */
export function removalReasonText(reason: RemovalReason, detail?: string) {
  return reasonText(removalReasons, reason, detail);
}

// Restoring says why too: the author was told why it went, and deserves to hear why it is back.
export const restoreReasons = {
  mistake: "Removed by mistake",
  edited: "Edited to fit the guidelines",
  other: "Other",
} as const;
export type RestoreReason = keyof typeof restoreReasons;

export function restoreReasonText(reason: RestoreReason, detail?: string) {
  return reasonText(restoreReasons, reason, detail);
}

function reasonText<K extends string>(labels: Record<K | "other", string>, reason: K | "other", detail?: string) {
  return reason === "other" && detail?.trim() ? detail.trim() : labels[reason];
}

function assertStaff(actor: Actor): asserts actor is Staff {
  if (!isStaff(actor)) forbidden("Only moderators can do that.");
}

function run<T>(fn: (tx: Tx) => T) {
  return db.transaction(fn, { behavior: "immediate" });
}

/**
 * Every action on a thread, post or member starts so: staff only, then `find` reads the target
 * and refuses what this moderator may not touch (an admin's content, a member they can't
 * restrict), inside the same immediate transaction as the change and its log entry.
 */
function moderate<Target, T>(actor: Actor, find: (tx: Tx, staff: Staff, id: number) => Target, id: number, act: (tx: Tx, target: Target, staff: Staff) => T) {
  assertStaff(actor);
  return run((tx) => act(tx, find(tx, actor, id), actor));
}

function threadForModeration(tx: Tx, actor: Staff, threadId: number) {
  const thread = tx
    .select({
      id: threads.id,
      boardId: threads.boardId,
      authorId: threads.authorId,
      authorRole: users.role,
      replyCount: threads.replyCount,
      pinPosition: threads.pinPosition,
      lockedAt: threads.lockedAt,
      removedAt: threads.removedAt,
      removedById: threads.removedById,
    })
    .from(threads)
    .innerJoin(users, eq(users.id, threads.authorId))
    .where(eq(threads.id, threadId))
    .get();
  if (!thread) notFound("There is no thread at this address.");
  if (!canModerateContent(actor, { id: thread.authorId, role: thread.authorRole })) {
    forbidden("Moderators can't act on an admin's content.");
  }
  return thread;
}

// ——— Threads ———

export function pinThread(actor: Actor, threadId: number) {
  return moderate(actor, threadForModeration, threadId, (tx, thread, staff) => {
    if (thread.pinPosition !== null) return;
    const last = tx
      .select({ value: max(threads.pinPosition) })
      .from(threads)
      .where(eq(threads.boardId, thread.boardId))
      .get();
    tx.update(threads)
      .set({ pinPosition: (last?.value ?? 0) + 1 })
      .where(eq(threads.id, threadId))
      .run();
    logModeratorAction(tx, { actorId: staff.id, action: "pin", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId });
  });
}

export function unpinThread(actor: Actor, threadId: number) {
  return moderate(actor, threadForModeration, threadId, (tx, thread, staff) => {
    if (thread.pinPosition === null) return;
    tx.update(threads).set({ pinPosition: null }).where(eq(threads.id, threadId)).run();
    logModeratorAction(tx, { actorId: staff.id, action: "unpin", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId });
  });
}

/** Swaps a pinned thread with its neighbour above or below on the same board. */
export function movePin(actor: Actor, threadId: number, direction: "up" | "down") {
  return moderate(actor, threadForModeration, threadId, (tx, thread, staff) => {
    if (thread.pinPosition === null) return;
    const pinned = tx
      .select({ id: threads.id, pinPosition: threads.pinPosition })
      .from(threads)
      .where(and(eq(threads.boardId, thread.boardId), isNotNull(threads.pinPosition)))
      .orderBy(asc(threads.pinPosition))
      .all();
    const index = pinned.findIndex((t) => t.id === threadId);
    const other = pinned[direction === "up" ? index - 1 : index + 1];
    if (!other) return;
    tx.update(threads).set({ pinPosition: other.pinPosition }).where(eq(threads.id, threadId)).run();
    tx.update(threads).set({ pinPosition: thread.pinPosition }).where(eq(threads.id, other.id)).run();
    logModeratorAction(tx, { actorId: staff.id, action: `pin-${direction}`, targetType: "thread", targetId: threadId });
  });
}

// Locking a locked thread again replaces the reason (logged and notified); unlocking an open
// thread does nothing. That difference is why lock and unlock are two functions.
export function lockThread(actor: Actor, threadId: number, reason: string) {
  return moderate(actor, threadForModeration, threadId, (tx, thread, staff) => {
    tx.update(threads).set({ lockedAt: new Date(), lockReason: reason }).where(eq(threads.id, threadId)).run();
    logModeratorAction(tx, { actorId: staff.id, action: "lock", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId, reason });
    notifyModeration(tx, { userId: thread.authorId, actorId: staff.id, threadId, text: `A moderator locked your thread. Reason: ${reason}` });
  });
}

export function unlockThread(actor: Actor, threadId: number) {
  return moderate(actor, threadForModeration, threadId, (tx, thread, staff) => {
    if (!thread.lockedAt) return;
    tx.update(threads).set({ lockedAt: null, lockReason: null }).where(eq(threads.id, threadId)).run();
    logModeratorAction(tx, { actorId: staff.id, action: "unlock", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId });
  });
}

/** A removed thread leaves its board's list and counts; its rows stay for restoring. */
export function removeThread(actor: Actor, threadId: number, reason: string) {
  return moderate(actor, threadForModeration, threadId, (tx, thread, staff) => {
    if (thread.removedAt) return;
    tx.update(threads).set({ removedAt: new Date(), removedById: staff.id, removalReason: reason, pinPosition: null }).where(eq(threads.id, threadId)).run();
    adjustBoardCounts(tx, thread.boardId, -1, -(thread.replyCount + 1));
    logModeratorAction(tx, { actorId: staff.id, action: "remove-thread", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId, reason });
    notifyModeration(tx, { userId: thread.authorId, actorId: staff.id, threadId, text: `A moderator removed your thread. Reason: ${reason}` });
  });
}

export function restoreThread(actor: Actor, threadId: number, reason: string) {
  return moderate(actor, threadForModeration, threadId, (tx, thread, staff) => {
    if (!thread.removedAt) return;
    // Only account deletion removes a thread on its author's behalf: they asked for their words
    // to go, and no moderator may bring them back.
    if (thread.removedById === thread.authorId) forbidden("Its author removed this thread when they deleted their account, so it can't be restored.");
    tx.update(threads).set({ removedAt: null, removedById: null, removalReason: null }).where(eq(threads.id, threadId)).run();
    adjustBoardCounts(tx, thread.boardId, 1, thread.replyCount + 1);
    logModeratorAction(tx, { actorId: staff.id, action: "restore-thread", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId, reason });
    notifyModeration(tx, { userId: thread.authorId, actorId: staff.id, threadId, text: `A moderator restored your thread. Reason: ${reason}` });
  });
}

export function moveThread(actor: Actor, threadId: number, boardSlug: string) {
  return moderate(actor, threadForModeration, threadId, (tx, thread, staff) => {
    const target = tx.select({ id: boards.id, name: boards.name }).from(boards).where(eq(boards.slug, boardSlug)).get();
    if (!target) notFound("There is no such board.");
    if (target.id === thread.boardId) return;
    tx.update(threads).set({ boardId: target.id, pinPosition: null }).where(eq(threads.id, threadId)).run();
    if (!thread.removedAt) {
      adjustBoardCounts(tx, thread.boardId, -1, -(thread.replyCount + 1));
      adjustBoardCounts(tx, target.id, 1, thread.replyCount + 1);
    }
    logModeratorAction(tx, {
      actorId: staff.id,
      action: "move",
      targetType: "thread",
      targetId: threadId,
      subjectUserId: thread.authorId,
      reason: `Moved to ${target.name}`,
    });
    notifyModeration(tx, { userId: thread.authorId, actorId: staff.id, threadId, text: `A moderator moved your thread to ${target.name}.` });
  });
}

function adjustBoardCounts(tx: Tx, boardId: number, threadDelta: number, postDelta: number) {
  tx.update(boards)
    .set({
      threadCount: sql`max(0, ${boards.threadCount} + ${threadDelta})`,
      postCount: sql`max(0, ${boards.postCount} + ${postDelta})`,
    })
    .where(eq(boards.id, boardId))
    .run();
}

// ——— Posts ———

function postForModeration(tx: Tx, actor: Staff, postId: number) {
  const post = tx
    .select({
      id: posts.id,
      threadId: posts.threadId,
      number: posts.number,
      authorId: posts.authorId,
      authorRole: users.role,
      deletedAt: posts.deletedAt,
      removedAt: posts.removedAt,
      removedById: posts.removedById,
      boardId: threads.boardId,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, postId))
    .get();
  if (!post) notFound("There is no post at this address.");
  if (!canModerateContent(actor, { id: post.authorId, role: post.authorRole })) {
    forbidden("Moderators can't act on an admin's content.");
  }
  return post;
}

/** Closes every open report on a post, recording who resolved them and how. */
function resolveReports(tx: Tx, actor: Staff, postId: number, resolution: "removed" | "dismissed" | "suspended") {
  return tx
    .update(reports)
    .set({ status: "resolved", resolvedById: actor.id, resolvedAt: new Date(), resolution })
    .where(and(eq(reports.postId, postId), eq(reports.status, "open")))
    .run().changes;
}

export function removePost(actor: Actor, postId: number, reason: string) {
  return moderate(actor, postForModeration, postId, (tx, post, staff) => {
    if (!post.removedAt) {
      tx.update(posts).set({ removedAt: new Date(), removedById: staff.id, removalReason: reason }).where(eq(posts.id, postId)).run();
      // Counts show what members can read: only a visible reply leaves them.
      if (!post.deletedAt) adjustPostCounts(tx, post, -1);
      logModeratorAction(tx, { actorId: staff.id, action: "remove-post", targetType: "post", targetId: postId, subjectUserId: post.authorId, reason });
      notifyModeration(tx, {
        userId: post.authorId,
        actorId: staff.id,
        threadId: post.threadId,
        postId,
        text: `A moderator removed your post. Reason: ${reason}`,
      });
    }
    resolveReports(tx, staff, postId, "removed");
    return { threadId: post.threadId, number: post.number };
  });
}

export function restorePost(actor: Actor, postId: number, reason: string) {
  return moderate(actor, postForModeration, postId, (tx, post, staff) => {
    if (post.removedAt) {
      // Account deletion once removed posts on their author's behalf (it deletes them now):
      // those stay gone, as the member asked.
      if (post.removedById === post.authorId) forbidden("Its author removed this post when they deleted their account, so it can't be restored.");
      tx.update(posts).set({ removedAt: null, removedById: null, removalReason: null }).where(eq(posts.id, postId)).run();
      if (!post.deletedAt) adjustPostCounts(tx, post, 1);
      logModeratorAction(tx, { actorId: staff.id, action: "restore-post", targetType: "post", targetId: postId, subjectUserId: post.authorId, reason });
      notifyModeration(tx, {
        userId: post.authorId,
        actorId: staff.id,
        threadId: post.threadId,
        postId,
        text: `A moderator restored your post. Reason: ${reason}`,
      });
    }
    return { threadId: post.threadId, number: post.number };
  });
}

function adjustPostCounts(tx: Tx, post: { threadId: number; number: number; boardId: number }, delta: number) {
  if (post.number > 1) {
    tx.update(threads)
      .set({ replyCount: sql`max(0, ${threads.replyCount} + ${delta})` })
      .where(eq(threads.id, post.threadId))
      .run();
  }
  tx.update(boards)
    .set({ postCount: sql`max(0, ${boards.postCount} + ${delta})` })
    .where(eq(boards.id, post.boardId))
    .run();
}

export function dismissReports(actor: Actor, postId: number, note?: string) {
  return moderate(actor, postForModeration, postId, (tx, post, staff) => {
    const closed = resolveReports(tx, staff, postId, "dismissed");
    if (closed) {
      logModeratorAction(tx, {
        actorId: staff.id,
        action: "dismiss-reports",
        targetType: "post",
        targetId: postId,
        subjectUserId: post.authorId,
        privateNote: note || null,
      });
    }
    return closed;
  });
}

const dismissalActions = ["dismiss-reports", "reopen-reports"];
const NOTHING_TO_REOPEN = "There is nothing to reopen on this post: its reports were reopened already, or reported again since.";

/**
 * The log entry of a post's latest dismissal, or null when it has none or was since reopened.
 * The log, not the reports, says which came last: after a reopen, an older dismissal's reports
 * are still "dismissed", and must stay so.
 */
function latestDismissal(tx: Tx | typeof db, postId: number) {
  const last = tx
    .select({ id: moderationLog.id, action: moderationLog.action, actorId: moderationLog.actorId })
    .from(moderationLog)
    .where(and(eq(moderationLog.targetType, "post"), eq(moderationLog.targetId, postId), inArray(moderationLog.action, dismissalActions)))
    .orderBy(desc(moderationLog.id))
    .limit(1)
    .get();
  return last?.action === "dismiss-reports" ? last : null;
}

/**
 * Undoes the latest "Dismiss reports" on a post: exactly the reports it closed (one resolver,
 * one resolution time) go back to the queue. A post removed since keeps them closed.
 */
export function reopenReports(actor: Actor, postId: number) {
  return moderate(actor, postForModeration, postId, (tx, post, staff) => {
    if (post.removedAt || post.deletedAt) conflict("This post was removed or deleted since, so its reports stay closed.");
    const dismissal = latestDismissal(tx, postId);
    if (!dismissal) conflict(NOTHING_TO_REOPEN);
    const dismissed = and(eq(reports.postId, postId), eq(reports.resolution, "dismissed"), eq(reports.resolvedById, dismissal.actorId));
    const at = tx
      .select({ value: max(reports.resolvedAt) })
      .from(reports)
      .where(dismissed)
      .get()?.value;
    const reopened = at
      ? tx
          .update(reports)
          .set({ status: "open", resolvedById: null, resolvedAt: null, resolution: null })
          .where(
            and(
              dismissed,
              eq(reports.resolvedAt, at),
              // One dismissal closes at most one report per reporter (one open each). Two
              // dismissals in the same millisecond share a time, so only the newest counts.
              sql`reports.id = (select max(same.id) from reports as same where same.post_id = reports.post_id and same.resolved_at = reports.resolved_at and same.resolution = 'dismissed' and same.reporter_id is reports.reporter_id)`,
              // A member who reported the post again since already has an open report on it
              // (one per member); theirs is the one that counts.
              sql`not exists (select 1 from reports as again where again.post_id = reports.post_id and again.reporter_id = reports.reporter_id and again.status = 'open')`,
            ),
          )
          .run().changes
      : 0;
    if (!reopened) conflict(NOTHING_TO_REOPEN);
    logModeratorAction(tx, { actorId: staff.id, action: "reopen-reports", targetType: "post", targetId: postId, subjectUserId: post.authorId });
    return { postId, reopened };
  });
}

/**
 * Of the given "dismiss-reports" log entries, those a moderator could still reopen: each post's
 * latest dismissal, on a post still up and theirs to moderate (for Reopen on /mod/log).
 */
export function reopenableDismissals(actor: Actor, entryIds: number[]) {
  if (!isStaff(actor) || entryIds.length === 0) return [];
  return db
    .select({
      id: moderationLog.id,
      postId: posts.id,
      removedAt: posts.removedAt,
      deletedAt: posts.deletedAt,
      authorId: posts.authorId,
      authorRole: users.role,
    })
    .from(moderationLog)
    .innerJoin(posts, eq(posts.id, moderationLog.targetId))
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(inArray(moderationLog.id, entryIds), eq(moderationLog.action, "dismiss-reports"), eq(moderationLog.targetType, "post")))
    .all()
    .filter((c) => !c.removedAt && !c.deletedAt && canModerateContent(actor, { id: c.authorId, role: c.authorRole }))
    .filter((c) => latestDismissal(db, c.postId)?.id === c.id)
    .map((c) => c.id);
}

// ——— Members ———

export const restrictionDurations = {
  "1d": { label: "1 day", days: 1 },
  "3d": { label: "3 days", days: 3 },
  "7d": { label: "1 week", days: 7 },
  "14d": { label: "2 weeks", days: 14 },
  "30d": { label: "30 days", days: 30 },
  "90d": { label: "90 days", days: 90 },
  "365d": { label: "1 year", days: 365 },
  permanent: { label: "Permanently", days: null },
} as const;
export type RestrictionDuration = keyof typeof restrictionDurations;

function memberForModeration(tx: Tx, actor: Staff, userId: number) {
  const subject = tx.select({ id: users.id, role: users.role, username: users.username }).from(users).where(eq(users.id, userId)).get();
  if (!subject) notFound("There is no such member.");
  if (!canModerate(actor, subject)) {
    forbidden(actor.id === subject.id ? "You can't restrict your own account." : "Moderators can't restrict admins or other moderators.");
  }
  return subject;
}

function endOf(duration: RestrictionDuration) {
  const days = restrictionDurations[duration].days;
  return days === null ? null : new Date(Date.now() + days * 86_400_000);
}

/** A restriction's log entry: the moderator's reason, and for how long. */
function logRestriction(tx: Tx, staff: Staff, userId: number, action: "suspend" | "silence", input: { duration: RestrictionDuration; reason: string }) {
  logModeratorAction(tx, {
    actorId: staff.id,
    action,
    targetType: "user",
    targetId: userId,
    subjectUserId: userId,
    reason: `${input.reason} (${restrictionDurations[input.duration].label.toLowerCase()})`,
  });
}

/** Suspension: every session ends at once, and logging in shows only the notice. */
export function suspendMember(actor: Actor, userId: number, input: { duration: RestrictionDuration; reason: string; fromReportPostId?: number }) {
  return moderate(actor, memberForModeration, userId, (tx, subject, staff) => {
    const until = endOf(input.duration);
    tx.update(users).set({ suspendedAt: new Date(), suspendedUntil: until, suspendReason: input.reason }).where(eq(users.id, userId)).run();
    endAllSessionsIn(tx, userId);
    logRestriction(tx, staff, userId, "suspend", input);
    if (input.fromReportPostId) resolveReports(tx, staff, input.fromReportPostId, "suspended");
    return subject;
  });
}

/** Silence: read-only, sessions kept. */
export function silenceMember(actor: Actor, userId: number, input: { duration: RestrictionDuration; reason: string }) {
  return moderate(actor, memberForModeration, userId, (tx, subject, staff) => {
    tx.update(users)
      .set({ silencedAt: new Date(), silencedUntil: endOf(input.duration), silenceReason: input.reason })
      .where(eq(users.id, userId))
      .run();
    logRestriction(tx, staff, userId, "silence", input);
    return subject;
  });
}

export function liftRestriction(actor: Actor, userId: number, which: "suspension" | "silence") {
  return moderate(actor, memberForModeration, userId, (tx, subject, staff) => {
    const cleared =
      which === "suspension"
        ? { suspendedAt: null, suspendedUntil: null, suspendReason: null }
        : { silencedAt: null, silencedUntil: null, silenceReason: null };
    tx.update(users).set(cleared).where(eq(users.id, userId)).run();
    logModeratorAction(tx, {
      actorId: staff.id,
      action: which === "suspension" ? "unsuspend" : "unsilence",
      targetType: "user",
      targetId: userId,
      subjectUserId: userId,
    });
    return subject;
  });
}

export function setRole(actor: Actor, userId: number, role: Extract<Role, "member" | "moderator">) {
  assertStaff(actor);
  return run((tx) => {
    const subject = tx.select({ id: users.id, role: users.role, username: users.username }).from(users).where(eq(users.id, userId)).get();
    if (!subject) notFound("There is no such member.");
    if (!canChangeRole(actor, subject, role)) forbidden("Only admins change roles, never their own, and never to or from admin here.");
    if (subject.role === role) return subject;
    tx.update(users).set({ role }).where(eq(users.id, userId)).run();
    logModeratorAction(tx, {
      actorId: actor.id,
      action: role === "moderator" ? "grant-moderator" : "revoke-moderator",
      targetType: "user",
      targetId: userId,
      subjectUserId: userId,
    });
    return subject;
  });
}

/** The member's standing as moderators see it (for the member page). */
export function getMemberStanding(actor: Actor, username: string) {
  assertStaff(actor);
  const member = db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      createdAt: users.createdAt,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      suspendReason: users.suspendReason,
      silencedAt: users.silencedAt,
      silencedUntil: users.silencedUntil,
      silenceReason: users.silenceReason,
    })
    .from(users)
    .where(and(eq(users.username, username.toLowerCase()), isNull(users.deletedAt)))
    .get();
  if (!member) notFound("There is no such member.");
  return { ...member, canRestrict: canModerate(actor, member) };
}

/** A post as moderators see it (visibility.server.ts): a removed post's words, not a deleted one's. */
export function getPostForModeration(actor: Actor, postId: number) {
  assertStaff(actor);
  const post = requireReadablePost(actor, postId);
  return {
    id: post.id,
    threadId: post.threadId,
    number: post.number,
    bodyHtml: post.bodyHtml,
    createdAt: post.createdAt,
    deletedAt: post.deletedAt,
    removedAt: post.removedAt,
    removalReason: post.removalReason,
    author: post.author,
    authorId: post.authorId,
    authorRole: post.authorRole,
    threadTitle: post.threadTitle,
    canModerate: canModerateContent(actor, { id: post.authorId, role: post.authorRole }),
  };
}

/** Members for the admin page: a prefix search on the username index, 50 at a time. */
export function listMembers(actor: Actor, input: { q?: string; page: number }) {
  assertStaff(actor);
  const q = input.q?.trim().toLowerCase() ?? "";
  const rows = db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      createdAt: users.createdAt,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      silencedAt: users.silencedAt,
      silencedUntil: users.silencedUntil,
    })
    .from(users)
    .where(and(isNull(users.deletedAt), q ? and(sql`${users.username} >= ${q}`, sql`${users.username} < ${q + "\uffff"}`) : undefined))
    .orderBy(asc(users.username))
    .limit(51)
    .offset((input.page - 1) * 50)
    .all();
  return {
    members: rows.slice(0, 50).map((m) => ({
      ...m,
      canChangeRole: m.role !== "admin" && canChangeRole(actor, m, m.role === "moderator" ? "member" : "moderator"),
    })),
    hasMore: rows.length > 50,
  };
}
