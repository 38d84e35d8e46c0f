import { and, eq, isNull, sql } from "drizzle-orm";
import { db, prepared, type Executor } from "../../db/client.ts";
import { users } from "../../db/schema.ts";

// Every new post asks this inside its write turn.
const acceptedAt = prepared((executor) =>
  executor
    .select({ at: users.guidelinesAcceptedAt })
    .from(users)
    .where(eq(users.id, sql.placeholder("userId")))
    .prepare(),
);

export function hasAcceptedGuidelines(userId: number, executor: Executor = db) {
  return !!acceptedAt(executor).get({ userId })?.at;
}

export function getGuidelinesAcceptedAt(userId: number) {
  return db.select({ at: users.guidelinesAcceptedAt }).from(users).where(eq(users.id, userId)).get()?.at ?? null;
}

/** Records the first acceptance only; pressing the button again changes nothing. */
export function acceptGuidelines(userId: number, now = new Date()) {
  db.update(users)
    .set({ guidelinesAcceptedAt: now })
    .where(and(eq(users.id, userId), isNull(users.guidelinesAcceptedAt)))
    .run();
}
