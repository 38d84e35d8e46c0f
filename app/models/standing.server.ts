import { eq } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { users } from "../../db/schema.ts";
import { canParticipate, type Actor } from "../utils/permissions.ts";

export type ReadOnlyNotice = { reason: string | null; until: Date | null };

/**
 * Why a member may only read (a moderator's silence), and until when (null: until a moderator
 * lifts it), for the notice shown where they would otherwise write. Null when canParticipate
 * lets them write: the notice and the models' refusals follow the one rule.
 */
export async function getReadOnlyNotice(actor: Actor): Promise<ReadOnlyNotice | null> {
  if (!actor || canParticipate(actor)) return null;
  const [row] = await db.select({ reason: users.silenceReason, until: users.silencedUntil }).from(users).where(eq(users.id, actor.id)).limit(1);
  return { reason: row?.reason ?? null, until: row?.until ?? null };
}
