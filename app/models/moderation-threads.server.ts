/** Moderators' actions on a thread: pin and order, lock, remove and restore, move. Each is logged. */
import { and, asc, eq, isNotNull, max, sql, type SQL } from "drizzle-orm";
import type { Tx } from "../../db/client.ts";
import { boards, threads, users } from "../../db/schema.ts";
import { conflict, forbidden, notFound } from "../utils/http.server.ts";
import { canModerateContent, type Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { membersOnlySql } from "./visibility.server.ts";
import { moderate, type Staff } from "./moderation.server.ts";
import { notifyModeration } from "./notifications.server.ts";

async function threadForModeration(tx: Tx, actor: Staff, threadId: number) {
  const [thread] = await tx
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
      membersOnly: membersOnlySql(),
      heldAt: threads.heldAt,
    })
    .from(threads)
    .innerJoin(users, eq(users.id, threads.authorId))
    .where(eq(threads.id, threadId))
    .limit(1);
  if (!thread) notFound("There is no thread at this address.");
  // Unpublished, it is in no list or count these actions change: review it first (review.server.ts).
  if (thread.heldAt) conflict("This thread waits for review: approve or return its opening post in the review queue first.");
  if (!canModerateContent(actor, { id: thread.authorId, role: thread.authorRole })) {
    forbidden("Moderators can't act on an admin's content.");
  }
  return thread;
}

export async function pinThread(actor: Actor, threadId: number) {
  return moderate(actor, threadForModeration, threadId, async (tx, thread, staff) => {
    if (thread.pinPosition !== null) return;
    const [last] = await tx
      .select({ value: max(threads.pinPosition) })
      .from(threads)
      .where(eq(threads.boardId, thread.boardId));
    await tx
      .update(threads)
      .set({ pinPosition: (last?.value ?? 0) + 1 })
      .where(eq(threads.id, threadId));
    await logModeratorAction(tx, { actorId: staff.id, action: "pin", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId });
  });
}

export async function unpinThread(actor: Actor, threadId: number) {
  return moderate(actor, threadForModeration, threadId, async (tx, thread, staff) => {
    if (thread.pinPosition === null) return;
    await tx.update(threads).set({ pinPosition: null }).where(eq(threads.id, threadId));
    await logModeratorAction(tx, { actorId: staff.id, action: "unpin", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId });
  });
}

/** Swaps a pinned thread with its neighbour above or below on the same board. */
export async function movePin(actor: Actor, threadId: number, direction: "up" | "down") {
  return moderate(actor, threadForModeration, threadId, async (tx, thread, staff) => {
    if (thread.pinPosition === null) return;
    const pinned = await tx
      .select({ id: threads.id, pinPosition: threads.pinPosition })
      .from(threads)
      .where(and(eq(threads.boardId, thread.boardId), isNotNull(threads.pinPosition)))
      .orderBy(asc(threads.pinPosition));
    const index = pinned.findIndex((t) => t.id === threadId);
    const other = pinned[direction === "up" ? index - 1 : index + 1];
    if (!other) return;
    await tx.update(threads).set({ pinPosition: other.pinPosition }).where(eq(threads.id, threadId));
    await tx.update(threads).set({ pinPosition: thread.pinPosition }).where(eq(threads.id, other.id));
    await logModeratorAction(tx, { actorId: staff.id, action: `pin-${direction}`, targetType: "thread", targetId: threadId });
  });
}

// Locking a locked thread again replaces the reason (logged and notified); unlocking an open
// thread does nothing. That difference is why lock and unlock are two functions.
export async function lockThread(actor: Actor, threadId: number, reason: string) {
  return moderate(actor, threadForModeration, threadId, async (tx, thread, staff) => {
    await tx.update(threads).set({ lockedAt: new Date(), lockReason: reason }).where(eq(threads.id, threadId));
    await logModeratorAction(tx, { actorId: staff.id, action: "lock", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId, reason });
    await notifyModeration(tx, { userId: thread.authorId, actorId: staff.id, threadId, text: `A moderator locked your thread. Reason: ${reason}` });
  });
}

export async function unlockThread(actor: Actor, threadId: number) {
  return moderate(actor, threadForModeration, threadId, async (tx, thread, staff) => {
    if (!thread.lockedAt) return;
    await tx.update(threads).set({ lockedAt: null, lockReason: null }).where(eq(threads.id, threadId));
    await logModeratorAction(tx, { actorId: staff.id, action: "unlock", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId });
  });
}

/** A removed thread leaves its board's list and counts; its rows stay for restoring. */
export async function removeThread(actor: Actor, threadId: number, reason: string) {
  return moderate(actor, threadForModeration, threadId, async (tx, thread, staff) => {
    if (thread.removedAt) return;
    await tx.update(threads).set({ removedAt: new Date(), removedById: staff.id, removalReason: reason, pinPosition: null }).where(eq(threads.id, threadId));
    await adjustBoardCounts(tx, thread.boardId, -1, -(thread.replyCount + 1));
    await logModeratorAction(tx, {
      actorId: staff.id,
      action: "remove-thread",
      targetType: "thread",
      targetId: threadId,
      subjectUserId: thread.authorId,
      reason,
    });
    await notifyModeration(tx, { userId: thread.authorId, actorId: staff.id, threadId, text: `A moderator removed your thread. Reason: ${reason}` });
  });
}

export async function restoreThread(actor: Actor, threadId: number, reason: string) {
  return moderate(actor, threadForModeration, threadId, async (tx, thread, staff) => {
    if (!thread.removedAt) return;
    // Only account deletion removes a thread on its author's behalf: they asked for their words
    // to go, and no moderator may bring them back.
    if (thread.removedById === thread.authorId) forbidden("Its author removed this thread when they deleted their account, so it can't be restored.");
    await tx.update(threads).set({ removedAt: null, removedById: null, removalReason: null }).where(eq(threads.id, threadId));
    await adjustBoardCounts(tx, thread.boardId, 1, thread.replyCount + 1);
    await logModeratorAction(tx, {
      actorId: staff.id,
      action: "restore-thread",
      targetType: "thread",
      targetId: threadId,
      subjectUserId: thread.authorId,
      reason,
    });
    await notifyModeration(tx, { userId: thread.authorId, actorId: staff.id, threadId, text: `A moderator restored your thread. Reason: ${reason}` });
  });
}

export async function moveThread(actor: Actor, threadId: number, boardSlug: string) {
  return moderate(actor, threadForModeration, threadId, async (tx, thread, staff) => {
    const [target] = await tx.select({ id: boards.id, name: boards.name }).from(boards).where(eq(boards.slug, boardSlug)).limit(1);
    if (!target) notFound("There is no such board.");
    if (target.id === thread.boardId) return;
    // What was written for members stays theirs wherever it goes.
    await tx.update(threads).set({ boardId: target.id, pinPosition: null, membersOnly: thread.membersOnly }).where(eq(threads.id, threadId));
    if (!thread.removedAt) {
      await adjustBoardCounts(tx, thread.boardId, -1, -(thread.replyCount + 1));
      await adjustBoardCounts(tx, target.id, 1, thread.replyCount + 1);
    }
    await logModeratorAction(tx, {
      actorId: staff.id,
      action: "move",
      targetType: "thread",
      targetId: threadId,
      subjectUserId: thread.authorId,
      reason: `Moved to ${target.name}`,
    });
    await notifyModeration(tx, { userId: thread.authorId, actorId: staff.id, threadId, text: `A moderator moved your thread to ${target.name}.` });
  });
}

// Two-argument max() is SQLite's; greatest() is PostgreSQL's. A case expression is both engines'.
const atLeastZero = (value: SQL) => sql`case when ${value} > 0 then ${value} else 0 end`;

async function adjustBoardCounts(tx: Tx, boardId: number, threadDelta: number, postDelta: number) {
  await tx
    .update(boards)
    .set({
      threadCount: atLeastZero(sql`${boards.threadCount} + ${threadDelta}`),
      postCount: atLeastZero(sql`${boards.postCount} + ${postDelta}`),
    })
    .where(eq(boards.id, boardId));
}
