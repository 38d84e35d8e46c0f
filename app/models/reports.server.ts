import { and, count, eq, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, transaction } from "../../db/client.ts";
import { boards, posts, reports, threads, users, type reportReasons } from "../../db/schema.ts";
import type { WarningChoices } from "../utils/content-warnings.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { pageOfPost } from "../utils/limits.ts";
import { canParticipate, isStaff, type Actor } from "../utils/permissions.ts";
import { getWarningChoices, viewWarning } from "./content-warnings.server.ts";
import { canReadPostText, requireReadablePost } from "./visibility.server.ts";

export type ReportReason = (typeof reportReasons)[number];

export const reportReasonLabels: Record<ReportReason, string> = {
  spam: "Spam",
  harassment: "Harassment",
  misinformation: "Misinformation or unsafe medical advice",
  "at-risk": "Someone may be at risk of harm",
  other: "Something else",
};

/** One open report per member per post; reporting again just says it is already with us. */
export async function reportPost(actor: Actor, postId: number, input: { reason: ReportReason; note?: string }) {
  if (!canParticipate(actor)) forbidden("Your account is read-only for now, so you can't report posts.");
  return transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    if (post.deletedAt) notFound("There is no post at this address.");
    if (post.authorId === actor!.id) forbidden("You can't report your own post. You can edit or delete it instead.");
    const [open] = await tx
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.postId, postId), eq(reports.reporterId, actor!.id), eq(reports.status, "open")))
      .limit(1);
    if (!open) {
      await tx.insert(reports).values({ postId, reporterId: actor!.id, reason: input.reason, note: input.note?.trim() || null });
    }
    return { threadId: post.threadId, number: post.number, alreadyReported: !!open };
  });
}

/** What the report form names: the post's number, author and thread, where the visibility rule lets the reporter see them. */
export async function getReportablePost(actor: Actor, postId: number) {
  const post = await requireReadablePost(actor, postId);
  if (post.deletedAt) notFound("There is no post at this address.");
  if (post.authorId === actor?.id) forbidden("You can't report your own post. You can edit or delete it instead.");
  return { id: post.id, threadId: post.threadId, number: post.number, author: post.author, authorId: post.authorId, title: post.threadTitle };
}

/** The number of posts waiting in the queue (for the header badge). */
export async function countOpenReports() {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${reports.postId})`.mapWith(Number) })
    .from(reports)
    .where(eq(reports.status, "open"));
  return row?.n ?? 0;
}

const author = alias(users, "author");
// 1 when any open report on the post says "at risk" (portable: no boolean max() on PostgreSQL).
const atRiskFirst = sql`max(case when ${reports.reason} = 'at-risk' then 1 else 0 end)`;

/**
 * Open reports grouped by post: "at risk" first, then the longest-waiting. Reporter
 * identities are shown to moderators only (never on /transparency).
 */
export async function listReportQueue(actor: Actor) {
  if (!isStaff(actor)) forbidden("Only moderators can see the report queue.");
  const groups = await db
    .select({
      postId: reports.postId,
      count: count(),
      atRisk: sql<number>`${atRiskFirst}`.mapWith(Number),
      firstReportedAt: sql<Date>`min(${reports.createdAt})`.mapWith(reports.createdAt),
    })
    .from(reports)
    .where(eq(reports.status, "open"))
    .groupBy(reports.postId)
    .orderBy(sql`${atRiskFirst} desc`, sql`min(${reports.createdAt}) asc`)
    .limit(100);
  const choices = await getWarningChoices(actor);
  return Promise.all(groups.map((group) => reportGroup(actor, group, choices)));
}

async function reportGroup(actor: Actor, group: { postId: number; count: number; atRisk: number; firstReportedAt: Date }, choices: WarningChoices) {
  const [[post], items] = await Promise.all([
    db
      .select({
        id: posts.id,
        number: posts.number,
        bodyHtml: posts.bodyHtml,
        warningKind: posts.warningKind,
        warningText: posts.warningText,
        createdAt: posts.createdAt,
        removedAt: posts.removedAt,
        deletedAt: posts.deletedAt,
        heldAt: posts.heldAt,
        authorId: posts.authorId,
        author: author.username,
        authorRole: author.role,
        threadId: threads.id,
        threadTitle: threads.title,
        lastNumber: threads.postCount,
        boardName: boards.name,
      })
      .from(posts)
      .innerJoin(author, eq(author.id, posts.authorId))
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .innerJoin(boards, eq(boards.id, threads.boardId))
      .where(eq(posts.id, group.postId))
      .limit(1),
    db
      .select({ id: reports.id, reason: reports.reason, note: reports.note, createdAt: reports.createdAt, reporter: users.username })
      .from(reports)
      .leftJoin(users, eq(users.id, reports.reporterId))
      .where(and(eq(reports.postId, group.postId), eq(reports.status, "open")))
      .orderBy(reports.id),
  ]);
  // Reports keep their post: deleting a post only marks it (deletedAt), so this cannot happen.
  if (!post) throw new Error(`Reported post ${group.postId} is missing.`);
  return {
    // Staff read removed posts; a post its author deleted since is shown to nobody.
    post: {
      ...post,
      bodyHtml: canReadPostText(actor, post) ? post.bodyHtml : null,
      page: pageOfPost(post.number, post.lastNumber),
      // Moderators read what they judge, but behind its label like anyone (never as a stand-in).
      warning: viewWarning(post, choices, { standIn: false }),
    },
    count: group.count,
    atRisk: !!group.atRisk,
    firstReportedAt: group.firstReportedAt,
    reports: items.map((r) => ({ ...r, reasonLabel: reportReasonLabels[r.reason], reporter: r.reporter ?? "Automatic check" })),
  };
}

/** What the queue's "Reports dismissed" notice names; null for a post that isn't there. */
export async function getDismissedPost(actor: Actor, postId: number) {
  if (!isStaff(actor)) forbidden("Only moderators can see the report queue.");
  const [post] = await db
    .select({ id: posts.id, number: posts.number, threadTitle: threads.title })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, postId))
    .limit(1);
  return post ?? null;
}
