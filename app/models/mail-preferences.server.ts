/**
 * How a member hears about each kind of notification, and their quiet hours (docs/decisions/038).
 * A kind with no row in mail_preferences has its default; only a member's own choices are stored.
 */
import { and, eq } from "drizzle-orm";
import { DateTime } from "luxon";
import { db, type Executor } from "../../db/client.ts";
import { type Delivery, deliveries, mailPreferences, notificationKinds, type NotificationPrefKind, users } from "../../db/schema.ts";

export { deliveries, notificationKinds };
export type { Delivery, NotificationPrefKind };

/** Replies to a member, mentions and private messages are addressed to them: mail at once. */
export const DEFAULT_DELIVERY: Record<NotificationPrefKind, Delivery> = {
  replies: "now",
  mentions: "now",
  messages: "now",
  followed: "site",
  watched: "site",
  moderation: "site",
};

/** The preference kind of each notifications.kind ("quote" is a reply to the member's own post). */
export const PREF_KIND_OF = {
  quote: "replies",
  mention: "mentions",
  reply: "followed",
  thread: "watched",
  moderation: "moderation",
  message: "messages",
} as const satisfies Record<string, NotificationPrefKind>;

export const DEFAULT_QUIET = { from: 22, until: 7 } as const;

export type MailSettings = { deliveries: Record<NotificationPrefKind, Delivery>; quietFrom: number; quietUntil: number; timeZone: string };

/** Every kind's delivery (defaults filled in), the quiet hours and the zone they are counted in. */
export async function getMailSettings(userId: number, executor: Executor = db): Promise<MailSettings | null> {
  const [user] = await executor
    .select({ quietFrom: users.quietFrom, quietUntil: users.quietUntil, timeZone: users.timeZone })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  if (!user) return null;
  const rows = await executor
    .select({ kind: mailPreferences.kind, delivery: mailPreferences.delivery })
    .from(mailPreferences)
    .where(eq(mailPreferences.userId, userId));
  const chosen = { ...DEFAULT_DELIVERY };
  for (const row of rows) chosen[row.kind] = row.delivery;
  return { deliveries: chosen, quietFrom: user.quietFrom, quietUntil: user.quietUntil, timeZone: zoneOrUtc(user.timeZone) };
}

/** Sets one kind's delivery; `updatedAt` moves even when the value is unchanged, voiding older unsubscribe links. */
export async function setDelivery(executor: Executor, userId: number, kind: NotificationPrefKind, delivery: Delivery, now = new Date()) {
  await executor
    .insert(mailPreferences)
    .values({ userId, kind, delivery, updatedAt: now })
    .onConflictDoUpdate({ target: [mailPreferences.userId, mailPreferences.kind], set: { delivery, updatedAt: now } });
}

/** When this kind's delivery was last set by the member (null: never, the default holds). */
export async function deliveryChangedAt(executor: Executor, userId: number, kind: NotificationPrefKind) {
  const [row] = await executor
    .select({ updatedAt: mailPreferences.updatedAt })
    .from(mailPreferences)
    .where(and(eq(mailPreferences.userId, userId), eq(mailPreferences.kind, kind)))
    .limit(1);
  return row?.updatedAt ?? null;
}

export async function setQuietHours(executor: Executor, userId: number, from: number, until: number) {
  await executor.update(users).set({ quietFrom: from, quietUntil: until }).where(eq(users.id, userId));
}

/** A zone the member chose that this runtime no longer knows is read as UTC rather than failing. */
export function zoneOrUtc(zone: string | null | undefined) {
  return zone && DateTime.now().setZone(zone).isValid ? zone : "UTC";
}

/** True when `at` falls inside [from:00, until:00) local time; the window may cross midnight. */
export function inQuietHours(at: Date, quiet: { quietFrom: number; quietUntil: number; timeZone: string }) {
  const { quietFrom: from, quietUntil: until } = quiet;
  if (from === until) return false;
  const hour = DateTime.fromJSDate(at, { zone: zoneOrUtc(quiet.timeZone) }).hour;
  return from < until ? hour >= from && hour < until : hour >= from || hour < until;
}

/**
 * The first instant after `at` when the local clock shows `hour`:00 (on `weekday`, 1 = Monday, when
 * given). On a spring-forward day an hour the clock skips is read as the first hour after it.
 */
export function nextLocalHour(at: Date, hour: number, timeZone: string, weekday?: number) {
  const local = DateTime.fromJSDate(at, { zone: zoneOrUtc(timeZone) });
  for (let day = 0; day <= 8; day++) {
    const date = local.plus({ days: day });
    const candidate = DateTime.fromObject({ year: date.year, month: date.month, day: date.day, hour }, { zone: local.zone });
    if (candidate.toMillis() <= at.getTime()) continue;
    if (weekday !== undefined && candidate.weekday !== weekday) continue;
    return candidate.toJSDate();
  }
  throw new Error("unreachable: a matching day falls within 8 days");
}

/** When mail held back at `at` may go: the end of the quiet hours, or `at` itself outside them. */
export function quietHoursEnd(at: Date, quiet: { quietFrom: number; quietUntil: number; timeZone: string }) {
  return inQuietHours(at, quiet) ? nextLocalHour(at, quiet.quietUntil, quiet.timeZone) : at;
}
