/**
 * Private conversations between 2 to 10 members: starting one, writing in it, adding people and
 * leaving (docs/decisions/033). Reading them is conversation-pages.server.ts; reports and the
 * moderators' side are message-reports.server.ts and message-moderation.server.ts.
 */
import { and, count, desc, eq, gte, inArray, isNull, ne, sql } from "drizzle-orm";
import { db, forUpdate, transaction, type Executor, type Tx } from "../../db/client.ts";
import { conversationMembers, conversations, drafts, messages, mutes, notifications, posts, users } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { renderMarkdown } from "../utils/markdown.server.ts";
import { CONVERSATION_MEMBERS_MAX, RECIPIENTS_MAX, START_MIN_DAYS, START_MIN_POSTS } from "../utils/messages.ts";
import { canParticipate, isStaff, type Actor } from "../utils/permissions.ts";
import { consume, limiters, type LimitResult } from "../utils/rate-limit.server.ts";
import { detectRisk } from "../utils/safety.server.ts";
import { blockedEitherWayIds, unreachableFrom } from "./blocks.server.ts";
import { messageDraftKey } from "./drafts.server.ts";
import { carriedMail, withMailDue } from "./notification-groups.server.ts";
import { DUPLICATE_WINDOW_MS } from "./safety.server.ts";

type Member = NonNullable<Actor>;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A refusal the form shows beside the member's kept text: the status, and a message per field. */
export type Refusal = { ok: false; status: 400 | 403 | 409; errors: Record<string, string> };

export const READ_ONLY = "Your account is read-only for now, so you can't send messages. You can still read your conversations.";
export const BLOCKED =
  "You can't write here or add people: there is a block between you and someone in this conversation. You can still read it, and leave it if you want.";
const ALONE = "Everyone else has left this conversation, so there's no one to write to.";

/** Whether the member may start conversations now: if not, when the age rule opens and how many posts are still to come. */
export type StartGate = { open: true } | { open: false; readOnly: boolean; opensAt: Date | null; postsToGo: number };

/**
 * Starting a conversation (or bringing someone new into one) waits until an account is
 * START_MIN_DAYS old and has START_MIN_POSTS posts up on the forum: strangers and spammers
 * can't reach members privately on their first day. Staff are exempt; silenced members can't.
 */
export async function getStartGate(actor: Member, now = new Date(), executor: Executor = db): Promise<StartGate> {
  if (!canParticipate(actor)) return { open: false, readOnly: true, opensAt: null, postsToGo: 0 };
  if (isStaff(actor)) return { open: true };
  const [user] = await executor.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, actor.id)).limit(1);
  if (!user) notFound();
  // Only "fewer than START_MIN_POSTS?" matters: stop counting there.
  const visible = executor
    .select({ id: posts.id })
    .from(posts)
    // A post still waiting for a moderator (docs/decisions/034) is not up on the forum.
    .where(and(eq(posts.authorId, actor.id), isNull(posts.deletedAt), isNull(posts.removedAt), isNull(posts.heldAt)))
    .limit(START_MIN_POSTS)
    .as("visible");
  const [row] = await executor.select({ n: count() }).from(visible);
  const opensAt = new Date(user.createdAt.getTime() + START_MIN_DAYS * DAY_MS);
  const postsToGo = Math.max(0, START_MIN_POSTS - (row?.n ?? 0));
  if (opensAt <= now && postsToGo === 0) return { open: true };
  return { open: false, readOnly: false, opensAt: opensAt > now ? opensAt : null, postsToGo };
}

/**
 * The rate limit for one message, as for posts (10 per 10 minutes; 3 for accounts under a day
 * old), and for a new conversation also 5 an hour. Call from the action after validation.
 */
export async function limitMessage(author: Member, starting: boolean, now = new Date()): Promise<LimitResult> {
  const [user] = await db.select({ createdAt: users.createdAt }).from(users).where(eq(users.id, author.id)).limit(1);
  if (!user) return { ok: true };
  if (starting) {
    const started = await consume(limiters.conversations, author.id);
    if (!started.ok) return started;
  }
  const isNew = now.getTime() - user.createdAt.getTime() < DAY_MS;
  return consume(isNew ? limiters.newMemberMessages : limiters.messages, author.id);
}

/**
 * Pairs among `people` where one blocked the other (either way): two people a conversation must not
 * put together, whoever brings them in. A handful of people: one look-up each.
 */
async function blockedPairs(tx: Tx, people: number[]) {
  const among = new Set(people);
  const pairs: [number, number][] = [];
  for (const id of people) {
    for (const other of await blockedEitherWayIds(id, tx)) if (among.has(other) && id < other) pairs.push([id, other]);
  }
  return pairs;
}

/**
 * The live accounts with these usernames. A name that is nobody's (or a deleted account's, or
 * the member's own) is an error on `field`; so is anyone in a block with the writer, unless the
 * writer is staff, whom a block never stops (docs/decisions/032).
 */
async function findPeople(tx: Tx, actor: Member, names: string[], field: string) {
  const rows = await tx
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(inArray(users.username, names), isNull(users.deletedAt)));
  const byName = new Map(rows.map((r) => [r.username, r.id]));
  const missing = names.filter((name) => !byName.has(name));
  if (missing.length) return fail(400, field, `There is no member called ${missing.join(", ")}. Check the spelling of the username.`);
  if (names.some((name) => byName.get(name) === actor.id)) return fail(400, field, "You can't send a message to yourself: leave your own name out.");
  const blocked = new Set(isStaff(actor) ? [] : await blockedEitherWayIds(actor.id, tx));
  const unreachable = names.filter((name) => blocked.has(byName.get(name)!));
  // The same neutral line as everywhere a block stops someone: it never says who blocked whom.
  if (unreachable.length) return fail(403, field, `You can't write to ${unreachable.join(", ")}: there is a block between you.`);
  return { ok: true as const, people: rows };
}

function fail(status: Refusal["status"], field: string, message: string): Refusal {
  return { ok: false, status, errors: { [field]: message } };
}

/**
 * The message's notice for each of `recipients`: one unread notice per conversation, replaced
 * by the newest (so it comes first) and never quoting a word. Nobody is notified by someone they
 * muted or are in a block with.
 */
async function notifyMembers(tx: Tx, event: { conversationId: number; actorId: number; recipients: number[]; text: string }) {
  const { conversationId, actorId } = event;
  if (event.recipients.length === 0) return;
  const muters = await tx
    .select({ userId: mutes.userId })
    .from(mutes)
    .where(and(eq(mutes.mutedUserId, actorId), inArray(mutes.userId, event.recipients)));
  const quiet = new Set([...muters.map((m) => m.userId), ...(await unreachableFrom(actorId, tx)), actorId]);
  const ids = event.recipients.filter((id) => !quiet.has(id));
  if (ids.length === 0) return;
  const replaced = await tx
    .delete(notifications)
    .where(
      and(
        inArray(notifications.userId, ids),
        eq(notifications.conversationId, conversationId),
        eq(notifications.kind, "message"),
        isNull(notifications.readAt),
      ),
    )
    .returning({ userId: notifications.userId, mailDueAt: notifications.mailDueAt, mailedAt: notifications.mailedAt });
  // An unread notice already mailed isn't mailed again for the next message (docs/decisions/038).
  const mailOf = carriedMail(replaced);
  const rows = ids.map((userId) => ({ userId, kind: "message" as const, actorId, conversationId, text: event.text, ...mailOf.get(userId) }));
  await tx.insert(notifications).values(await withMailDue(tx, rows));
}

/** Adds the message, moves every member's newest-message marker and notifies the others. */
async function writeMessage(tx: Tx, input: { conversationId: number; author: Member; body: string; bodyHtml: string; now: Date; others: number[] }) {
  const { conversationId, author, now } = input;
  const [message] = await tx
    .insert(messages)
    .values({ conversationId, authorId: author.id, bodyMarkdown: input.body, bodyHtml: input.bodyHtml, createdAt: now })
    .returning({ id: messages.id });
  await tx
    .update(conversations)
    .set({ messageCount: sql`${conversations.messageCount} + 1`, lastMessageAt: now })
    .where(eq(conversations.id, conversationId));
  await tx
    .update(conversationMembers)
    .set({ lastMessageId: message!.id, lastMessageAt: now })
    .where(and(eq(conversationMembers.conversationId, conversationId), isNull(conversationMembers.leftAt)));
  await tx
    .update(conversationMembers)
    .set({ lastReadMessageId: message!.id })
    .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, author.id)));
  await notifyMembers(tx, { conversationId, actorId: author.id, recipients: input.others, text: "sent you a private message" });
  return message!.id;
}

export type Sent = { ok: true; conversationId: number; messageId: number; atRisk: boolean };

/** A new conversation with 1 to RECIPIENTS_MAX others (usernames, already shaped by the form's schema). */
export async function startConversation(actor: Member, input: { to: string[]; subject: string; body: string }, now = new Date()): Promise<Sent | Refusal> {
  if (input.to.length > RECIPIENTS_MAX) return fail(400, "to", `A conversation can include up to ${RECIPIENTS_MAX} other people.`);
  const bodyHtml = renderMarkdown(input.body);
  return transaction(async (tx): Promise<Sent | Refusal> => {
    const gate = await getStartGate(actor, now, tx);
    if (!gate.open) return fail(403, "form", gate.readOnly ? READ_ONLY : "You can't start private conversations yet: the reason is above.");
    const found = await findPeople(tx, actor, input.to, "to");
    if (!found.ok) return found;
    const ids = found.people.map((p) => p.id);
    if ((await blockedPairs(tx, ids)).length) {
      return fail(403, "to", "These people can't all be in one conversation. Try writing to them separately.");
    }
    // A double tap, or a form sent twice, lands on the conversation it already started.
    const [duplicate] = await tx
      .select({ conversationId: messages.conversationId, messageId: messages.id })
      .from(messages)
      .innerJoin(conversations, eq(conversations.id, messages.conversationId))
      .where(
        and(
          eq(messages.authorId, actor.id),
          gte(messages.createdAt, new Date(now.getTime() - DUPLICATE_WINDOW_MS)),
          eq(messages.bodyMarkdown, input.body),
          eq(conversations.startedById, actor.id),
          eq(conversations.subject, input.subject),
        ),
      )
      .limit(1);
    if (duplicate) return { ok: true, ...duplicate, atRisk: false };
    const [conversation] = await tx
      .insert(conversations)
      .values({ subject: input.subject, startedById: actor.id, createdAt: now, lastMessageAt: now })
      .returning({ id: conversations.id });
    const conversationId = conversation!.id;
    await tx.insert(conversationMembers).values([actor.id, ...ids].map((userId) => ({ conversationId, userId, joinedAt: now, lastMessageAt: now })));
    const messageId = await writeMessage(tx, { conversationId, author: actor, body: input.body, bodyHtml, now, others: ids });
    return { ok: true, conversationId, messageId, atRisk: detectRisk(input.body) };
  });
}

/** The conversation's row, locked for this unit of work, and the actor's place in it; a 404 for anyone not (or no longer) in it. */
async function requireMembership(tx: Tx, actor: Member, conversationId: number) {
  const [conversation] = await forUpdate(tx.select({ id: conversations.id }).from(conversations).where(eq(conversations.id, conversationId)).limit(1));
  const members = conversation
    ? await tx
        .select({ userId: conversationMembers.userId, leftAt: conversationMembers.leftAt, lastMessageId: conversationMembers.lastMessageId })
        .from(conversationMembers)
        .where(eq(conversationMembers.conversationId, conversationId))
    : [];
  const me = members.find((m) => m.userId === actor.id && !m.leftAt);
  // Someone else's conversation looks exactly like one that doesn't exist.
  if (!me) notFound("There is no conversation at this address.");
  const others = members.filter((m) => !m.leftAt && m.userId !== actor.id).map((m) => m.userId);
  return { me, members, others };
}

/** Whether a block stands between the actor and anyone still in the conversation (never for staff). */
async function blockedIn(tx: Tx, actor: Member, others: number[]) {
  if (isStaff(actor)) return false;
  const blocked = new Set(await blockedEitherWayIds(actor.id, tx));
  return others.some((id) => blocked.has(id));
}

/** A reply in a conversation the actor is in. */
export async function sendMessage(actor: Member, conversationId: number, body: string, now = new Date()): Promise<Sent | Refusal> {
  if (!canParticipate(actor)) return fail(403, "form", READ_ONLY);
  const bodyHtml = renderMarkdown(body);
  return transaction(async (tx): Promise<Sent | Refusal> => {
    const { others } = await requireMembership(tx, actor, conversationId);
    if (others.length === 0) return fail(409, "form", ALONE);
    if (await blockedIn(tx, actor, others)) return fail(403, "form", BLOCKED);
    const [duplicate] = await tx
      .select({ messageId: messages.id })
      .from(messages)
      .where(
        and(
          eq(messages.conversationId, conversationId),
          eq(messages.authorId, actor.id),
          gte(messages.createdAt, new Date(now.getTime() - DUPLICATE_WINDOW_MS)),
          eq(messages.bodyMarkdown, body),
        ),
      )
      .orderBy(desc(messages.id))
      .limit(1);
    if (duplicate) return { ok: true, conversationId, messageId: duplicate.messageId, atRisk: false };
    const messageId = await writeMessage(tx, { conversationId, author: actor, body, bodyHtml, now, others });
    return { ok: true, conversationId, messageId, atRisk: detectRisk(body) };
  });
}

/**
 * Brings more people into a conversation: the same rules as starting one (the age and posts
 * rule, no blocks between anyone in it), up to CONVERSATION_MEMBERS_MAX people ever. Someone who
 * left is not brought back. They read it from the start: the form says so.
 */
export async function addPeople(actor: Member, conversationId: number, names: string[], now = new Date()): Promise<{ ok: true } | Refusal> {
  if (!canParticipate(actor)) return fail(403, "form", READ_ONLY);
  return transaction(async (tx): Promise<{ ok: true } | Refusal> => {
    const { me, members, others } = await requireMembership(tx, actor, conversationId);
    if (await blockedIn(tx, actor, others)) return fail(403, "people", BLOCKED);
    const gate = await getStartGate(actor, now, tx);
    if (!gate.open) return fail(403, "people", "You can add people once you can start conversations yourself.");
    const found = await findPeople(tx, actor, names, "people");
    if (!found.ok) return found;
    for (const person of found.people) {
      const row = members.find((m) => m.userId === person.id);
      if (row && !row.leftAt) return fail(409, "people", `${person.username} is already in this conversation.`);
      if (row) return fail(409, "people", `${person.username} left this conversation, so they can't be added back.`);
    }
    if (members.length + found.people.length > CONVERSATION_MEMBERS_MAX) {
      const room = CONVERSATION_MEMBERS_MAX - members.length;
      return fail(
        409,
        "people",
        `A conversation can include up to ${CONVERSATION_MEMBERS_MAX} people, so ${room > 0 ? `only ${room} more can be added` : "nobody more can be added"}.`,
      );
    }
    const newIds = new Set(found.people.map((p) => p.id));
    // Blocks with the actor were findPeople's to refuse (or, for staff, to let through).
    const clash = (await blockedPairs(tx, [...others, ...newIds])).find(([a, b]) => newIds.has(a) || newIds.has(b));
    if (clash) {
      const person = found.people.find((p) => clash.includes(p.id))!;
      return fail(403, "people", `${person.username} can't be added to this conversation.`);
    }
    await tx.insert(conversationMembers).values(
      found.people.map((p) => ({
        conversationId,
        userId: p.id,
        addedById: actor.id,
        joinedAt: now,
        lastMessageId: me.lastMessageId,
        lastMessageAt: now,
      })),
    );
    await notifyMembers(tx, { conversationId, actorId: actor.id, recipients: [...newIds], text: "added you to a private conversation" });
    return { ok: true };
  });
}

/**
 * Leaves for good: gone from the member's list, pages and notifications, and so is their unsent
 * reply (a draft for a conversation they can't open). The others see that they left.
 */
export async function leaveConversation(actor: Member, conversationId: number, now = new Date()) {
  await transaction(async (tx) => {
    await requireMembership(tx, actor, conversationId);
    await tx
      .update(conversationMembers)
      .set({ leftAt: now })
      .where(and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, actor.id)));
    await tx
      .delete(notifications)
      .where(and(eq(notifications.userId, actor.id), eq(notifications.conversationId, conversationId), ne(notifications.kind, "moderation")));
    await tx.delete(drafts).where(and(eq(drafts.userId, actor.id), eq(drafts.key, messageDraftKey(conversationId))));
  });
}
