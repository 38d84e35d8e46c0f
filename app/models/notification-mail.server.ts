/**
 * Notification mail "at once" (docs/decisions/038). Every notification row is written with a time
 * to look at it for mail (`mail_due_at`, a few minutes on, so a reply read at once is never mailed).
 * A sweep claims the rows that are due, in one unit of work, and decides for each member:
 *
 * - nothing, for a row already read, a kind the member doesn't hear about by mail at once, an
 *   address that isn't confirmed or was refused, a deleted or suspended account, or a post or
 *   thread that was removed, deleted or is held;
 * - later, inside the member's quiet hours: the rows wait for the hour the quiet ends, and go then;
 * - else one mail with every row of the member, each row then marked `mailed_at`.
 *
 * Claiming sets `mail_due_at` to null in the statement that picks the rows, so two sweeps (two
 * app processes) never mail the same row: on PostgreSQL the second one waits for the first's row
 * locks, then finds the rows no longer due; SQLite runs one unit of work at a time.
 */
import { and, asc, eq, inArray, isNotNull, lte } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { setTimeout as pause } from "node:timers/promises";
import { db, isUnavailable, transaction, type Tx } from "../../db/client.ts";
import { boards, notifications, posts, threads, users } from "../../db/schema.ts";
import { MAIL_EXCERPT_MAX, plainExcerpt, postExcerpt } from "../utils/excerpt.ts";
import { logEvent } from "../utils/logger.server.ts";
import { notificationMail, type NotificationMailItem } from "../utils/mail-templates.server.ts";
import { describeFailure, siteOrigin } from "../utils/mail.server.ts";
import { mailableColumns, mailableOf } from "./email-address.server.ts";
import { enqueueMail, mailPollMs } from "./mail-outbox.server.ts";
import { getMailSettingsOf, inQuietHours, type MailSettings, PREF_KIND_OF, quietHoursEnd, type NotificationPrefKind } from "./mail-preferences.server.ts";
import { chunks } from "./notification-groups.server.ts";
import { postHref } from "./notifications.server.ts";
import { unsubscribeUrl } from "./unsubscribe.server.ts";

/** Rows claimed per unit of work: other writes (a reply's) wait for this one, so it is kept short. */
export const SWEEP_BATCH = 50;
const BATCH_PAUSE_MS = 25;

const dueBy = (now: Date) => and(isNotNull(notifications.mailDueAt), lte(notifications.mailDueAt, now));

const actor = alias(users, "actor");

/** What the mail says about each claimed row, and whether its post and thread may still be mentioned at all. */
async function detailsOf(tx: Tx, ids: number[]) {
  const out = [];
  for (const part of chunks(ids)) {
    const rows = await tx
      .select({
        id: notifications.id,
        userId: notifications.userId,
        kind: notifications.kind,
        text: notifications.text,
        conversationId: notifications.conversationId,
        threadId: notifications.threadId,
        postId: notifications.postId,
        who: actor.username,
        number: posts.number,
        bodyMarkdown: posts.bodyMarkdown,
        warningKind: posts.warningKind,
        warningText: posts.warningText,
        postGone: posts.removedAt,
        postDeleted: posts.deletedAt,
        postHeld: posts.heldAt,
        threadTitle: threads.title,
        threadGone: threads.removedAt,
        threadHeld: threads.heldAt,
        lastNumber: threads.postCount,
        boardName: boards.name,
      })
      .from(notifications)
      .leftJoin(actor, eq(actor.id, notifications.actorId))
      .leftJoin(posts, eq(posts.id, notifications.postId))
      .leftJoin(threads, eq(threads.id, notifications.threadId))
      .leftJoin(boards, eq(boards.id, threads.boardId))
      .where(inArray(notifications.id, part))
      .orderBy(asc(notifications.id));
    out.push(...rows);
  }
  return out;
}

type Detail = Awaited<ReturnType<typeof detailsOf>>[number];

const threadHidden = (d: Detail) => d.threadGone !== null || d.threadHeld !== null;
const postHidden = (d: Detail) => d.postGone !== null || d.postDeleted !== null || d.postHeld !== null;

/** A moderator's notice explains a removal, so it goes even about a removed post; nothing else does. */
const stillShown = (d: Detail) => d.kind === "moderation" || (!threadHidden(d) && !postHidden(d));

function itemOf(d: Detail, origin: string): NotificationMailItem {
  const titled = !threadHidden(d) && d.threadTitle !== null;
  const base = { kind: d.kind, who: d.who, threadTitle: titled ? d.threadTitle : null, boardName: titled ? d.boardName : null };
  if (d.kind === "message") return { ...base, excerpt: null, link: `${origin}/messages/${d.conversationId}` };
  if (d.kind === "moderation") return { ...base, who: null, excerpt: plainExcerpt(d.text ?? "", MAIL_EXCERPT_MAX), link: `${origin}/notifications` };
  const link =
    d.threadId !== null && d.postId !== null && d.number !== null
      ? `${origin}${postHref(d.threadId, d.postId, d.number, d.lastNumber ?? undefined)}`
      : `${origin}/notifications`;
  // A group of replies names the latest replier; its post is the first unread one, by someone else maybe.
  const excerpt = d.kind === "reply" || d.bodyMarkdown === null ? null : postExcerpt({ ...d, bodyMarkdown: d.bodyMarkdown }, MAIL_EXCERPT_MAX);
  return { ...base, excerpt, link };
}

type Account = { username: string; to: string | null; suspendedAt: Date | null; suspendedUntil: Date | null };

/** The claimed rows' members: who they are, where mail to them may go, and their choices, in three reads. */
async function membersOf(tx: Tx, userIds: number[]) {
  const accounts = new Map<number, Account>();
  const rows = await tx
    .select({ id: users.id, username: users.username, suspendedAt: users.suspendedAt, suspendedUntil: users.suspendedUntil, ...mailableColumns })
    .from(users)
    .where(inArray(users.id, userIds));
  for (const row of rows) accounts.set(row.id, { ...row, to: mailableOf(row) });
  return { accounts, settings: await getMailSettingsOf(userIds, tx) };
}

const suspended = (account: Account, now: Date) => account.suspendedAt !== null && (account.suspendedUntil === null || account.suspendedUntil > now);

/** One member's claimed rows: nothing, wait for the end of their quiet hours, or one mail now. */
async function decide(tx: Tx, rows: Detail[], account: Account | undefined, settings: MailSettings | undefined, now: Date, origin: string) {
  if (!account?.to || !settings || suspended(account, now)) return "none";
  const atOnce = rows.filter((r) => settings.deliveries[PREF_KIND_OF[r.kind]] === "now" && stillShown(r));
  if (atOnce.length === 0) return "none";
  const ids = atOnce.map((r) => r.id);
  if (inQuietHours(now, settings)) {
    await tx
      .update(notifications)
      .set({ mailDueAt: quietHoursEnd(now, settings) })
      .where(inArray(notifications.id, ids));
    return "waiting";
  }
  const userId = atOnce[0]!.userId;
  const kinds = [...new Set(atOnce.map((r): NotificationPrefKind => PREF_KIND_OF[r.kind]))];
  const link = await unsubscribeUrl(userId, kinds, now);
  const mail = notificationMail({ username: account.username, items: atOnce.map((r) => itemOf(r, origin)), origin, unsubscribeUrl: link });
  await enqueueMail(tx, { ...mail, to: account.to, userId, unsubscribeUrl: link }, now);
  await tx.update(notifications).set({ mailedAt: now }).where(inArray(notifications.id, ids));
  return "mailed";
}

/**
 * Claims up to SWEEP_BATCH rows due by `now` and deals with them, all in one unit of work.
 * Resolves with how many rows were claimed and how many mails were queued.
 */
export async function sweepNotificationMail(now = new Date()) {
  return transaction(async (tx) => {
    const oldest = tx.select({ id: notifications.id }).from(notifications).where(dueBy(now)).orderBy(asc(notifications.mailDueAt)).limit(SWEEP_BATCH);
    // The outer test again: a row another sweep claimed meanwhile is no longer due, and is left to it.
    const claimed = await tx
      .update(notifications)
      .set({ mailDueAt: null })
      .where(and(inArray(notifications.id, oldest), dueBy(now)))
      .returning({ id: notifications.id, readAt: notifications.readAt });
    const unread = claimed.filter((r) => r.readAt === null).map((r) => r.id);
    const byMember = new Map<number, Detail[]>();
    for (const row of await detailsOf(tx, unread)) byMember.set(row.userId, [...(byMember.get(row.userId) ?? []), row]);
    const { accounts, settings } = await membersOf(tx, [...byMember.keys()]);
    const origin = siteOrigin();
    let mails = 0;
    for (const [userId, rows] of byMember) if ((await decide(tx, rows, accounts.get(userId), settings.get(userId), now, origin)) === "mailed") mails++;
    return { claimed: claimed.length, mails };
  });
}

// ---- The loop: one per process, beside the outbox's worker ----

let timer: ReturnType<typeof setInterval> | undefined;
let running: Promise<void> | undefined;

/** A read first, so that an idle poll takes no write lock. */
async function anyDue(now: Date) {
  const [row] = await db.select({ id: notifications.id }).from(notifications).where(dueBy(now)).limit(1);
  return row !== undefined;
}

function tick() {
  if (running) return;
  running = (async () => {
    try {
      // A full batch means more may be due: go on until a batch comes back short, or the loop is
      // stopped, pausing between batches so that other writers (a reply) get their turn first.
      while (timer && (await anyDue(new Date())) && (await sweepNotificationMail()).claimed === SWEEP_BATCH) await pause(BATCH_PAUSE_MS);
    } catch (error) {
      logEvent("notification_mail.sweep_failed", { error: describeFailure(error) }, isUnavailable(error) ? "warn" : "error");
    } finally {
      running = undefined;
    }
  })();
}

/** Starts this process's sweep (app/http.server.ts): now, then every MAIL_POLL_SECONDS. Tests call the sweep themselves. */
export function startNotificationMail() {
  if (timer) return;
  timer = setInterval(tick, mailPollMs()).unref();
  tick();
}

/** Stops the sweep and waits for one in flight to commit, before the database closes. */
export async function stopNotificationMail() {
  clearInterval(timer);
  timer = undefined;
  await running;
}
