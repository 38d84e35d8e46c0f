/**
 * The durable mail outbox (docs/decisions/035). A message is a row written by the unit of work of
 * the event that causes it (`enqueueMail`), so a rolled-back event sends nothing and a committed
 * one is never forgotten. Every app process runs a worker that claims one due message at a time,
 * sends it, and marks it sent only while its claim still holds; a failed send is tried again later
 * (BACKOFF_MS), then given up on with the error kept.
 *
 * A claim is a lease: a process that dies mid-send leaves the message to whoever claims it after
 * the lease ends. So a crash between sending and marking sends the message again, with the same
 * Message-ID (and the same .eml file), which mail programs show once: at least once, never lost.
 */
import { randomBytes } from "node:crypto";
import { and, asc, eq, isNotNull, isNull, lt, lte, or, sql } from "drizzle-orm";
import { afterCommit, bestEffort, db, isUnavailable, transaction, type Tx } from "../../db/client.ts";
import { mailOutbox, users } from "../../db/schema.ts";
import { logEvent } from "../utils/logger.server.ts";
import type { RenderedMail } from "../utils/mail-templates.server.ts";
import { describeFailure, isRefusedAddress, sendMail } from "../utils/mail.server.ts";

const MINUTE = 60_000;
/** How long a claim holds a message: well past the longest send (mail.server.ts bounds SMTP's waits). */
export const LEASE_MS = 10 * MINUTE;
/** The wait after each failed try, in order; a message that fails once more after the last is given up on. */
export const BACKOFF_MS = [1, 5, 30, 120, 720].map((minutes) => minutes * MINUTE);
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
/** Sent and failed messages (their bodies already emptied) are kept this long for the operator. */
const KEEP_MS = 30 * 24 * 60 * MINUTE;

type Row = typeof mailOutbox.$inferSelect;

/**
 * Queues one message inside the caller's unit of work: it leaves only if that commits. This
 * process's worker is woken once it has, so a reset link goes out at once rather than at the next poll.
 */
export async function enqueueMail(tx: Tx, message: RenderedMail & { to: string; userId: number | null; unsubscribeUrl?: string }, now = new Date()) {
  const { to, userId, kind, subject, text, html, unsubscribeUrl = null } = message;
  await tx
    .insert(mailOutbox)
    .values({ key: randomBytes(16).toString("hex"), userId, recipient: to, kind, subject, text, html, unsubscribeUrl, createdAt: now, sendAfter: now });
  afterCommit(deliverSoon);
}

const pending = () => and(isNull(mailOutbox.sentAt), isNull(mailOutbox.failedAt));
// Due: waiting, its time has come, and nobody holds a claim on it (or the claim's lease has run out).
const due = (now: Date) => and(pending(), lte(mailOutbox.sendAfter, now), or(isNull(mailOutbox.leaseUntil), lte(mailOutbox.leaseUntil, now)));

/** A read, so that an idle poll takes no write lock. */
async function anyDue(now: Date) {
  const [row] = await db.select({ id: mailOutbox.id }).from(mailOutbox).where(due(now)).limit(1);
  return row !== undefined;
}

/**
 * Claims the oldest due message in one statement. The outer WHERE repeats the due test: on
 * PostgreSQL a second claimer that picked the same row waits for the first to commit, then tests the
 * row again as it now is, finds it claimed and updates nothing. SQLite runs one write at a time.
 */
async function claimNext(now: Date): Promise<Row | null> {
  const claimToken = randomBytes(16).toString("hex");
  const [row] = await transaction((tx) => {
    const oldest = tx.select({ id: mailOutbox.id }).from(mailOutbox).where(due(now)).orderBy(asc(mailOutbox.id)).limit(1);
    return tx
      .update(mailOutbox)
      .set({ claimToken, leaseUntil: new Date(now.getTime() + LEASE_MS), attempts: sql`${mailOutbox.attempts} + 1` })
      .where(and(sql`${mailOutbox.id} = (${oldest})`, due(now)))
      .returning();
  });
  return row ?? null;
}

/** The row as it stands, if this claim still holds it (a lease that ran out may have passed it on). */
const stillOurs = (row: Row) => and(eq(mailOutbox.id, row.id), eq(mailOutbox.claimToken, row.claimToken!));
const released = { claimToken: null, leaseUntil: null };
const emptied = { text: "", html: "" };

async function markSent(row: Row, now: Date) {
  const marked = await transaction((tx) =>
    tx
      .update(mailOutbox)
      .set({ ...released, ...emptied, sentAt: now, lastError: null })
      .where(stillOurs(row))
      .returning({ id: mailOutbox.id }),
  );
  return marked.length > 0;
}

/** Schedules the next try, or gives up: after the last one, or at once when the address was refused. */
async function markFailed(row: Row, error: unknown, now: Date) {
  const refused = isRefusedAddress(error);
  const giveUp = refused || row.attempts >= MAX_ATTEMPTS;
  // Kept for the operator in the row, never logged: a server's reply can quote the address.
  const lastError = String(error).slice(0, 1000);
  await transaction(async (tx) => {
    const marked = await tx
      .update(mailOutbox)
      .set(
        giveUp
          ? { ...released, ...emptied, failedAt: now, lastError }
          : { ...released, sendAfter: new Date(now.getTime() + BACKOFF_MS[row.attempts - 1]!), lastError },
      )
      .where(stillOurs(row))
      .returning({ id: mailOutbox.id });
    // The member's address, if it still is, is refused for good: no notification goes there until it changes or is confirmed again.
    if (refused && marked.length > 0 && row.userId !== null) {
      await tx
        .update(users)
        .set({ emailBouncedAt: now })
        .where(and(eq(users.id, row.userId), eq(users.email, row.recipient)));
    }
  });
  logEvent("mail.failed", { id: row.id, kind: row.kind, attempt: row.attempts, gaveUp: giveUp, error: describeFailure(error) }, giveUp ? "error" : "warn");
}

/** Sends one claimed message and records how it went. */
async function deliver(row: Row, clock: () => Date) {
  if (row.attempts > MAX_ATTEMPTS) {
    // Claimed again and again without an answer: whatever stopped each sender, stop here.
    await markFailed(row, new Error(`The sender stopped before finishing ${MAX_ATTEMPTS} times.`), clock());
    return false;
  }
  try {
    const { key, createdAt, recipient: to, subject, text, html, unsubscribeUrl } = row;
    await sendMail({ key, createdAt, to, subject, text, html, unsubscribeUrl });
  } catch (error) {
    await markFailed(row, error, clock());
    return false;
  }
  const marked = await markSent(row, clock());
  if (marked) logEvent("mail.sent", { id: row.id, kind: row.kind, userId: row.userId, attempt: row.attempts });
  return marked;
}

// Claims that find nothing while a read says a message is due (another server took it meanwhile):
// after this many in a row the rest waits for the next poll rather than spin.
const EMPTY_CLAIMS = 5;

async function drain(clock: () => Date, keepGoing: () => boolean) {
  let sent = 0;
  let empty = 0;
  while (keepGoing() && empty < EMPTY_CLAIMS && (await anyDue(clock()))) {
    const row = await claimNext(clock());
    if (!row) {
      empty++;
      continue;
    }
    empty = 0;
    if (await deliver(row, clock)) sent++;
  }
  return sent;
}

/**
 * Sends every message due by `now` (default: the clock, read afresh at each step), one at a time;
 * resolves with how many were sent. The worker runs this; tests call it to step through time.
 */
export function deliverDueMail(now?: Date) {
  return drain(
    () => now ?? new Date(),
    () => true,
  );
}

/** Deletes sent and failed messages older than KEEP_MS; returns how many went. */
export async function sweepOldMail(now = new Date()) {
  let gone = 0;
  await bestEffort(async (tx) => {
    const rows = await tx
      .delete(mailOutbox)
      .where(and(lt(mailOutbox.createdAt, new Date(now.getTime() - KEEP_MS)), or(isNotNull(mailOutbox.sentAt), isNotNull(mailOutbox.failedAt))))
      .returning({ id: mailOutbox.id });
    gone = rows.length;
  });
  return gone;
}

// ---- The worker: one per process, woken by a timer and by every committed enqueue ----

let started = false;
let timers: ReturnType<typeof setInterval>[] = [];
let running: Promise<void> | undefined;
let again = false;

/** How often each process looks for mail to send, and for notifications to mail (notification-mail.server.ts). */
export function mailPollMs() {
  const seconds = Number(process.env.MAIL_POLL_SECONDS);
  return (Number.isFinite(seconds) && seconds >= 1 ? seconds : 30) * 1000;
}

function work(): Promise<void> {
  if (running) {
    // Already sending: look again when done, for what was queued meanwhile.
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await drain(
          () => new Date(),
          () => started,
        );
      } while (again && started);
    } catch (error) {
      // A database that cannot be written now is tried again at the next poll; the lease covers the rest.
      logEvent("mail.worker_failed", { error: describeFailure(error) }, isUnavailable(error) ? "warn" : "error");
    } finally {
      running = undefined;
    }
  })();
  return running;
}

function deliverSoon() {
  if (started) void work();
}

/**
 * Starts this process's worker (app/http.server.ts, as each app server starts): it sends what is
 * due at once, then every MAIL_POLL_SECONDS (default 30) and whenever this process queues a message.
 */
export function startMailDelivery() {
  if (started) return;
  started = true;
  const sweep = () => sweepOldMail().catch((error: unknown) => logEvent("mail.sweep_failed", { error: describeFailure(error) }, "error"));
  timers = [setInterval(() => void work(), mailPollMs()).unref(), setInterval(() => void sweep(), 60 * MINUTE).unref()];
  void work();
}

/** Stops the worker and waits for a send in flight to finish and be marked, before the database closes. */
export async function stopMailDelivery() {
  started = false;
  for (const timer of timers) clearInterval(timer);
  timers = [];
  await running;
}
