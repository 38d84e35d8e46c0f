import { and, count, eq, gt, inArray, isNull, sql } from "drizzle-orm";
import { bestEffort, db, excluded, type Tx } from "../../db/client.ts";
import { posts, threadReads, threads } from "../../db/schema.ts";
import { pageOfPost } from "../utils/limits.ts";
import { markThreadNoticesRead } from "./notification-groups.server.ts";

/** Records the member's read marker when the database can take it; the page does without otherwise. */
export async function markThreadRead(viewerId: number, threadId: number, upToNumber: number) {
  await bestEffort((tx) => recordRead(tx, viewerId, threadId, upToNumber));
}

/**
 * Records that the member has read the thread up to post `upToNumber`. Never moves backwards:
 * re-reading page 1 of a long thread must not bring back the "new" markers of page 3.
 * A new post records its author's inside the post's transaction. Reading also marks the thread's
 * grouped reply notice and "new thread" notice read (notification-groups.server.ts).
 */
export async function recordRead(tx: Tx, viewerId: number, threadId: number, upToNumber: number) {
  if (!Number.isSafeInteger(upToNumber) || upToNumber < 1) return;
  const upTo = excluded(threadReads.lastReadNumber);
  await tx
    .insert(threadReads)
    .values({ userId: viewerId, threadId, lastReadNumber: upToNumber, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: [threadReads.userId, threadReads.threadId],
      // The greater of the two, written as CASE so that it reads the same on every engine.
      set: {
        lastReadNumber: sql`case when ${upTo} > ${threadReads.lastReadNumber} then ${upTo} else ${threadReads.lastReadNumber} end`,
        updatedAt: excluded(threadReads.updatedAt),
      },
    });
  await markThreadNoticesRead(tx, viewerId, threadId, upToNumber);
}

export async function getLastReadNumber(viewerId: number, threadId: number): Promise<number | null> {
  const [row] = await db
    .select({ n: threadReads.lastReadNumber })
    .from(threadReads)
    .where(and(eq(threadReads.userId, viewerId), eq(threadReads.threadId, threadId)))
    .limit(1);
  return row?.n ?? null;
}

/**
 * The number of the first post after the last one read, or null when the member has never
 * opened the thread (start at the top) or has read everything.
 */
export async function firstUnreadNumber(viewerId: number, threadId: number): Promise<number | null> {
  return (await firstUnreadPost(viewerId, threadId))?.number ?? null;
}

/** The first unread post with its link (right page and anchor), or null as above. */
export async function firstUnreadPost(viewerId: number, threadId: number) {
  return Object.values(await unreadPosts(viewerId, [threadId]))[0] ?? null;
}

/**
 * Post numbers in a thread are contiguous (a deleted or removed post keeps its number and
 * shows a placeholder), so the first unread post is simply number last-read + 1.
 */
async function unreadPosts(viewerId: number, threadIds: number[]) {
  const out: Record<number, { number: number; postId: number; href: string }> = {};
  if (threadIds.length === 0) return out;
  const rows = await db
    .select({ threadId: posts.threadId, number: posts.number, postId: posts.id })
    .from(threadReads)
    .innerJoin(posts, and(eq(posts.threadId, threadReads.threadId), eq(posts.number, sql`${threadReads.lastReadNumber} + 1`)))
    .where(and(eq(threadReads.userId, viewerId), inArray(threadReads.threadId, threadIds)));
  for (const r of rows) {
    out[r.threadId] = { number: r.number, postId: r.postId, href: `/threads/${r.threadId}?page=${pageOfPost(r.number)}#post-${r.postId}` };
  }
  return out;
}

/**
 * For a board list: threads the member has opened before that have visible posts they have
 * not read, with how many. Threads never opened carry no marker (everything would be "new").
 */
export async function getBoardUnread(viewerId: number, threadIds: number[]): Promise<Record<number, number>> {
  const out: Record<number, number> = {};
  if (threadIds.length === 0) return out;
  const rows = await db
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
    .groupBy(posts.threadId);
  for (const row of rows) out[row.threadId] = row.n;
  return out;
}

/** Where each thread link should land for this member: their first unread post, when there is one. */
export async function getUnreadLinks(viewerId: number, threadIds: number[]): Promise<Record<number, string>> {
  return Object.fromEntries(Object.entries(await unreadPosts(viewerId, threadIds)).map(([id, p]) => [id, p.href]));
}
