/**
 * Replies grouped per thread (docs/decisions/037): a member has at most one unread "reply"
 * notification per thread. Its post is the first reply they haven't read, its actor the latest
 * replier; "alice and 4 others" is counted when the list is shown. Mentions, quotes and
 * moderator notices stay rows of their own.
 */
import { and, countDistinct, eq, gte, inArray, isNull, lte, min, notInArray, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, type Tx } from "../../db/client.ts";
import { mutes, notifications, posts } from "../../db/schema.ts";
import { blockedEitherWayIds } from "./blocks.server.ts";
import { inIdList } from "./id-list.server.ts";
import { mailedAtOnce, type NotificationPrefKind, PREF_KIND_OF } from "./mail-preferences.server.ts";

/** Rows per statement: a board's watchers can be many, and engines cap the bound values. */
const CHUNK = 500;

export function chunks<T>(items: T[]) {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

/**
 * Folds a new reply into each member's unread group for the thread: the group is written anew
 * (so it comes first in the list, like a message notice) and keeps its first unread post.
 */
export async function writeReplyGroups(tx: Tx, event: { actorId: number; threadId: number; postId: number }, userIds: number[]) {
  const { actorId, threadId, postId } = event;
  for (const ids of chunks(userIds)) {
    const open = and(inIdList(notifications.userId, ids), eq(notifications.threadId, threadId), eq(notifications.kind, "reply"), isNull(notifications.readAt));
    // A group whose first post was removed since starts again from a post still shown.
    const firsts = await tx
      .select({ userId: notifications.userId, postId: min(notifications.postId) })
      .from(notifications)
      .innerJoin(posts, eq(posts.id, notifications.postId))
      .where(and(open, isNull(posts.removedAt), isNull(posts.deletedAt)))
      .groupBy(notifications.userId);
    const firstOf = new Map(firsts.map((r) => [r.userId, r.postId]));
    const replaced = await tx
      .delete(notifications)
      .where(open)
      .returning({ userId: notifications.userId, mailDueAt: notifications.mailDueAt, mailedAt: notifications.mailedAt });
    const mailOf = carriedMail(replaced);
    // Later than the post's own time, which the group's count of repliers is bounded by.
    const createdAt = new Date();
    const rows = ids.map((userId) => ({
      userId,
      kind: "reply" as const,
      actorId,
      threadId,
      postId: firstOf.get(userId) ?? postId,
      createdAt,
      ...mailOf.get(userId),
    }));
    await tx
      .insert(notifications)
      .values(await withMailDue(tx, rows))
      .onConflictDoNothing();
  }
}

/**
 * Rows as they are written: a member who doesn't hear of the row's kind by email at once gets no
 * time for the mail sweep, so a fan-out to members who read on the site costs the sweep nothing.
 */
export async function withMailDue<R extends { userId: number; kind: keyof typeof PREF_KIND_OF; mailDueAt?: Date | null }>(tx: Tx, rows: R[]) {
  const atOnce = new Map<NotificationPrefKind, Set<number>>();
  for (const kind of new Set(rows.map((r) => PREF_KIND_OF[r.kind]))) {
    atOnce.set(
      kind,
      await mailedAtOnce(
        tx,
        kind,
        rows.filter((r) => PREF_KIND_OF[r.kind] === kind).map((r) => r.userId),
      ),
    );
  }
  return rows.map((r) => (atOnce.get(PREF_KIND_OF[r.kind])!.has(r.userId) ? r : { ...r, mailDueAt: null }));
}

/**
 * The mail state a regrouped row keeps from the rows it replaces (docs/decisions/038), so an unread
 * group is mailed once, not once per reply: when it was mailed, and when the sweep looks at it.
 */
export function carriedMail(replaced: { userId: number; mailDueAt: Date | null; mailedAt: Date | null }[]) {
  const out = new Map<number, { mailDueAt: Date | null; mailedAt: Date | null }>();
  for (const row of replaced) {
    const seen = out.get(row.userId);
    // Folding older rows (decision 037): mailed if any was, due at the earliest time any was.
    const mailedAt = seen?.mailedAt ?? row.mailedAt;
    const dues = [seen?.mailDueAt, row.mailDueAt].filter((d): d is Date => d instanceof Date);
    out.set(row.userId, { mailedAt, mailDueAt: mailedAt || dues.length === 0 ? null : new Date(Math.min(...dues.map(Number))) });
  }
  return out;
}

/**
 * Reading a thread up to a post marks read the member's reply group there once its first post
 * is reached, and the thread's "new thread" notice: the page's own "new" markers take it from there.
 */
export async function markThreadNoticesRead(tx: Tx, userId: number, threadId: number, upToNumber: number) {
  await tx
    .update(notifications)
    .set({ readAt: new Date() })
    .where(
      and(
        eq(notifications.userId, userId),
        isNull(notifications.readAt),
        eq(notifications.threadId, threadId),
        inArray(notifications.kind, ["reply", "thread"]),
        sql`exists (select 1 from ${posts} where ${posts.id} = ${notifications.postId} and ${posts.number} <= ${upToNumber})`,
      ),
    );
}

const first = alias(posts, "first_post");

/**
 * For reply groups on one page of the list: how many other people wrote in each, besides the
 * latest replier. Counted over the group's posts (from its first up to when it was last written)
 * that are still shown, by anyone but the member and those they muted or are in a block with.
 */
export async function othersInGroups(userId: number, groupIds: number[]) {
  const out = new Map<number, number>();
  if (groupIds.length === 0) return out;
  const [muted, blocked] = await Promise.all([db.select({ id: mutes.mutedUserId }).from(mutes).where(eq(mutes.userId, userId)), blockedEitherWayIds(userId)]);
  const quiet = [userId, ...muted.map((m) => m.id), ...blocked];
  const rows = await db
    .select({ id: notifications.id, people: countDistinct(posts.authorId) })
    .from(notifications)
    .innerJoin(first, eq(first.id, notifications.postId))
    .innerJoin(
      posts,
      and(
        eq(posts.threadId, notifications.threadId),
        gte(posts.number, first.number),
        lte(posts.createdAt, notifications.createdAt),
        isNull(posts.removedAt),
        isNull(posts.deletedAt),
        notInArray(posts.authorId, quiet),
      ),
    )
    .where(and(eq(notifications.userId, userId), inIdList(notifications.id, groupIds)))
    .groupBy(notifications.id);
  for (const r of rows) out.set(r.id, Math.max(0, r.people - 1));
  return out;
}
