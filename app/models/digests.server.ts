/**
 * Daily and weekly digest mail (docs/decisions/039). A member who chose a digest for some kind has
 * a row per period in mail_digests saying when the next one is due: at the end of their quiet
 * hours (07:00 without them) in their own zone, every day or on Monday. The sweep finds due rows
 * by the next_at index, so an idle poll reads nothing of members who aren't due.
 *
 * Claiming is compare-and-set on next_at, in the transaction that queues the mail: of several app
 * processes sweeping at once exactly one moves a row on (on PostgreSQL a second updater waits for
 * the first to commit, re-tests the row, finds next_at moved and updates nothing), and a crash
 * before commit leaves the digest due rather than lost.
 */
import { and, asc, eq, gt, lte } from "drizzle-orm";
import { db, type Executor, transaction } from "../../db/client.ts";
import { type DigestPeriod, digestPeriods, mailDigests, users } from "../../db/schema.ts";
import { DEFAULT_QUIET, getMailSettings, type MailSettings, nextLocalHour, notificationKinds } from "./mail-preferences.server.ts";
import { gatherDigest, isEmpty } from "./digest-content.server.ts";
import { mailableAddress } from "./email-address.server.ts";
import { enqueueMail, mailPollMs } from "./mail-outbox.server.ts";
import { unsubscribeUrl } from "./unsubscribe.server.ts";
import { digestMail } from "../utils/digest-mail.server.ts";
import { logEvent } from "../utils/logger.server.ts";
import { describeFailure, siteOrigin } from "../utils/mail.server.ts";

const MONDAY = 1;

/** The first digest time after `at`: the end of the quiet hours (07:00 when there are none), on Monday for a weekly one. */
export function nextDigestAt(at: Date, period: DigestPeriod, quiet: Pick<MailSettings, "quietFrom" | "quietUntil" | "timeZone">) {
  const hour = quiet.quietFrom === quiet.quietUntil ? DEFAULT_QUIET.until : quiet.quietUntil;
  return nextLocalHour(at, hour, quiet.timeZone, period === "weekly" ? MONDAY : undefined);
}

const kindsIn = (settings: MailSettings, period: DigestPeriod) => notificationKinds.filter((kind) => settings.deliveries[kind] === period);

/**
 * Brings the member's digest rows in line with their choices (setDelivery and setQuietHours call
 * this in their unit of work): a period nobody chose loses its row; a new one starts its window
 * now. A row not yet due moves to the new time; a due one stays, so the sweep still sends it.
 */
export async function scheduleDigests(executor: Executor, userId: number, now = new Date()) {
  const settings = await getMailSettings(userId, executor);
  if (!settings) return;
  for (const period of digestPeriods) {
    const mine = and(eq(mailDigests.userId, userId), eq(mailDigests.period, period));
    if (kindsIn(settings, period).length === 0) {
      await executor.delete(mailDigests).where(mine);
      continue;
    }
    const nextAt = nextDigestAt(now, period, settings);
    await executor
      .insert(mailDigests)
      .values({ userId, period, nextAt, since: now })
      .onConflictDoUpdate({ target: [mailDigests.userId, mailDigests.period], set: { nextAt }, setWhere: gt(mailDigests.nextAt, now) });
  }
}

type DueRow = {
  userId: number;
  period: DigestPeriod;
  nextAt: Date;
  since: Date;
  username: string;
  role: (typeof users.$inferSelect)["role"];
  deletedAt: Date | null;
  suspendedAt: Date | null;
  suspendedUntil: Date | null;
};

const suspended = (row: DueRow, now: Date) => row.suspendedAt !== null && (row.suspendedUntil === null || row.suspendedUntil > now);

/** What this member's digest would say, or null when it goes to nobody or says nothing. */
async function prepare(row: DueRow, settings: MailSettings, now: Date) {
  const kinds = kindsIn(settings, row.period);
  if (kinds.length === 0 || row.deletedAt || suspended(row, now)) return null;
  const to = await mailableAddress(row.userId);
  if (!to) return null;
  const digest = await gatherDigest({ id: row.userId, role: row.role }, kinds, { since: row.since, until: now });
  if (isEmpty(digest)) return null;
  const unsubscribe = await unsubscribeUrl(row.userId, kinds, now);
  const mail = digestMail({ username: row.username, period: row.period, digest, origin: siteOrigin(), unsubscribeUrl: unsubscribe });
  return { ...mail, to, unsubscribeUrl: unsubscribe };
}

/**
 * Claims one due digest and queues its mail in the same unit of work; the schedule moves on
 * whether or not there was anything to say. Returns whether a mail was queued.
 */
async function sendDigest(row: DueRow, now: Date) {
  const settings = await getMailSettings(row.userId);
  if (!settings) return false;
  // Read before the claim, so the write lock is held only to claim and queue.
  const mail = await prepare(row, settings, now);
  return transaction(async (tx) => {
    const claimed = await tx
      .update(mailDigests)
      .set({ nextAt: nextDigestAt(now, row.period, settings), since: now })
      .where(and(eq(mailDigests.userId, row.userId), eq(mailDigests.period, row.period), eq(mailDigests.nextAt, row.nextAt), lte(mailDigests.nextAt, now)))
      .returning({ userId: mailDigests.userId });
    if (claimed.length === 0 || !mail) return false;
    await enqueueMail(tx, { ...mail, userId: row.userId }, now);
    return true;
  });
}

const BATCH = 100;

/** Sends every digest due by `now`; resolves with how many mails were queued. The worker runs this; tests call it. */
export async function sweepDigests(now = new Date()) {
  let queued = 0;
  for (;;) {
    const due: DueRow[] = await db
      .select({
        userId: mailDigests.userId,
        period: mailDigests.period,
        nextAt: mailDigests.nextAt,
        since: mailDigests.since,
        username: users.username,
        role: users.role,
        deletedAt: users.deletedAt,
        suspendedAt: users.suspendedAt,
        suspendedUntil: users.suspendedUntil,
      })
      .from(mailDigests)
      .innerJoin(users, eq(users.id, mailDigests.userId))
      .where(lte(mailDigests.nextAt, now))
      .orderBy(asc(mailDigests.nextAt))
      .limit(BATCH);
    // Each row is moved past `now` by us or by another sweeper, so the loop ends.
    for (const row of due) if (await sendDigest(row, now)) queued++;
    if (due.length < BATCH) return queued;
  }
}

// ---- The worker: one per process, beside the outbox's ----

let timer: ReturnType<typeof setInterval> | undefined;
let running: Promise<void> | undefined;

function work() {
  running ??= sweepDigests()
    .then(() => undefined)
    .catch((error: unknown) => logEvent("digest.sweep_failed", { error: describeFailure(error) }, "error"))
    .finally(() => {
      running = undefined;
    });
  return running;
}

/** Starts this process's digest sweep (app/http.server.ts): at once, then every MAIL_POLL_SECONDS. */
export function startDigests() {
  if (timer) return;
  timer = setInterval(() => void work(), mailPollMs()).unref();
  void work();
}

/** Stops the sweep and waits for one in flight, before the database closes. */
export async function stopDigests() {
  clearInterval(timer);
  timer = undefined;
  await running;
}
