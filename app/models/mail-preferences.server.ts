/**
 * How a member hears about each kind of notification, and their quiet hours (docs/decisions/038).
 * A kind with no row in mail_preferences has its default; only a member's own choices are stored.
 */
import { and, eq, inArray } from "drizzle-orm";
import { DateTime } from "luxon";
import { z } from "zod";
import { db, transaction, type Executor } from "../../db/client.ts";
import { type Delivery, deliveries, mailPreferences, notificationKinds, type NotificationPrefKind, users } from "../../db/schema.ts";
import { validate } from "../utils/forms.server.ts";
import { deliveryField, NO_QUIET } from "../utils/mail-settings.ts";
import { forbidden } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";
import { scheduleDigests } from "./digests.server.ts";

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
  return (await getMailSettingsOf([userId], executor)).get(userId) ?? null;
}

/** getMailSettings for many members in two reads (at most 500 ids: engines cap the bound values). */
export async function getMailSettingsOf(userIds: number[], executor: Executor = db) {
  const out = new Map<number, MailSettings>();
  if (userIds.length === 0) return out;
  const people = await executor
    .select({ id: users.id, quietFrom: users.quietFrom, quietUntil: users.quietUntil, timeZone: users.timeZone })
    .from(users)
    .where(inArray(users.id, userIds));
  const rows = await executor
    .select({ userId: mailPreferences.userId, kind: mailPreferences.kind, delivery: mailPreferences.delivery })
    .from(mailPreferences)
    .where(inArray(mailPreferences.userId, userIds));
  for (const p of people)
    out.set(p.id, { deliveries: { ...DEFAULT_DELIVERY }, quietFrom: p.quietFrom, quietUntil: p.quietUntil, timeZone: zoneOrUtc(p.timeZone) });
  for (const row of rows) out.get(row.userId)!.deliveries[row.kind] = row.delivery;
  return out;
}

/**
 * Of these members, those who hear of `kind` by email at once. A notification is written with no
 * time for the mail sweep for anyone else, so a fan-out to many who read on the site costs the sweep nothing.
 */
export async function mailedAtOnce(executor: Executor, kind: NotificationPrefKind, userIds: number[]) {
  const chosen = await executor
    .select({ userId: mailPreferences.userId, delivery: mailPreferences.delivery })
    .from(mailPreferences)
    .where(and(eq(mailPreferences.kind, kind), inArray(mailPreferences.userId, userIds)));
  const choice = new Map(chosen.map((row) => [row.userId, row.delivery]));
  return new Set(userIds.filter((id) => (choice.get(id) ?? DEFAULT_DELIVERY[kind]) === "now"));
}

/** Sets one kind's delivery; `updatedAt` moves even when the value is unchanged, voiding older unsubscribe links. */
export async function setDelivery(executor: Executor, userId: number, kind: NotificationPrefKind, delivery: Delivery, now = new Date()) {
  await executor
    .insert(mailPreferences)
    .values({ userId, kind, delivery, updatedAt: now })
    .onConflictDoUpdate({ target: [mailPreferences.userId, mailPreferences.kind], set: { delivery, updatedAt: now } });
  await scheduleDigests(executor, userId, now);
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
  await scheduleDigests(executor, userId);
}

const hours = Array.from({ length: 24 }, (_, hour) => String(hour)) as [string, ...string[]];
const hour = z.enum(hours, "Choose an hour from the list.").transform(Number);

export const mailSettingsSchema = z.object({
  ...(Object.fromEntries(notificationKinds.map((kind) => [deliveryField(kind), z.enum(deliveries, "Choose how you hear about this.")])) as Record<
    ReturnType<typeof deliveryField>,
    z.ZodEnum<{ [D in Delivery]: D }>
  >),
  quietFrom: z.union([z.literal(NO_QUIET), hour], "Choose an hour, or “No quiet hours”."),
  quietUntil: hour,
});

/**
 * The settings page's one Save: every kind's delivery and the quiet hours. A kind is written only
 * when it changes, so saving leaves the other kinds' unsubscribe links as they are.
 */
export async function saveMailSettings(
  actor: Actor,
  input: Record<string, string | undefined>,
  now = new Date(),
): Promise<{ ok: true } | { ok: false; errors: Record<string, string> }> {
  if (!actor) forbidden("Log in to choose how you hear from us.");
  const result = validate(mailSettingsSchema, input);
  if (!result.ok) return result;
  const { quietFrom, quietUntil } = result.data;
  await transaction(async (tx) => {
    const current = await getMailSettings(actor.id, tx);
    if (!current) forbidden("There is no such account.");
    for (const kind of notificationKinds) {
      const delivery = result.data[deliveryField(kind)];
      if (delivery !== current.deliveries[kind]) await setDelivery(tx, actor.id, kind, delivery, now);
    }
    await setQuietHours(tx, actor.id, quietFrom === NO_QUIET ? quietUntil : quietFrom, quietUntil);
  });
  return { ok: true };
}

/** For the data export: every kind's choice (defaults filled in) and the quiet hours. */
export async function exportMailSettings(userId: number) {
  const settings = await getMailSettings(userId);
  if (!settings) return null;
  const quiet = settings.quietFrom === settings.quietUntil ? null : { from: settings.quietFrom, until: settings.quietUntil, timeZone: settings.timeZone };
  return { deliveries: settings.deliveries, quietHours: quiet };
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
