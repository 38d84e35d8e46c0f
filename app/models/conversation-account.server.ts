/**
 * A member's conversations in their data export, and what account deletion does to them: the
 * member leaves every conversation; their messages stay under the "deleted-member" name, or are
 * erased when they asked for their posts to go (the same choice, docs/decisions/033).
 */
import { and, asc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, type Tx } from "../../db/client.ts";
import { conversationMembers, conversations, messages, users } from "../../db/schema.ts";

const author = alias(users, "author");

/**
 * Every conversation the member is or was in: its subject, its people, and the messages they
 * could read there (until they left). Their own words always; someone else's removed or erased
 * message only as its state.
 */
export async function exportConversations(userId: number) {
  const mine = await db
    .select({ id: conversations.id, subject: conversations.subject, joinedAt: conversationMembers.joinedAt, leftAt: conversationMembers.leftAt })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(eq(conversationMembers.userId, userId))
    .orderBy(asc(conversations.id));
  if (mine.length === 0) return [];
  const ids = mine.map((c) => c.id);
  const [people, rows] = await Promise.all([
    db
      .select({ conversationId: conversationMembers.conversationId, username: users.username, leftAt: conversationMembers.leftAt })
      .from(conversationMembers)
      .innerJoin(users, eq(users.id, conversationMembers.userId))
      .where(inArray(conversationMembers.conversationId, ids)),
    db
      .select({
        conversationId: messages.conversationId,
        authorId: messages.authorId,
        author: author.username,
        bodyMarkdown: messages.bodyMarkdown,
        createdAt: messages.createdAt,
        removedAt: messages.removedAt,
        removalReason: messages.removalReason,
        deletedAt: messages.deletedAt,
      })
      .from(messages)
      .innerJoin(author, eq(author.id, messages.authorId))
      .innerJoin(conversationMembers, and(eq(conversationMembers.conversationId, messages.conversationId), eq(conversationMembers.userId, userId)))
      // What they could read: a member's newest-message marker stops moving when they leave.
      .where(and(inArray(messages.conversationId, ids), lte(messages.id, conversationMembers.lastMessageId)))
      .orderBy(asc(messages.id)),
  ]);
  return mine.map((c) => ({
    subject: c.subject,
    joinedAt: c.joinedAt,
    leftAt: c.leftAt,
    people: people.filter((p) => p.conversationId === c.id).map((p) => ({ username: p.username, left: p.leftAt !== null })),
    messages: rows
      .filter((m) => m.conversationId === c.id)
      .map((m) => {
        const own = m.authorId === userId;
        return {
          author: m.author,
          writtenAt: m.createdAt,
          text: m.deletedAt || (m.removedAt && !own) ? null : m.bodyMarkdown,
          removedByModerators: m.removedAt ? (m.removalReason ?? "") : null,
        };
      }),
  }));
}

/** In deleteAccount's transaction: leave every conversation, and with `erase` blank out their own messages. */
export async function leaveConversationsOnDeletion(tx: Tx, userId: number, now: Date, erase: boolean) {
  await tx
    .update(conversationMembers)
    .set({ leftAt: now })
    .where(and(eq(conversationMembers.userId, userId), isNull(conversationMembers.leftAt)));
  if (erase) {
    await tx
      .update(messages)
      .set({ bodyMarkdown: "", bodyHtml: "", deletedAt: sql`coalesce(${messages.deletedAt}, ${sql.param(now, messages.deletedAt)})` })
      .where(eq(messages.authorId, userId));
  }
}
