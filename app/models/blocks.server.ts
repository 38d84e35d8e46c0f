import { and, eq, or } from "drizzle-orm";
import { db, type Executor } from "../../db/client.ts";
import { blocks } from "../../db/schema.ts";

/**
 * A block works both ways for contact (neither can message, mention or reply to the other), so
 * every check asks "either way". Only the blocker's own pages collapse the other's posts.
 */
export async function isBlockedEitherWay(aId: number, bId: number, executor: Executor = db) {
  const [row] = await executor
    .select({ id: blocks.userId })
    .from(blocks)
    .where(or(and(eq(blocks.userId, aId), eq(blocks.blockedUserId, bId)), and(eq(blocks.userId, bId), eq(blocks.blockedUserId, aId))))
    .limit(1);
  return !!row;
}

/** Everyone the member blocked or who blocked them: the people they can't reach. */
export async function blockedEitherWayIds(userId: number, executor: Executor = db) {
  const rows = await executor
    .select({ userId: blocks.userId, blockedUserId: blocks.blockedUserId })
    .from(blocks)
    .where(or(eq(blocks.userId, userId), eq(blocks.blockedUserId, userId)));
  return [...new Set(rows.map((r) => (r.userId === userId ? r.blockedUserId : r.userId)))];
}
