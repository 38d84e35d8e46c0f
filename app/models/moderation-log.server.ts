import { and, desc, eq, inArray, notInArray } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, type Executor } from "../../db/client.ts";
import { moderationLog, posts, threads, users } from "../../db/schema.ts";
import { forbidden } from "../utils/http.server.ts";
import { logEvent } from "../utils/logger.server.ts";
import { pageOfPost } from "../utils/limits.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";

export type LogEntry = {
  actorId: number;
  action: string;
  targetType: (typeof moderationLog.$inferInsert)["targetType"];
  targetId: number;
  subjectUserId?: number | null;
  reason?: string | null;
  privateNote?: string | null;
};

/** Call inside the transaction that makes the change, so the log and the change agree. */
export async function logModeratorAction(tx: Executor, entry: LogEntry) {
  await tx.insert(moderationLog).values(entry);
  // The private note stays in the database only.
  const { privateNote: _private, ...loggable } = entry;
  logEvent("moderator.action", loggable);
}

export const LOG_PAGE_SIZE = 50;

const actor = alias(users, "actor");
const subject = alias(users, "subject");

export type LogFilter = { action?: string; moderator?: string; page: number };

/**
 * Actions kept off the public transparency log: a check-in would tell the world whose post
 * worried a moderator; a review, which new member wrote what before it was published (034).
 */
const PRIVATE_ACTIONS = ["check-in", "approve-post", "return-post"];

async function queryLog(filter: LogFilter, publicOnly = false) {
  const where = and(
    publicOnly ? notInArray(moderationLog.action, PRIVATE_ACTIONS) : undefined,
    filter.action ? eq(moderationLog.action, filter.action) : undefined,
    filter.moderator ? eq(actor.username, filter.moderator.toLowerCase()) : undefined,
  );
  const rows = await db
    .select({
      id: moderationLog.id,
      action: moderationLog.action,
      targetType: moderationLog.targetType,
      targetId: moderationLog.targetId,
      reason: moderationLog.reason,
      privateNote: moderationLog.privateNote,
      createdAt: moderationLog.createdAt,
      moderator: actor.username,
      subject: subject.username,
      postThreadId: posts.threadId,
      postNumber: posts.number,
      postLastNumber: threads.postCount,
    })
    .from(moderationLog)
    .innerJoin(actor, eq(actor.id, moderationLog.actorId))
    .leftJoin(subject, eq(subject.id, moderationLog.subjectUserId))
    .leftJoin(posts, and(eq(moderationLog.targetType, "post"), eq(posts.id, moderationLog.targetId)))
    .leftJoin(threads, eq(threads.id, posts.threadId))
    .where(where)
    .orderBy(desc(moderationLog.id))
    .limit(LOG_PAGE_SIZE + 1)
    .offset((filter.page - 1) * LOG_PAGE_SIZE);
  return { entries: rows.slice(0, LOG_PAGE_SIZE), hasMore: rows.length > LOG_PAGE_SIZE };
}

function targetHref(row: { targetType: string; targetId: number; postThreadId: number | null; postNumber: number | null; postLastNumber: number | null }) {
  if (row.targetType === "thread") return `/threads/${row.targetId}`;
  if (row.targetType === "post" && row.postThreadId && row.postNumber !== null) {
    return `/threads/${row.postThreadId}?page=${pageOfPost(row.postNumber, row.postLastNumber ?? undefined)}#post-${row.targetId}`;
  }
  return null;
}

/** The full log, for moderators: who, what, target, reason, private note, when. */
export async function listModerationLog(viewer: Actor, filter: LogFilter) {
  if (!isStaff(viewer)) forbidden("Only moderators can read the moderation log.");
  const [{ entries, hasMore }, actions, moderators] = await Promise.all([
    queryLog(filter),
    distinctActions(),
    db
      .select({ username: users.username })
      .from(users)
      .where(inArray(users.role, ["moderator", "admin"]))
      .orderBy(users.username),
  ]);
  return {
    entries: entries.map(({ postThreadId, postNumber, postLastNumber, ...row }) => ({
      ...row,
      href: targetHref({ ...row, postThreadId, postNumber, postLastNumber }),
    })),
    hasMore,
    actions,
    moderators: moderators.map((u) => u.username),
  };
}

/**
 * The public log: the same actions, without private notes, reporter identities or the
 * names of restricted members (a suspension is shown as acting on "a member").
 */
export async function listTransparencyLog(filter: Omit<LogFilter, "moderator">) {
  const [{ entries, hasMore }, actions] = await Promise.all([queryLog(filter, true), distinctActions(true)]);
  return {
    entries: entries.map((row) => ({
      id: row.id,
      action: row.action,
      targetType: row.targetType,
      // A private message's removal is public, but not its reason: that would tell of its words.
      reason: row.targetType === "message" ? null : row.reason,
      createdAt: row.createdAt,
      moderator: row.moderator,
      href: row.targetType === "user" ? null : targetHref(row),
    })),
    hasMore,
    actions,
  };
}

async function distinctActions(publicOnly = false) {
  const rows = await db
    .selectDistinct({ action: moderationLog.action })
    .from(moderationLog)
    .where(publicOnly ? notInArray(moderationLog.action, PRIVATE_ACTIONS) : undefined)
    .orderBy(moderationLog.action);
  return rows.map((r) => r.action);
}
