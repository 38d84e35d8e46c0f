/**
 * Reports of private messages, and the only door through which a moderator reads a conversation:
 * a member of it reports a message; a moderator opens the conversation from the report, and every
 * opening is written to conversation_access_log, which its members see and admins read
 * (docs/decisions/033). The queue itself never shows a word of any message.
 */
import { and, count, desc, eq, gte, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, transaction, type Executor } from "../../db/client.ts";
import { conversationAccessLog, conversationMembers, conversations, messageReports, messages, users } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { logEvent } from "../utils/logger.server.ts";
import { isAdmin, isStaff, type Actor } from "../utils/permissions.ts";
import { stillIn } from "./visibility.server.ts";
import { reportReasonLabels, type ReportReason } from "./reports.server.ts";

type Member = NonNullable<Actor>;

/** How long one opening lets a moderator read the conversation before it must be opened (and logged) again. */
export const ACCESS_WINDOW_MS = 60 * 60 * 1000;
export const ACCESS_LOG_PAGE_SIZE = 50;

const author = alias(users, "author");

/** The message as its conversation's members see it, for the report form; a 404 for anyone else. */
export async function getReportableMessage(actor: Member, messageId: number, executor: Executor = db) {
  const [message] = await executor
    .select({
      id: messages.id,
      conversationId: messages.conversationId,
      authorId: messages.authorId,
      author: author.username,
      subject: conversations.subject,
      removedAt: messages.removedAt,
      deletedAt: messages.deletedAt,
    })
    .from(messages)
    .innerJoin(author, eq(author.id, messages.authorId))
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .innerJoin(conversationMembers, stillIn(actor.id, messages.conversationId))
    .where(eq(messages.id, messageId))
    .limit(1);
  if (!message) notFound("There is no message at this address.");
  if (message.authorId === actor.id) forbidden("You can't report your own message.");
  if (message.removedAt || message.deletedAt) notFound("This message is no longer there to report.");
  return message;
}

/**
 * Any member of the conversation may report someone else's message, a read-only (silenced)
 * member too: being unable to write must never leave someone unable to ask for help. One open
 * report per member per message; reporting again just says it is already with moderators.
 */
export async function reportMessage(actor: Member, messageId: number, input: { reason: ReportReason; note?: string }) {
  return transaction(async (tx) => {
    const message = await getReportableMessage(actor, messageId, tx);
    const [open] = await tx
      .select({ id: messageReports.id })
      .from(messageReports)
      .where(and(eq(messageReports.messageId, messageId), eq(messageReports.reporterId, actor.id), eq(messageReports.status, "open")))
      .limit(1);
    if (!open) {
      await tx.insert(messageReports).values({
        messageId,
        conversationId: message.conversationId,
        reporterId: actor.id,
        reason: input.reason,
        note: input.note?.trim() || null,
      });
    }
    return { conversationId: message.conversationId, alreadyReported: !!open };
  });
}

/** Reported messages waiting, for the moderators' header (message_reports_open_idx). */
export async function countOpenMessageReports() {
  const [row] = await db
    .select({ n: sql<number>`count(distinct ${messageReports.messageId})`.mapWith(Number) })
    .from(messageReports)
    .where(eq(messageReports.status, "open"));
  return row?.n ?? 0;
}

const reporter = alias(users, "reporter");
const atRiskFirst = sql`max(case when ${messageReports.reason} = 'at-risk' then 1 else 0 end)`;

/**
 * Open reports grouped by message, "at risk" first, then the longest-waiting: who wrote it, who
 * reported it and why. No message text: reading it means opening the conversation, logged.
 */
export async function listMessageReportQueue(actor: Actor) {
  if (!isStaff(actor)) forbidden("Only moderators can see reported messages.");
  const groups = await db
    .select({
      messageId: messageReports.messageId,
      conversationId: sql<number>`min(${messageReports.conversationId})`.mapWith(Number),
      atRisk: sql<number>`${atRiskFirst}`.mapWith(Number),
      firstReportedAt: sql<Date>`min(${messageReports.createdAt})`.mapWith(messageReports.createdAt),
    })
    .from(messageReports)
    .where(eq(messageReports.status, "open"))
    .groupBy(messageReports.messageId)
    .orderBy(sql`${atRiskFirst} desc`, sql`min(${messageReports.createdAt}) asc`)
    .limit(100);
  const since = new Date(Date.now() - ACCESS_WINDOW_MS);
  return Promise.all(
    groups.map(async (group) => {
      const [[message], reports, [opened]] = await Promise.all([
        db
          .select({ author: author.username, authorId: author.id, authorRole: author.role, writtenAt: messages.createdAt })
          .from(messages)
          .innerJoin(author, eq(author.id, messages.authorId))
          .where(eq(messages.id, group.messageId))
          .limit(1),
        db
          .select({
            id: messageReports.id,
            reason: messageReports.reason,
            note: messageReports.note,
            createdAt: messageReports.createdAt,
            reporter: reporter.username,
          })
          .from(messageReports)
          .innerJoin(reporter, eq(reporter.id, messageReports.reporterId))
          .where(and(eq(messageReports.messageId, group.messageId), eq(messageReports.status, "open")))
          .orderBy(messageReports.id),
        db
          .select({ at: conversationAccessLog.createdAt })
          .from(conversationAccessLog)
          .where(accessBy(actor!.id, group.conversationId, since))
          .limit(1),
      ]);
      return {
        ...group,
        atRisk: !!group.atRisk,
        author: message!.author,
        authorId: message!.authorId,
        authorRole: message!.authorRole,
        writtenAt: message!.writtenAt,
        reports: reports.map((r) => ({ ...r, reasonLabel: reportReasonLabels[r.reason] })),
        openForMe: !!opened,
      };
    }),
  );
}

const accessBy = (moderatorId: number, conversationId: number, since: Date) =>
  and(
    eq(conversationAccessLog.moderatorId, moderatorId),
    eq(conversationAccessLog.conversationId, conversationId),
    gte(conversationAccessLog.createdAt, since),
  );

/**
 * A moderator opens the conversation of an open report: written to the access log first, in the
 * same transaction, so no reading goes unrecorded. Opens it for ACCESS_WINDOW_MS.
 */
export async function openReportedConversation(actor: Actor, reportId: number) {
  if (!isStaff(actor)) forbidden("Only moderators can open a reported conversation.");
  const opened = await transaction(async (tx) => {
    const [report] = await tx
      .select({ conversationId: messageReports.conversationId, messageId: messageReports.messageId, status: messageReports.status })
      .from(messageReports)
      .where(eq(messageReports.id, reportId))
      .limit(1);
    if (!report || report.status !== "open") notFound("That report is no longer open, so its conversation can't be opened.");
    await tx.insert(conversationAccessLog).values({ conversationId: report.conversationId, moderatorId: actor!.id, reportId });
    const [position] = await tx
      .select({ n: count() })
      .from(messages)
      .where(and(eq(messages.conversationId, report.conversationId), lte(messages.id, report.messageId)));
    return { conversationId: report.conversationId, messageId: report.messageId, position: position?.n ?? 1 };
  });
  logEvent("moderator.conversation_read", { actorId: actor!.id, conversationId: opened.conversationId, reportId });
  return opened;
}

/** Whether this moderator opened this conversation from a report within the window. */
export async function hasOpenAccess(actor: Actor, conversationId: number, executor: Executor = db, now = new Date()) {
  if (!isStaff(actor)) return false;
  const [row] = await executor
    .select({ id: conversationAccessLog.id })
    .from(conversationAccessLog)
    .where(accessBy(actor!.id, conversationId, new Date(now.getTime() - ACCESS_WINDOW_MS)))
    .limit(1);
  return !!row;
}

const moderator = alias(users, "moderator");

/** Every opening of a conversation by a moderator, newest first: for admins only. */
export async function listConversationAccess(actor: Actor, page: number) {
  if (!isAdmin(actor)) forbidden("Only admins can read the log of conversations moderators opened.");
  const rows = await db
    .select({
      id: conversationAccessLog.id,
      conversationId: conversationAccessLog.conversationId,
      at: conversationAccessLog.createdAt,
      moderator: moderator.username,
      reportId: conversationAccessLog.reportId,
      reason: messageReports.reason,
      reporter: reporter.username,
    })
    .from(conversationAccessLog)
    .innerJoin(moderator, eq(moderator.id, conversationAccessLog.moderatorId))
    .innerJoin(messageReports, eq(messageReports.id, conversationAccessLog.reportId))
    .innerJoin(reporter, eq(reporter.id, messageReports.reporterId))
    .orderBy(desc(conversationAccessLog.id))
    .limit(ACCESS_LOG_PAGE_SIZE + 1)
    .offset((page - 1) * ACCESS_LOG_PAGE_SIZE);
  return {
    entries: rows.slice(0, ACCESS_LOG_PAGE_SIZE).map((r) => ({ ...r, reasonLabel: reportReasonLabels[r.reason] })),
    hasMore: rows.length > ACCESS_LOG_PAGE_SIZE,
  };
}
