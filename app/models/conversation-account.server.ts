/**
 * A member's own words in private conversations: deleting one of their messages, their data
 * export, and what account deletion does: the member leaves every conversation; their messages stay
 * under the "deleted-member" name, or are erased when they asked for their posts to go (the same
 * choice, docs/decisions/033). Either way of erasing is eraseMessages (docs/decisions/042).
 */
import { and, asc, count, eq, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, transaction, type Executor, type Tx } from "../../db/client.ts";
import { conversationMembers, conversations, messages, users } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { pageOfMessage } from "../utils/messages.ts";
import type { Actor } from "../utils/permissions.ts";
import { stillIn } from "./visibility.server.ts";

type Member = NonNullable<Actor>;

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
  if (erase) await eraseMessages(tx, eq(messages.authorId, userId), now);
}

/** The one way words leave a message: blanked for good, the row kept in its place; the first erasure's time stands. */
async function eraseMessages(tx: Tx, which: SQL, now: Date) {
  await tx
    .update(messages)
    .set({ bodyMarkdown: "", bodyHtml: "", deletedAt: sql`coalesce(${messages.deletedAt}, ${sql.param(now, messages.deletedAt)})` })
    .where(which);
}

/**
 * The actor's own message in a conversation they are still in, and the page it is on, for the
 * delete page: its words (a moderator's removal does not stop its author deleting it). Anyone not
 * in the conversation gets the same 404 as for a message that doesn't exist; someone else's
 * message is a 403.
 */
export async function getOwnMessage(actor: Member, messageId: number, executor: Executor = db) {
  const [message] = await executor
    .select({
      id: messages.id,
      conversationId: messages.conversationId,
      authorId: messages.authorId,
      body: messages.bodyMarkdown,
      deletedAt: messages.deletedAt,
    })
    .from(messages)
    .innerJoin(conversationMembers, stillIn(actor.id, messages.conversationId))
    .where(eq(messages.id, messageId))
    .limit(1);
  if (!message) notFound("There is no message at this address.");
  // Moderators too: removing is theirs, erasing someone's words only the author's.
  if (message.authorId !== actor.id) forbidden("Only its author can delete this message.");
  const [position] = await executor
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.conversationId, message.conversationId), lte(messages.id, messageId)));
  return { ...message, page: pageOfMessage(position?.n ?? 1) };
}

/**
 * The author erases their message: everyone, moderators included, then sees "deleted by its
 * author" in its place. Not a moderator's act, so not in the moderation log; open reports on it
 * stay open, without its words. A second tap finds it already erased: not an error.
 */
export async function deleteMessage(actor: Member, messageId: number, now = new Date()) {
  return transaction(async (tx) => {
    const message = await getOwnMessage(actor, messageId, tx);
    if (!message.deletedAt) await eraseMessages(tx, eq(messages.id, messageId), now);
    return { conversationId: message.conversationId, page: message.page };
  });
}
