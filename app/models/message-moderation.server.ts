/**
 * What a moderator does with a reported conversation once they opened it from a report
 * (message-reports.server.ts): read it, remove a message with a reason or restore it, dismiss the
 * reports. Each is refused without a recent opening, and each action is in the moderation log.
 */
import { and, desc, eq, isNull } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, transaction, type Tx } from "../../db/client.ts";
import { conversationAccessLog, conversations, messageReports, messages, users } from "../../db/schema.ts";
import { conflict, forbidden, notFound } from "../utils/http.server.ts";
import { MESSAGES_PER_PAGE } from "../utils/messages.ts";
import { canModerateContent, isAdmin, type Actor } from "../utils/permissions.ts";
import { membersOf, messagePage } from "./conversation-pages.server.ts";
import { notifyModeration } from "./notifications.server.ts";
import { hasOpenAccess } from "./message-reports.server.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { assertStaff, type Staff } from "./moderation.server.ts";
import { reportReasonLabels } from "./reports.server.ts";

const OPEN_FROM_QUEUE =
  "Moderators read a private conversation only by opening it from a report in the reported-messages queue, and each opening is logged. Open it from there.";

const reporter = alias(users, "reporter");
const moderator = alias(users, "moderator");

/**
 * The whole conversation, read-only, for a moderator who opened it from a report within the
 * window: every message's words (removed ones too), its people, its reports, and for admins
 * who has opened it. Anyone else gets the same 403, whether or not it exists.
 */
export async function getModeratedConversation(actor: Actor, conversationId: number, requestedPage: number | null) {
  assertStaff(actor);
  if (!(await hasOpenAccess(actor, conversationId))) forbidden(OPEN_FROM_QUEUE);
  const [conversation] = await db
    .select({ id: conversations.id, subject: conversations.subject, messageCount: conversations.messageCount })
    .from(conversations)
    .where(eq(conversations.id, conversationId))
    .limit(1);
  if (!conversation) notFound();
  const pageCount = Math.max(1, Math.ceil(conversation.messageCount / MESSAGES_PER_PAGE));
  const page = requestedPage ?? 1;
  if (page > pageCount) notFound("That page of this conversation doesn't exist.");
  const [people, shown, reports, openings] = await Promise.all([
    membersOf([conversationId]),
    messagePage(conversationId, page, (m) => !m.deleted),
    db
      .select({
        id: messageReports.id,
        messageId: messageReports.messageId,
        reason: messageReports.reason,
        note: messageReports.note,
        status: messageReports.status,
        resolution: messageReports.resolution,
        createdAt: messageReports.createdAt,
        reporter: reporter.username,
      })
      .from(messageReports)
      .innerJoin(reporter, eq(reporter.id, messageReports.reporterId))
      .where(eq(messageReports.conversationId, conversationId))
      .orderBy(messageReports.id),
    isAdmin(actor)
      ? db
          .select({ at: conversationAccessLog.createdAt, moderator: moderator.username, reportId: conversationAccessLog.reportId })
          .from(conversationAccessLog)
          .innerJoin(moderator, eq(moderator.id, conversationAccessLog.moderatorId))
          .where(eq(conversationAccessLog.conversationId, conversationId))
          .orderBy(desc(conversationAccessLog.createdAt))
          .limit(100)
      : null,
  ]);
  return {
    conversation: { id: conversation.id, subject: conversation.subject },
    participants: people.map(({ userId: _, conversationId: __, ...p }) => p),
    messages: shown,
    page,
    pageCount,
    reports: reports.map((r) => ({ ...r, reasonLabel: reportReasonLabels[r.reason] })),
    openings,
  };
}

/** The message, its author's role and subject, once the moderator's opening of its conversation is checked. */
async function messageForModeration(tx: Tx, actor: Staff, messageId: number) {
  const [message] = await tx
    .select({
      id: messages.id,
      conversationId: messages.conversationId,
      subject: conversations.subject,
      authorId: messages.authorId,
      authorRole: users.role,
      removedAt: messages.removedAt,
      deletedAt: messages.deletedAt,
    })
    .from(messages)
    .innerJoin(users, eq(users.id, messages.authorId))
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(eq(messages.id, messageId))
    .limit(1);
  if (!message || !(await hasOpenAccess(actor, message.conversationId, tx))) forbidden(OPEN_FROM_QUEUE);
  return message;
}

async function resolveMessageReports(tx: Tx, actor: Staff, messageId: number, resolution: "removed" | "dismissed") {
  const closed = await tx
    .update(messageReports)
    .set({ status: "resolved", resolvedById: actor.id, resolvedAt: new Date(), resolution })
    .where(and(eq(messageReports.messageId, messageId), eq(messageReports.status, "open")))
    .returning({ id: messageReports.id });
  return closed.length;
}

/**
 * Removes a reported message: its members see the reason in its place, its author keeps their
 * words and is told why. Logged with the reason (the transparency log shows neither reason nor
 * link for messages); closes the message's open reports.
 */
export async function removeMessage(actor: Actor, messageId: number, reason: string) {
  assertStaff(actor);
  return transaction(async (tx) => {
    const message = await messageForModeration(tx, actor, messageId);
    if (!canModerateContent(actor, { id: message.authorId, role: message.authorRole })) forbidden("Moderators can't act on an admin's content.");
    if (!message.removedAt) {
      await tx.update(messages).set({ removedAt: new Date(), removedById: actor.id, removalReason: reason }).where(eq(messages.id, messageId));
      await logModeratorAction(tx, {
        actorId: actor.id,
        action: "remove-message",
        targetType: "message",
        targetId: messageId,
        subjectUserId: message.authorId,
        reason,
      });
      await notifyModeration(tx, {
        userId: message.authorId,
        actorId: actor.id,
        conversationId: message.conversationId,
        text: `A moderator removed your message in “${message.subject}”. Reason: ${reason}`,
      });
    }
    await resolveMessageReports(tx, actor, messageId, "removed");
    return { conversationId: message.conversationId };
  });
}

const ERASED = "Its author deleted this message, so its words are gone and it can't be restored.";

/**
 * Brings a removed message back for its conversation's members, with a reason its author is told
 * (logged like a removal: the transparency log shows neither). A message its author erased stays
 * erased: a 409. Restoring one that isn't removed changes nothing.
 */
export async function restoreMessage(actor: Actor, messageId: number, reason: string) {
  assertStaff(actor);
  return transaction(async (tx) => {
    const message = await messageForModeration(tx, actor, messageId);
    if (!canModerateContent(actor, { id: message.authorId, role: message.authorRole })) forbidden("Moderators can't act on an admin's content.");
    if (message.deletedAt) conflict(ERASED);
    if (message.removedAt) {
      // Only while still not erased: an author's delete landing meanwhile wins.
      const [restored] = await tx
        .update(messages)
        .set({ removedAt: null, removedById: null, removalReason: null })
        .where(and(eq(messages.id, messageId), isNull(messages.deletedAt)))
        .returning({ id: messages.id });
      if (!restored) conflict(ERASED);
      await logModeratorAction(tx, {
        actorId: actor.id,
        action: "restore-message",
        targetType: "message",
        targetId: messageId,
        subjectUserId: message.authorId,
        reason,
      });
      await notifyModeration(tx, {
        userId: message.authorId,
        actorId: actor.id,
        conversationId: message.conversationId,
        text: `A moderator restored your message in “${message.subject}”. Reason: ${reason}`,
      });
    }
    return { conversationId: message.conversationId };
  });
}

/** Closes a message's open reports with nothing removed; logged when there were any. */
export async function dismissMessageReports(actor: Actor, messageId: number) {
  assertStaff(actor);
  return transaction(async (tx) => {
    const message = await messageForModeration(tx, actor, messageId);
    const closed = await resolveMessageReports(tx, actor, messageId, "dismissed");
    if (closed > 0) {
      await logModeratorAction(tx, {
        actorId: actor.id,
        action: "dismiss-message-reports",
        targetType: "message",
        targetId: messageId,
        subjectUserId: message.authorId,
      });
    }
    return { conversationId: message.conversationId, closed };
  });
}
