import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { follows, threads } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";

type Member = NonNullable<Actor>;

/** Follow a thread to be notified of its replies. Removed threads can't be followed (except by staff). */
export function followThread(actor: Member, threadId: number) {
  return db.transaction(
    (tx) => {
      const thread = tx.select({ removedAt: threads.removedAt }).from(threads).where(eq(threads.id, threadId)).get();
      if (!thread || (thread.removedAt && !isStaff(actor))) notFound("There is no thread at this address.");
      tx.insert(follows).values({ userId: actor.id, threadId }).onConflictDoNothing().run();
      return { threadId };
    },
    { behavior: "immediate" },
  );
}

/** Unfollowing is always allowed, even when there was nothing to undo. */
export function unfollowThread(actor: Member, threadId: number) {
  const thread = db.select({ id: threads.id }).from(threads).where(eq(threads.id, threadId)).get();
  if (!thread) notFound("There is no thread at this address.");
  db.delete(follows)
    .where(and(eq(follows.userId, actor.id), eq(follows.threadId, threadId)))
    .run();
  return { threadId };
}

export function isFollowing(userId: number, threadId: number) {
  return !!db
    .select({ userId: follows.userId })
    .from(follows)
    .where(and(eq(follows.userId, userId), eq(follows.threadId, threadId)))
    .get();
}
