import { and, eq, isNull } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { users } from "../../db/schema.ts";

export function hasAcceptedGuidelines(userId: number) {
  const row = db.select({ at: users.guidelinesAcceptedAt }).from(users).where(eq(users.id, userId)).get();
  return !!row?.at;
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
