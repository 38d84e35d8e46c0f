// Notification mail "at once" (docs/decisions/038): each member's choice per kind, quiet hours in
// their time zone (DST included), and the sweep that turns due notifications into one mail per
// member: never for a read row, a site-only kind, an unconfirmed address or a removed post; held
// through the quiet hours and sent together after; once however many sweeps run and replies regroup.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { readMailFile } from "./mail-file.ts";

const outbox = mkdtempSync(join(tmpdir(), "unclench-notification-mail-"));
process.env.MAIL_OUTBOX = outbox;
delete process.env.SMTP_URL;
delete process.env.ORIGIN;

const { and, eq, isNotNull } = await import("drizzle-orm");
const pg = (await import("pg")).default;
const { db, transaction } = await import("../db/client.ts");
const { usesPostgres } = await import("../db/dialect.ts");
const { mailOutbox, mailPreferences, notifications, posts, users } = await import("../db/schema.ts");
const { checkUnsubscribe } = await import("~/models/unsubscribe.server.ts");
const { deleteAccount } = await import("~/models/account.server.ts");
const { exportUserData } = await import("~/models/account-export.server.ts");
const { startConversation, sendMessage } = await import("~/models/conversations.server.ts");
const { deliverDueMail } = await import("~/models/mail-outbox.server.ts");
const prefs = await import("~/models/mail-preferences.server.ts");
const { sweepNotificationMail } = await import("~/models/notification-mail.server.ts");
const { markAllNotificationsRead } = await import("~/models/notifications.server.ts");
const { removePost } = await import("~/models/moderation-posts.server.ts");
const settingsRoute = await import("~/routes/settings.notifications.tsx");
const { siteOrigin } = await import("~/utils/mail.server.ts");
const { remixHandler } = await import("./document.ts");
const { call, createReply, createThread, member } = await import("./helpers.ts");

const { getMailSettings, inQuietHours, quietHoursEnd, setDelivery, setQuietHours } = prefs;
type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const MINUTE = 60_000;
const later = (ms: number) => new Date(Date.now() + ms);
const origin = siteOrigin();
const send = remixHandler({ "routes/settings.notifications": { path: "settings/notifications", module: settingsRoute } });

/** A member whose address is confirmed and who has no quiet hours, unless a test says otherwise. */
async function reachable(name?: string) {
  const m = await member(name);
  await transaction(async (tx) => {
    await tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, m.id));
    await setQuietHours(tx, m.id, 0, 0);
  });
  return m;
}

const sentTo = (m: M) =>
  db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.userId, m.id), eq(mailOutbox.kind, "notification")));
const rowsOf = (m: M) => db.select().from(notifications).where(eq(notifications.userId, m.id));

/** A thread by `to`, and a reply by someone else answering its first post: a "quote" notification. */
async function answered(to: M, body = "Try flexing the foot up, then walk a little.", title = "Night cramps and magnesium") {
  const from = await member();
  const thread = await createThread(as(to), "night-leg-cramps", { title, body: "What helps at night?" });
  const reply = await createReply(as(from), thread.threadId, body, thread.postId);
  return { from, ...thread, replyId: reply.postId };
}

const mailFiles = () => readdirSync(outbox).filter((f) => f.endsWith(".eml"));

beforeEach(() => {
  for (const file of readdirSync(outbox)) rmSync(join(outbox, file));
});

describe("choices", () => {
  it("start from the defaults: replies, mentions and messages at once, the rest on the site, quiet 22:00-07:00", async () => {
    const m = await member();
    expect(await getMailSettings(m.id)).toEqual({
      deliveries: { replies: "now", mentions: "now", messages: "now", followed: "site", watched: "site", moderation: "site" },
      quietFrom: 22,
      quietUntil: 7,
      timeZone: "UTC",
    });
    const { text } = await send("/settings/notifications", { cookie: m.cookie });
    expect(text).toContain("How you hear from us");
    expect(text).toContain("confirmed yet, so no notification email can go until you confirm it");
    expect(text).toContain("counted in your time zone");
  });

  it("are saved in one press, a row only for what changed; a bad value answers 400 with the choices kept", async () => {
    const m = await member();
    const form = {
      "delivery-replies": "now",
      "delivery-mentions": "site",
      "delivery-messages": "now",
      "delivery-followed": "daily",
      "delivery-watched": "weekly",
      "delivery-moderation": "site",
      quietFrom: "23",
      quietUntil: "6",
    };
    const res = await call(settingsRoute.action, "/settings/notifications", { cookie: m.cookie, form });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/settings/notifications?saved=1");
    const stored = await db
      .select({ kind: mailPreferences.kind, delivery: mailPreferences.delivery })
      .from(mailPreferences)
      .where(eq(mailPreferences.userId, m.id));
    expect(stored.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
      { kind: "followed", delivery: "daily" },
      { kind: "mentions", delivery: "site" },
      { kind: "watched", delivery: "weekly" },
    ]);
    expect(await getMailSettings(m.id)).toMatchObject({ quietFrom: 23, quietUntil: 6 });

    const none = await call(settingsRoute.action, "/settings/notifications", { cookie: m.cookie, form: { ...form, quietFrom: "none", quietUntil: "8" } });
    expect(none.status).toBe(302);
    expect(await getMailSettings(m.id)).toMatchObject({ quietFrom: 8, quietUntil: 8 });

    const bad = { ...form, "delivery-replies": "carrier-pigeon", quietUntil: "24" };
    const refused = await call(settingsRoute.action, "/settings/notifications", { cookie: m.cookie, form: bad });
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.values).toMatchObject({ "delivery-followed": "daily", "delivery-replies": "carrier-pigeon", quietFrom: "23" });
    expect(Object.keys(body.errors).sort()).toEqual(["delivery-replies", "quietUntil"]);
    expect((await getMailSettings(m.id))!.deliveries.replies).toBe("now");
    // Without JS the page answers with the choices as sent (the bad one falls back to the saved one).
    const { response, text } = await send("/settings/notifications", { cookie: m.cookie, form: bad });
    expect(response.status).toBe(400);
    expect(text).toContain("Not saved yet, and your choices are kept.");
    const checked = [...text.matchAll(/<input type="radio" id="([^"]+)"[^>]* checked=""/g)].map((r) => r[1]);
    expect(checked).toEqual([
      "delivery-replies-now",
      "delivery-mentions-site",
      "delivery-messages-now",
      "delivery-followed-daily",
      "delivery-watched-weekly",
      "delivery-moderation-site",
    ]);
    expect(text).toContain('<option value="23" selected="">23:00</option>');
  });

  it("are in the data export, and go with the account", async () => {
    const m = await member();
    await transaction((tx) => setDelivery(tx, m.id, "watched", "daily"));
    expect((await exportUserData(m)).settings.notificationMail).toEqual({
      deliveries: { replies: "now", mentions: "now", messages: "now", followed: "site", watched: "daily", moderation: "site" },
      quietHours: { from: 22, until: 7, timeZone: "UTC" },
    });
    await deleteAccount(m, { password: "correct horse battery", keepPosts: true });
    expect(await db.select().from(mailPreferences).where(eq(mailPreferences.userId, m.id))).toEqual([]);
  });
});

describe("the excerpt", () => {
  it("is plain text, leaves fenced code out, and stays linear on text built to be slow", async () => {
    const { plainExcerpt } = await import("~/utils/excerpt.ts");
    expect(plainExcerpt("> quoted **bold** and snake_case\n```\nsecret code\n```\n# After [the](http://x.org) code", 160)).toBe(
      "quoted bold and snake_case After the code",
    );
    const started = performance.now();
    for (const unit of ["```", "![", "*_", "[a](", "> "]) plainExcerpt(unit.repeat(20_000), 160);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe("quiet hours", () => {
  const at = (iso: string) => new Date(iso);
  const q = (quietFrom: number, quietUntil: number, timeZone: string) => ({ quietFrom, quietUntil, timeZone });

  it("cross midnight, and equal hours mean none", () => {
    const night = q(22, 7, "UTC");
    expect(inQuietHours(at("2026-06-01T21:59:00Z"), night)).toBe(false);
    expect(inQuietHours(at("2026-06-01T22:00:00Z"), night)).toBe(true);
    expect(inQuietHours(at("2026-06-02T03:00:00Z"), night)).toBe(true);
    expect(inQuietHours(at("2026-06-02T07:00:00Z"), night)).toBe(false);
    expect(quietHoursEnd(at("2026-06-01T23:30:00Z"), night)).toEqual(at("2026-06-02T07:00:00Z"));
    expect(inQuietHours(at("2026-06-01T14:00:00Z"), q(13, 15, "UTC"))).toBe(true);
    expect(inQuietHours(at("2026-06-01T15:00:00Z"), q(13, 15, "UTC"))).toBe(false);
    expect(inQuietHours(at("2026-06-01T03:00:00Z"), q(7, 7, "UTC"))).toBe(false);
    expect(quietHoursEnd(at("2026-06-01T03:00:00Z"), q(7, 7, "UTC"))).toEqual(at("2026-06-01T03:00:00Z"));
  });

  it("are counted in the member's zone, east of UTC too", () => {
    // 23:00 in Tokyo (UTC+9): quiet until 07:00 there, 22:00 UTC.
    expect(quietHoursEnd(at("2026-06-01T14:00:00Z"), q(22, 7, "Asia/Tokyo"))).toEqual(at("2026-06-01T22:00:00Z"));
    // 12:00 UTC is 17:30 in Kolkata: outside 22-07 there, inside it in UTC terms nowhere.
    expect(inQuietHours(at("2026-06-01T12:00:00Z"), q(22, 7, "Asia/Kolkata"))).toBe(false);
    expect(quietHoursEnd(at("2026-06-01T17:00:00Z"), q(22, 7, "Asia/Kolkata"))).toEqual(at("2026-06-02T01:30:00Z"));
    // A zone this runtime doesn't know is read as UTC.
    expect(inQuietHours(at("2026-06-01T23:00:00Z"), q(22, 7, "Mars/Olympus_Mons"))).toBe(true);
  });

  it("end at the right instant across New York's DST changes", () => {
    const ny = q(22, 7, "America/New_York");
    // 2026-03-08: clocks go 02:00 EST -> 03:00 EDT. 01:30 EST is quiet; 07:00 that morning is EDT (11:00 UTC).
    expect(inQuietHours(at("2026-03-08T06:30:00Z"), ny)).toBe(true);
    expect(quietHoursEnd(at("2026-03-08T06:30:00Z"), ny)).toEqual(at("2026-03-08T11:00:00Z"));
    // An end hour the clock skips is read as the first hour after it: 03:00 EDT.
    expect(quietHoursEnd(at("2026-03-08T06:30:00Z"), q(22, 2, "America/New_York"))).toEqual(at("2026-03-08T07:00:00Z"));
    // 2026-11-01: clocks go 02:00 EDT -> 01:00 EST. 01:30 EDT is quiet; 07:00 is EST (12:00 UTC).
    expect(inQuietHours(at("2026-11-01T05:30:00Z"), ny)).toBe(true);
    expect(quietHoursEnd(at("2026-11-01T05:30:00Z"), ny)).toEqual(at("2026-11-01T12:00:00Z"));
    // 06:30 EST, the hour after the repeated one, is still quiet, for half an hour.
    expect(quietHoursEnd(at("2026-11-01T11:30:00Z"), ny)).toEqual(at("2026-11-01T12:00:00Z"));
  });

  it("end at the right instant across London's DST changes", () => {
    const london = q(22, 7, "Europe/London");
    // 2026-03-29: 01:00 GMT -> 02:00 BST. 07:00 BST is 06:00 UTC.
    expect(quietHoursEnd(at("2026-03-29T00:30:00Z"), london)).toEqual(at("2026-03-29T06:00:00Z"));
    // 2026-10-25: 02:00 BST -> 01:00 GMT. 07:00 GMT is 07:00 UTC.
    expect(quietHoursEnd(at("2026-10-24T22:30:00Z"), london)).toEqual(at("2026-10-25T07:00:00Z"));
    // 21:30 UTC in summer is 22:30 BST: quiet.
    expect(inQuietHours(at("2026-07-01T21:30:00Z"), london)).toBe(true);
    expect(inQuietHours(at("2026-12-01T21:30:00Z"), london)).toBe(false);
  });
});

describe("the sweep", () => {
  it("has nothing to look at for a member who reads that kind on the site: a big fan-out costs it nothing", async () => {
    const [reader, emailed, starter] = [await reachable(), await reachable(), await member()];
    await transaction((tx) => setDelivery(tx, emailed.id, "followed", "now"));
    const { threadId } = await createThread(as(starter), "night-leg-cramps", { title: "Stretches that help", body: "Share yours." });
    for (const m of [reader, emailed]) await createReply(as(m), threadId, `Calf stretch before bed, says ${m.username}.`);
    await createReply(as(starter), threadId, "Thank you both.");
    const due = async (m: M) => (await rowsOf(m)).map((row) => [row.kind, row.mailDueAt !== null]);
    expect(await due(reader)).toEqual([["reply", false]]);
    expect(await due(emailed)).toEqual([["reply", true]]);
    await sweepNotificationMail(later(10 * MINUTE));
    expect(await sentTo(reader)).toEqual([]);
    expect(await sentTo(emailed)).toHaveLength(1);
  });

  it("mails a reply once it is due: a fixed subject, a short excerpt, the link and the way out", async () => {
    const to = await reachable();
    const { from, threadId, replyId } = await answered(
      to,
      `Flex the **foot** up, then [walk](https://example.org) a little. ${"Then rest and breathe slowly. ".repeat(8)}`,
    );
    expect(await sweepNotificationMail()).toEqual({ claimed: 0, mails: 0 });
    expect(await sweepNotificationMail(later(6 * MINUTE))).toMatchObject({ mails: 1 });
    const [row] = await rowsOf(to);
    expect(row).toMatchObject({ mailDueAt: null, mailedAt: expect.any(Date) });
    expect(await deliverDueMail(later(6 * MINUTE))).toBeGreaterThanOrEqual(1);
    const [outboxRow] = await sentTo(to);
    const file = mailFiles().find((f) => f.includes(outboxRow!.key))!;
    const mail = readMailFile(readFileSync(join(outbox, file), "utf8"));
    expect(mail.subject).toBe("New reply to your post");
    expect(mail.to).toContain(`${to.username}@example.org`);
    expect(mail.text).toContain(`${from.username} replied to your post in “Night cramps and magnesium”:`);
    expect(mail.text).toContain("Flex the foot up, then walk a little. Then rest");
    expect(mail.text).not.toContain("**");
    const excerpt = mail.text.split("\n").find((line) => line.startsWith("Flex"))!;
    expect(excerpt.length).toBeLessThanOrEqual(161);
    expect(excerpt.endsWith("…")).toBe(true);
    expect(mail.text).toContain(`${origin}/threads/${threadId}?page=1#post-${replyId}`);
    expect(mail.text).toContain(`Change how you hear from us: ${origin}/settings/notifications`);
    expect(mail.text).toContain(`${origin}/unsubscribe/`);
    expect(mail.html).toContain("Change how you hear from us");
    expect(mail.html).not.toMatch(/<img/i);
    expect(mail.text).toContain(outboxRow!.unsubscribeUrl!);
    expect(await checkUnsubscribe(outboxRow!.unsubscribeUrl!.split("/unsubscribe/")[1]!)).toMatchObject({ ok: true, kinds: ["replies"] });
  });

  it("sends nothing for a row read before it was due, a site-only kind, an unconfirmed address or a removed post", async () => {
    const reader = await reachable();
    await answered(reader);
    await markAllNotificationsRead(reader.id);
    const siteOnly = await reachable();
    await transaction((tx) => setDelivery(tx, siteOnly.id, "replies", "site"));
    await answered(siteOnly);
    const unconfirmed = await member();
    await answered(unconfirmed);
    const removed = await reachable();
    const gone = await answered(removed);
    const moderator = await member(undefined, "moderator");
    await removePost(as(moderator), gone.replyId, "Off topic.");
    const suspended = await reachable();
    await answered(suspended);
    await transaction((tx) => tx.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, suspended.id)));

    await sweepNotificationMail(later(6 * MINUTE));
    for (const m of [reader, siteOnly, unconfirmed, removed, suspended]) {
      expect(await sentTo(m)).toEqual([]);
      // Looked at once, and done with: nothing is left due.
      for (const row of await rowsOf(m)) expect(row).toMatchObject({ mailDueAt: null, mailedAt: null });
    }
  });

  it("holds what comes in the quiet hours until they end, then sends it as one mail", async () => {
    const to = await reachable();
    await transaction(async (tx) => {
      await setQuietHours(tx, to.id, 22, 7);
      await tx.update(users).set({ timeZone: "America/New_York" }).where(eq(users.id, to.id));
    });
    const night = prefs.nextLocalHour(later(10 * MINUTE), 3, "America/New_York");
    const morning = prefs.nextLocalHour(night, 7, "America/New_York");
    await answered(to, "First answer.");
    expect(await sweepNotificationMail(night)).toMatchObject({ mails: 0 });
    expect((await rowsOf(to)).map((r) => r.mailDueAt)).toEqual([morning]);
    // Another one that night, mentioning them.
    const third = await member();
    const { threadId } = await createThread(as(third), "fibromyalgia", { title: "Pacing", body: "How do you pace?" });
    await createReply(as(third), threadId, `@${to.username} what do you think?`);
    expect(await sweepNotificationMail(new Date(night.getTime() + 60 * MINUTE))).toMatchObject({ mails: 0 });
    expect(await sweepNotificationMail(new Date(morning.getTime() - MINUTE))).toMatchObject({ claimed: 0 });
    expect(await sweepNotificationMail(morning)).toMatchObject({ mails: 1 });
    const sent = await sentTo(to);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe("2 new notifications on Unclench");
    expect(sent[0]!.text).toContain("replied to your post in");
    expect(sent[0]!.text).toContain(`${third.username} mentioned you in “Pacing”:`);
  });

  it("is sent once when two sweeps run at the same time", async () => {
    const people = [await reachable(), await reachable(), await reachable()];
    for (const m of people) await answered(m);
    const at = later(6 * MINUTE);
    const results = await Promise.all([sweepNotificationMail(at), sweepNotificationMail(at)]);
    expect(results.reduce((n, r) => n + r.mails, 0)).toBe(3);
    for (const m of people) expect(await sentTo(m)).toHaveLength(1);
  });

  it.runIf(usesPostgres())("on PostgreSQL, a sweep that meets another's claim in flight takes nothing of it", async () => {
    const [held, free] = [await reachable(), await reachable()];
    await answered(held);
    await answered(free);
    const [heldRow] = await rowsOf(held);
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      // Another app process has claimed this row and not committed yet: the row lock is held.
      await other.query("begin");
      await other.query("update notifications set mail_due_at = null where id = $1", [heldRow!.id]);
      const ours = sweepNotificationMail(later(6 * MINUTE));
      await vi.waitFor(async () => expect((await other.query("select count(*)::int as n from pg_locks where not granted")).rows[0].n).toBeGreaterThan(0), {
        timeout: 5000,
      });
      await other.query("commit");
      expect(await ours).toMatchObject({ mails: 1 });
    } finally {
      await other.end();
    }
    expect(await sentTo(held)).toEqual([]);
    expect(await sentTo(free)).toHaveLength(1);
  });

  it("mails an unread group of replies once, however many replies it gathers; after reading, a new group may be mailed", async () => {
    const author = await reachable();
    await transaction((tx) => setDelivery(tx, author.id, "followed", "now"));
    const { threadId } = await createThread(as(author), "night-leg-cramps", { title: "Cramps again", body: "Anyone?" });
    const [bo, cy] = [await member(), await member()];
    await createReply(as(bo), threadId, "One.");
    await createReply(as(cy), threadId, "Two.");
    await sweepNotificationMail(later(6 * MINUTE));
    expect(await sentTo(author)).toHaveLength(1);
    expect((await sentTo(author))[0]!.subject).toBe("New replies in a thread you follow");
    await createReply(as(bo), threadId, "Three.");
    expect(await rowsOf(author)).toMatchObject([{ kind: "reply", mailedAt: expect.any(Date), mailDueAt: null }]);
    await sweepNotificationMail(later(20 * MINUTE));
    expect(await sentTo(author)).toHaveLength(1);
    await markAllNotificationsRead(author.id);
    await createReply(as(cy), threadId, "Four.");
    await sweepNotificationMail(later(20 * MINUTE));
    expect(await sentTo(author)).toHaveLength(2);
  });

  it("says who wrote a private message and links to it, never a word of it; an unread notice is mailed once", async () => {
    const [alice, ben] = [await reachable(), await reachable()];
    await transaction((tx) =>
      tx
        .update(users)
        .set({ createdAt: new Date(Date.now() - 8 * 86_400_000) })
        .where(eq(users.id, alice.id)),
    );
    const { threadId } = await createThread(as(alice), "fibromyalgia", { title: "Hi", body: "First." });
    await createReply(as(alice), threadId, "Second.");
    await createReply(as(alice), threadId, "Third.");
    const started = await startConversation(as(alice), { to: [ben.username], subject: "zqsecret subject", body: "zqsecret words" });
    if (!started.ok) throw new Error(JSON.stringify(started));
    await sweepNotificationMail(later(6 * MINUTE));
    await sendMessage(as(alice), started.conversationId, "zqsecret more words");
    await sweepNotificationMail(later(20 * MINUTE));
    const sent = await sentTo(ben);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.subject).toBe("New private message");
    expect(sent[0]!.text).toContain(`${alice.username} sent you a private message:`);
    expect(sent[0]!.text).toContain(`${origin}/messages/${started.conversationId}`);
    expect(sent[0]!.text + sent[0]!.html).not.toContain("zqsecret");
  });

  it("shows only the label of a post with a content warning, and never puts post text or a title in a subject", async () => {
    const to = await reachable();
    const { replyId } = await answered(to, "zqhidden details of my night", "zqtitle of the thread");
    await transaction((tx) => tx.update(posts).set({ warningKind: "self-harm" }).where(eq(posts.id, replyId)));
    await sweepNotificationMail(later(6 * MINUTE));
    const [sent] = await sentTo(to);
    expect(sent!.text).toContain("Content warning: Self-harm. Open the post to read it.");
    expect(sent!.text + sent!.html).not.toContain("zqhidden");
    expect(sent!.subject).not.toMatch(/zq/);
    const all = await db.select({ subject: mailOutbox.subject }).from(mailOutbox).where(isNotNull(mailOutbox.userId));
    for (const { subject } of all) expect(subject).not.toMatch(/zq|Night cramps|Cramps again|Pacing/);
  });
});
