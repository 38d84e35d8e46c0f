import { and, eq } from "drizzle-orm";
import { db, transaction } from "../../db/client.ts";
import { follows, threads } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";
import { threadStateColumns, requireReadableThread } from "./visibility.server.ts";

type Member = NonNullable<Actor>;

/** Follow a thread to be notified of its replies. Removed threads can't be followed (except by staff). */
export async function followThread(actor: Member, threadId: number) {
  return transaction(async (tx) => {
    const [thread] = await tx.select(threadStateColumns()).from(threads).where(eq(threads.id, threadId)).limit(1);
    if (!thread) notFound("There is no thread at this address.");
    requireReadableThread(actor, thread);
    // Its author may still read it, but a removed thread gets no replies to hear about.
    if (thread.removedAt && !isStaff(actor)) forbidden("This thread was removed, so it can't be followed.");
    await tx.insert(follows).values({ userId: actor.id, threadId }).onConflictDoNothing();
    return { threadId };
  });
}

/** Unfollowing is always allowed, even when there was nothing to undo. */
export async function unfollowThread(actor: Member, threadId: number) {
  const [thread] = await db.select({ id: threads.id }).from(threads).where(eq(threads.id, threadId)).limit(1);
  if (!thread) notFound("There is no thread at this address.");
  await transaction((tx) => tx.delete(follows).where(and(eq(follows.userId, actor.id), eq(follows.threadId, threadId))));
  return { threadId };
}

export async function isFollowing(userId: number, threadId: number) {
  const [row] = await db
    .select({ userId: follows.userId })
    .from(follows)
    .where(and(eq(follows.userId, userId), eq(follows.threadId, threadId)))
    .limit(1);
  return !!row;
}
