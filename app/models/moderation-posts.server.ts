/** Moderators' actions on a post and its reports: remove, restore, dismiss and reopen reports. Each is logged. */
import { and, desc, eq, inArray, max, sql, type SQL } from "drizzle-orm";
import { db, type Executor, type Tx } from "../../db/client.ts";
import { boards, moderationLog, posts, reports, threads, users } from "../../db/schema.ts";
import { conflict, forbidden } from "../utils/http.server.ts";
import { canSetWarning } from "../utils/content-warnings.ts";
import { canModerateContent, isStaff, type Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { assertStaff, moderate, postForModeration, resolveReports } from "./moderation.server.ts";
import { getWarningChoices, viewWarning } from "./content-warnings.server.ts";
import { notifyModeration } from "./notifications.server.ts";
import { requireReadablePost } from "./visibility.server.ts";

export async function removePost(actor: Actor, postId: number, reason: string) {
  return moderate(actor, postForModeration, postId, async (tx, post, staff) => {
    if (!post.removedAt) {
      await tx.update(posts).set({ removedAt: new Date(), removedById: staff.id, removalReason: reason }).where(eq(posts.id, postId));
      // Counts show what members can read: only a visible reply leaves them (a held one was never in them).
      if (!post.deletedAt && !post.heldAt) await adjustPostCounts(tx, post, -1);
      await logModeratorAction(tx, { actorId: staff.id, action: "remove-post", targetType: "post", targetId: postId, subjectUserId: post.authorId, reason });
      await notifyModeration(tx, {
        userId: post.authorId,
        actorId: staff.id,
        threadId: post.threadId,
        postId,
        text: `A moderator removed your post. Reason: ${reason}`,
      });
    }
    await resolveReports(tx, staff, postId, "removed");
    return { threadId: post.threadId, number: post.number };
  });
}

export async function restorePost(actor: Actor, postId: number, reason: string) {
  return moderate(actor, postForModeration, postId, async (tx, post, staff) => {
    if (post.removedAt) {
      // Account deletion once removed posts on their author's behalf (it deletes them now):
      // those stay gone, as the member asked.
      if (post.removedById === post.authorId) forbidden("Its author removed this post when they deleted their account, so it can't be restored.");
      await tx.update(posts).set({ removedAt: null, removedById: null, removalReason: null }).where(eq(posts.id, postId));
      if (!post.deletedAt && !post.heldAt) await adjustPostCounts(tx, post, 1);
      await logModeratorAction(tx, { actorId: staff.id, action: "restore-post", targetType: "post", targetId: postId, subjectUserId: post.authorId, reason });
      await notifyModeration(tx, {
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

// Two-argument max() is SQLite's; greatest() is PostgreSQL's. A case expression is both engines'.
const atLeastZero = (value: SQL) => sql`case when ${value} > 0 then ${value} else 0 end`;

async function adjustPostCounts(tx: Tx, post: { threadId: number; number: number; boardId: number }, delta: number) {
  if (post.number > 1) {
    await tx
      .update(threads)
      .set({ replyCount: atLeastZero(sql`${threads.replyCount} + ${delta}`) })
      .where(eq(threads.id, post.threadId));
  }
  await tx
    .update(boards)
    .set({ postCount: atLeastZero(sql`${boards.postCount} + ${delta}`) })
    .where(eq(boards.id, post.boardId));
}

export async function dismissReports(actor: Actor, postId: number, note?: string) {
  return moderate(actor, postForModeration, postId, async (tx, post, staff) => {
    const closed = await resolveReports(tx, staff, postId, "dismissed");
    if (closed) {
      await logModeratorAction(tx, {
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
async function latestDismissal(tx: Executor, postId: number) {
  const [last] = await tx
    .select({ id: moderationLog.id, action: moderationLog.action, actorId: moderationLog.actorId })
    .from(moderationLog)
    .where(and(eq(moderationLog.targetType, "post"), eq(moderationLog.targetId, postId), inArray(moderationLog.action, dismissalActions)))
    .orderBy(desc(moderationLog.id))
    .limit(1);
  return last?.action === "dismiss-reports" ? last : null;
}

/**
 * Undoes the latest "Dismiss reports" on a post: exactly the reports it closed (one resolver,
 * one resolution time) go back to the queue. A post removed since keeps them closed.
 */
export async function reopenReports(actor: Actor, postId: number) {
  return moderate(actor, postForModeration, postId, async (tx, post, staff) => {
    if (post.removedAt || post.deletedAt) conflict("This post was removed or deleted since, so its reports stay closed.");
    const dismissal = await latestDismissal(tx, postId);
    if (!dismissal) conflict(NOTHING_TO_REOPEN);
    const dismissed = and(eq(reports.postId, postId), eq(reports.resolution, "dismissed"), eq(reports.resolvedById, dismissal.actorId));
    const [latest] = await tx
      .select({ value: max(reports.resolvedAt) })
      .from(reports)
      .where(dismissed);
    const at = latest?.value;
    let reopened = 0;
    if (at) {
      const rows = await tx
        .update(reports)
        .set({ status: "open", resolvedById: null, resolvedAt: null, resolution: null })
        .where(
          and(
            dismissed,
            eq(reports.resolvedAt, at),
            // One dismissal closes at most one report per reporter (one open each). Two
            // dismissals in the same millisecond share a time, so only the newest counts.
            sql`reports.id = (select max(same.id) from reports as same where same.post_id = reports.post_id and same.resolved_at = reports.resolved_at and same.resolution = 'dismissed' and same.reporter_id is not distinct from reports.reporter_id)`,
            // A member who reported the post again since already has an open report on it
            // (one per member); theirs is the one that counts.
            sql`not exists (select 1 from reports as again where again.post_id = reports.post_id and again.reporter_id = reports.reporter_id and again.status = 'open')`,
          ),
        )
        .returning({ id: reports.id });
      reopened = rows.length;
    }
    if (!reopened) conflict(NOTHING_TO_REOPEN);
    await logModeratorAction(tx, { actorId: staff.id, action: "reopen-reports", targetType: "post", targetId: postId, subjectUserId: post.authorId });
    return { postId, reopened };
  });
}

/**
 * Of the given "dismiss-reports" log entries, those a moderator could still reopen: each post's
 * latest dismissal, on a post still up and theirs to moderate (for Reopen on /mod/log).
 */
export async function reopenableDismissals(actor: Actor, entryIds: number[]) {
  if (!isStaff(actor) || entryIds.length === 0) return [];
  const candidates = await db
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
    .where(and(inArray(moderationLog.id, entryIds), eq(moderationLog.action, "dismiss-reports"), eq(moderationLog.targetType, "post")));
  const open = candidates.filter((c) => !c.removedAt && !c.deletedAt && canModerateContent(actor, { id: c.authorId, role: c.authorRole }));
  const latest = await Promise.all(open.map((c) => latestDismissal(db, c.postId)));
  return open.filter((c, i) => latest[i]?.id === c.id).map((c) => c.id);
}

/** A post as moderators see it (visibility.server.ts): a removed post's words, not a deleted one's. */
export async function getPostForModeration(actor: Actor, postId: number) {
  assertStaff(actor);
  const [post, choices] = await Promise.all([requireReadablePost(actor, postId), getWarningChoices(actor)]);
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
    // Its content warning: drawn behind its label, and what the warning form starts with.
    warning: post.bodyHtml === null ? null : viewWarning(post, choices, { standIn: false }),
    warningKind: post.warningKind,
    warningText: post.warningText,
    canSetWarning: canSetWarning(actor, post),
  };
}
