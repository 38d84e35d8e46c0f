import { and, eq, isNull } from "drizzle-orm";
import { db, transaction, type Executor } from "../../db/client.ts";
import { users } from "../../db/schema.ts";

/** Every new post asks this inside its transaction (pass its `tx`). */
export async function hasAcceptedGuidelines(userId: number, executor: Executor = db) {
  const [row] = await executor.select({ at: users.guidelinesAcceptedAt }).from(users).where(eq(users.id, userId)).limit(1);
  return !!row?.at;
}

export async function getGuidelinesAcceptedAt(userId: number) {
  const [row] = await db.select({ at: users.guidelinesAcceptedAt }).from(users).where(eq(users.id, userId)).limit(1);
  return row?.at ?? null;
}

/** Records the first acceptance only; pressing the button again changes nothing. */
export async function acceptGuidelines(userId: number, now = new Date()) {
  await transaction((tx) =>
    tx
      .update(users)
      .set({ guidelinesAcceptedAt: now })
      .where(and(eq(users.id, userId), isNull(users.guidelinesAcceptedAt))),
  );
}
