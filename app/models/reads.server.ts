import { and, count, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { bestEffort, db, excluded, prepared, type Executor } from "../../db/client.ts";
import { posts, threadReads, threads } from "../../db/schema.ts";
import { pageOfPost } from "../utils/limits.ts";

/**
 * Records that the member has read the thread up to post `upToNumber`. Never moves backwards:
 * re-reading page 1 of a long thread must not bring back the "new" markers of page 3.
 */
// A member's every thread view and every post runs this (db/client.ts, `prepared`).
const markRead = prepared((executor) =>
  executor
    .insert(threadReads)
    .values({
      userId: sql.placeholder("userId"),
      threadId: sql.placeholder("threadId"),
      lastReadNumber: sql.placeholder("upTo"),
      updatedAt: sql.placeholder("now"),
    })
    .onConflictDoUpdate({
      target: [threadReads.userId, threadReads.threadId],
      set: { lastReadNumber: sql`max(${threadReads.lastReadNumber}, ${excluded(threadReads.lastReadNumber)})`, updatedAt: excluded(threadReads.updatedAt) },
    })
    .prepare(),
);

export function markThreadRead(viewerId: number, threadId: number, upToNumber: number) {
  bestEffort(() => recordRead(db, viewerId, threadId, upToNumber));
}

/** The read marker itself; a new post records its author's inside the post's transaction. */
export function recordRead(executor: Executor, viewerId: number, threadId: number, upToNumber: number) {
  if (!Number.isSafeInteger(upToNumber) || upToNumber < 1) return;
  markRead(executor).run({ userId: viewerId, threadId, upTo: upToNumber, now: new Date() });
}

export function getLastReadNumber(viewerId: number, threadId: number): number | null {
  const row = db
    .select({ n: threadReads.lastReadNumber })
    .from(threadReads)
    .where(and(eq(threadReads.userId, viewerId), eq(threadReads.threadId, threadId)))
    .get();
  return row?.n ?? null;
}

/**
 * The number of the first post after the last one read, or null when the member has never
 * opened the thread (start at the top) or has read everything.
 */
export function firstUnreadNumber(viewerId: number, threadId: number): number | null {
  return firstUnreadPost(viewerId, threadId)?.number ?? null;
}

/** The first unread post with its link (right page and anchor), or null as above. */
export function firstUnreadPost(viewerId: number, threadId: number) {
  return Object.values(unreadPosts(viewerId, [threadId]))[0] ?? null;
}

/**
 * Post numbers in a thread are contiguous (a deleted or removed post keeps its number and
 * shows a placeholder), so the first unread post is simply number last-read + 1.
 */
function unreadPosts(viewerId: number, threadIds: number[]) {
  const out: Record<number, { number: number; postId: number; href: string }> = {};
  if (threadIds.length === 0) return out;
  const rows = db
    .select({ threadId: posts.threadId, number: posts.number, postId: posts.id })
    .from(threadReads)
    .innerJoin(posts, and(eq(posts.threadId, threadReads.threadId), eq(posts.number, sql`${threadReads.lastReadNumber} + 1`)))
    .where(and(eq(threadReads.userId, viewerId), inArray(threadReads.threadId, threadIds)))
    .all();
  for (const r of rows) {
    out[r.threadId] = { number: r.number, postId: r.postId, href: `/threads/${r.threadId}?page=${pageOfPost(r.number)}#post-${r.postId}` };
  }
  return out;
}

/**
 * For a board list: threads the member has opened before that have visible posts they have
 * not read, with how many. Threads never opened carry no marker (everything would be "new").
 */
export function getBoardUnread(viewerId: number, threadIds: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  if (threadIds.length === 0) return out;
  const rows = db
    .select({ threadId: posts.threadId, n: count() })
    .from(threadReads)
    .innerJoin(posts, and(eq(posts.threadId, threadReads.threadId), gt(posts.number, threadReads.lastReadNumber)))
    .innerJoin(threads, eq(threads.id, threadReads.threadId))
    .where(
      and(
        eq(threadReads.userId, viewerId),
        inArray(threadReads.threadId, threadIds),
        isNull(posts.deletedAt),
        isNull(posts.removedAt),
        isNull(threads.removedAt),
      ),
    )
    .groupBy(posts.threadId)
    .all();
  for (const row of rows) out[row.threadId] = row.n;
  return out;
}

/** Where each thread link should land for this member: their first unread post, when there is one. */
export function getUnreadLinks(viewerId: number, threadIds: number[]): Record<number, string> {
  return Object.fromEntries(Object.entries(unreadPosts(viewerId, threadIds)).map(([id, p]) => [id, p.href]));
}
