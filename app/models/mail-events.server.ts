/**
 * Bounces and complaints the mail provider reports after a message left (docs/decisions/041), and
 * what the site tells the member about them. A bounce marks the address refused, as a 5xx at
 * RCPT TO does (decision 036): no notification mail goes there until an address is confirmed. A
 * complaint ("this is spam") turns every kind of notification mail to "site only", through
 * setDelivery like any other change, and is recorded so the site can say why.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { and, eq, gt, isNull } from "drizzle-orm";
import { z } from "zod";
import { db, transaction } from "../../db/client.ts";
import { mailPreferences, notificationKinds, users } from "../../db/schema.ts";
import { EMAIL_MAX } from "../utils/limits.ts";
import { setDelivery } from "./mail-preferences.server.ts";

/** A report's body is read whole only below this size; a provider batches well under it. */
export const MAIL_EVENTS_MAX_BYTES = 64 * 1024;
export const MAIL_EVENTS_MAX = 500;

export const mailEventsSchema = z.object({
  events: z
    .array(
      z.object({
        type: z.enum(["bounce", "complaint"]),
        // Addresses are stored lower-case (emailSchema); one that isn't an address simply matches nobody.
        address: z.string().trim().toLowerCase().min(1).max(EMAIL_MAX),
      }),
    )
    .min(1)
    .max(MAIL_EVENTS_MAX),
});

export type MailEvent = z.infer<typeof mailEventsSchema>["events"][number];

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Whether `authorization` is "Bearer <MAIL_EVENTS_TOKEN>": both sides hashed first, so the compare
 * takes the same time whatever was sent, its length included. Null when no token is configured.
 */
export function mailEventsAuthorized(authorization: string | null): boolean | null {
  const token = process.env.MAIL_EVENTS_TOKEN;
  if (!token) return null;
  const given = /^Bearer (\S+)$/.exec(authorization ?? "")?.[1] ?? "";
  return timingSafeEqual(digest(given), digest(token));
}

/**
 * Applies a provider's report in one unit of work. Addresses that belong to nobody (or to a deleted
 * account) are skipped; the answer is the same either way, so the endpoint tells nobody who is a member.
 */
export async function recordMailEvents(events: MailEvent[], now = new Date()) {
  let matched = 0;
  await transaction(async (tx) => {
    for (const event of events) {
      const [user] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.email, event.address), isNull(users.deletedAt)))
        .limit(1);
      if (!user) continue;
      matched++;
      if (event.type === "bounce") {
        await tx.update(users).set({ emailBouncedAt: now }).where(eq(users.id, user.id));
        continue;
      }
      for (const kind of notificationKinds) await setDelivery(tx, user.id, kind, "site", now);
      await tx.update(users).set({ emailComplainedAt: now }).where(eq(users.id, user.id));
    }
  });
  return { received: events.length, matched };
}

/**
 * What the site tells the member about their mail: when their address was refused (until an
 * address is confirmed), and when a complaint turned their email off (until they choose any
 * delivery again, in settings or by a link).
 */
export async function getMailNotice(userId: number) {
  const [user] = await db.select({ refusedAt: users.emailBouncedAt, complainedAt: users.emailComplainedAt }).from(users).where(eq(users.id, userId)).limit(1);
  if (!user) return { refusedAt: null, complainedAt: null };
  let complainedAt = user.complainedAt;
  if (complainedAt) {
    const [since] = await db
      .select({ kind: mailPreferences.kind })
      .from(mailPreferences)
      .where(and(eq(mailPreferences.userId, userId), gt(mailPreferences.updatedAt, complainedAt)))
      .limit(1);
    if (since) complainedAt = null;
  }
  return { refusedAt: user.refusedAt, complainedAt };
}

export type MailNotice = Awaited<ReturnType<typeof getMailNotice>>;
