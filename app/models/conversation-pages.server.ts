/**
 * Reading private conversations: a member's list, one conversation's page, the header's unread
 * count, and what a conversation shows of moderators' reads. Only its members ever get here:
 * anyone else (a visitor, a member who left, a moderator without a report) gets a 404.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { bestEffort, db } from "../../db/client.ts";
import { conversationAccessLog, conversationMembers, conversations, messages, notifications, users } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { CONVERSATIONS_PER_PAGE, MESSAGES_PER_PAGE } from "../utils/messages.ts";
import { canParticipate, isStaff, type Actor } from "../utils/permissions.ts";
import { detectRisk } from "../utils/safety.server.ts";
import { blockedEitherWayIds } from "./blocks.server.ts";
import { BLOCKED, READ_ONLY } from "./conversations.server.ts";
import { stillIn } from "./visibility.server.ts";

type Member = NonNullable<Actor>;

const unread = sql`${conversationMembers.lastMessageId} > ${conversationMembers.lastReadMessageId}`;

/** Conversations with something the member hasn't read: the header's count (conversation_members_unread_idx). */
export async function countUnreadConversations(userId: number) {
  const [row] = await db
    .select({ n: count() })
    .from(conversationMembers)
    .where(and(eq(conversationMembers.userId, userId), isNull(conversationMembers.leftAt), unread));
  return row?.n ?? 0;
}

/** Who is in each of these conversations (left or not), in the order they joined. */
export async function membersOf(conversationIds: number[]) {
  if (conversationIds.length === 0) return [];
  const addedBy = alias(users, "added_by");
  return db
    .select({
      conversationId: conversationMembers.conversationId,
      userId: conversationMembers.userId,
      username: users.username,
      deleted: sql<boolean>`${users.deletedAt} is not null`.mapWith(Boolean),
      started: sql<boolean>`${conversations.startedById} = ${conversationMembers.userId}`.mapWith(Boolean),
      addedBy: addedBy.username,
      joinedAt: conversationMembers.joinedAt,
      leftAt: conversationMembers.leftAt,
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .innerJoin(users, eq(users.id, conversationMembers.userId))
    .leftJoin(addedBy, eq(addedBy.id, conversationMembers.addedById))
    .where(inArray(conversationMembers.conversationId, conversationIds))
    .orderBy(asc(conversationMembers.joinedAt), asc(conversationMembers.userId));
}

/** The member's conversations, newest activity first, with who else is in each and whether it has news. */
export async function listConversations(actor: Member, page: number) {
  const mine = and(eq(conversationMembers.userId, actor.id), isNull(conversationMembers.leftAt));
  const [counted] = await db.select({ n: count() }).from(conversationMembers).where(mine);
  const pageCount = Math.max(1, Math.ceil((counted?.n ?? 0) / CONVERSATIONS_PER_PAGE));
  if (page > pageCount) notFound("That page of your conversations doesn't exist.");
  const rows = await db
    .select({
      id: conversations.id,
      subject: conversations.subject,
      messageCount: conversations.messageCount,
      lastMessageAt: conversationMembers.lastMessageAt,
      unread: sql<boolean>`${unread}`.mapWith(Boolean),
    })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(mine)
    .orderBy(desc(conversationMembers.lastMessageAt), desc(conversationMembers.conversationId))
    .limit(CONVERSATIONS_PER_PAGE)
    .offset((page - 1) * CONVERSATIONS_PER_PAGE);
  const people = await membersOf(rows.map((r) => r.id));
  const items = rows.map((r) => ({
    ...r,
    with: people.filter((p) => p.conversationId === r.id && p.userId !== actor.id && !p.leftAt).map((p) => p.username),
  }));
  return { items, page, pageCount };
}

const author = alias(users, "author");

/**
 * How a message lost its words: deleted by its author, or with their account (account deletion
 * erases at the account's own deletion time; a message deleted before that was the author's act).
 */
function erasure(deletedAt: Date | null, authorDeletedAt: Date | null): false | "by-author" | "with-account" {
  if (!deletedAt) return false;
  return authorDeletedAt && deletedAt >= authorDeletedAt ? "with-account" : "by-author";
}

/** A page of a conversation's messages, oldest first; the words of a removed or erased message only where `showText` allows. */
export async function messagePage(conversationId: number, page: number, showText: (m: { authorId: number; removed: boolean; deleted: boolean }) => boolean) {
  const rows = await db
    .select({
      id: messages.id,
      authorId: messages.authorId,
      author: author.username,
      createdAt: messages.createdAt,
      bodyHtml: messages.bodyHtml,
      removedAt: messages.removedAt,
      removalReason: messages.removalReason,
      deletedAt: messages.deletedAt,
      authorDeletedAt: author.deletedAt,
    })
    .from(messages)
    .innerJoin(author, eq(author.id, messages.authorId))
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.id))
    .limit(MESSAGES_PER_PAGE)
    .offset((page - 1) * MESSAGES_PER_PAGE);
  return rows.map(({ removedAt, deletedAt, authorDeletedAt, bodyHtml, ...m }) => {
    const state = { authorId: m.authorId, removed: !!removedAt, deleted: !!deletedAt };
    return { ...m, removed: state.removed, deleted: erasure(deletedAt, authorDeletedAt), bodyHtml: showText(state) ? bodyHtml : null };
  });
}

/** The times moderators read this conversation after a report, newest first: each member sees them. */
export async function moderatorReads(conversationId: number) {
  const rows = await db
    .select({ at: conversationAccessLog.createdAt })
    .from(conversationAccessLog)
    .where(eq(conversationAccessLog.conversationId, conversationId))
    .orderBy(desc(conversationAccessLog.createdAt))
    .limit(20);
  return rows.map((r) => r.at);
}

/**
 * One page of a conversation for one of its members (default: the last page, where the newest
 * messages are). A removed message's words are kept from everyone but its author; an erased one's
 * from everyone.
 */
export async function getConversation(actor: Member, conversationId: number, requestedPage: number | null) {
  const [conversation] = await db
    .select({
      id: conversations.id,
      subject: conversations.subject,
      messageCount: conversations.messageCount,
      lastReadMessageId: conversationMembers.lastReadMessageId,
    })
    .from(conversations)
    .innerJoin(conversationMembers, stillIn(actor.id, conversations.id))
    .where(eq(conversations.id, conversationId))
    .limit(1);
  // Not there, not theirs, or left: all the same 404, so nobody learns a conversation exists.
  if (!conversation) notFound("There is no conversation at this address.");
  const pageCount = Math.max(1, Math.ceil(conversation.messageCount / MESSAGES_PER_PAGE));
  const page = requestedPage ?? pageCount;
  if (page > pageCount) notFound("That page of this conversation doesn't exist.");
  const [people, shown, reads, blocked] = await Promise.all([
    membersOf([conversationId]),
    messagePage(conversationId, page, (m) => !m.deleted && (!m.removed || m.authorId === actor.id)),
    moderatorReads(conversationId),
    blockedEitherWayIds(actor.id),
  ]);
  const others = people.filter((p) => p.userId !== actor.id && !p.leftAt);
  const cannotWrite = !canParticipate(actor)
    ? READ_ONLY
    : !isStaff(actor) && others.some((p) => blocked.includes(p.userId))
      ? BLOCKED
      : others.length === 0
        ? "Everyone else has left this conversation, so there's no one to write to."
        : null;
  return {
    conversation: { id: conversation.id, subject: conversation.subject },
    participants: people.map(({ userId, conversationId: _, ...p }) => ({ ...p, you: userId === actor.id })),
    messages: shown.map((m) => ({ ...m, mine: m.authorId === actor.id, isNew: m.id > conversation.lastReadMessageId && m.authorId !== actor.id })),
    page,
    pageCount,
    moderatorReads: reads,
    cannotWrite,
  };
}

/**
 * Records what the member has read (never backwards) and marks the conversation's notice read.
 * Bookkeeping of their own, like a thread's read marker: skipped when the database is busy.
 */
export async function markConversationRead(userId: number, conversationId: number, upToMessageId: number) {
  await bestEffort(async (tx) => {
    await tx
      .update(conversationMembers)
      .set({ lastReadMessageId: upToMessageId })
      .where(
        and(
          eq(conversationMembers.conversationId, conversationId),
          eq(conversationMembers.userId, userId),
          lt(conversationMembers.lastReadMessageId, upToMessageId),
        ),
      );
    await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(
        and(
          eq(notifications.userId, userId),
          eq(notifications.conversationId, conversationId),
          eq(notifications.kind, "message"),
          isNull(notifications.readAt),
        ),
      );
  });
}

/**
 * Whether the member's own latest message here, sent in the last `withinMs`, has words about
 * suicide or self-harm. The page shows the crisis panel when its address asks (?support=1) AND
 * this holds, so a shared link never shows the panel to anyone else. Nothing is stored or flagged.
 */
export async function sentRiskRecently(userId: number, conversationId: number, withinMs = 30 * 60_000, now = new Date()) {
  const [latest] = await db
    .select({ body: messages.bodyMarkdown })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.authorId, userId), gte(messages.createdAt, new Date(now.getTime() - withinMs))))
    .orderBy(desc(messages.id))
    .limit(1);
  return !!latest && detectRisk(latest.body);
}
