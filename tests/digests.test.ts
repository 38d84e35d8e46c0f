// Daily and weekly digests (docs/decisions/039): when they are due in the member's own zone (DST
// weeks included), what they say through the member's visibility rules, that nothing is sent when
// nothing happened, that two sweepers send one digest, and the mail as a member receives it.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readMailFile } from "./mail-file.ts";

const outbox = mkdtempSync(join(tmpdir(), "unclench-digests-"));
process.env.MAIL_OUTBOX = outbox;
delete process.env.SMTP_URL;
delete process.env.ORIGIN;

const { and, eq } = await import("drizzle-orm");
const pg = (await import("pg")).default;
const { usesPostgres } = await import("../db/dialect.ts");
const { db, transaction } = await import("../db/client.ts");
const { boards, mailDigests, mailOutbox, users } = await import("../db/schema.ts");
const { nextDigestAt, startDigests, stopDigests, sweepDigests } = await import("~/models/digests.server.ts");
const { setDelivery, setQuietHours } = await import("~/models/mail-preferences.server.ts");
const { deliverDueMail } = await import("~/models/mail-outbox.server.ts");
const { addReaction } = await import("~/models/reactions.server.ts");
const { removePost } = await import("~/models/moderation-posts.server.ts");
const { muteMember } = await import("~/models/mutes.server.ts");
const { watchBoard } = await import("~/models/board-watches.server.ts");
const { deleteAccount } = await import("~/models/account.server.ts");
const { checkUnsubscribe } = await import("~/models/unsubscribe.server.ts");
const { createThread: postThread } = await import("~/models/posts.server.ts");
const { createReply, createThread, member } = await import("./helpers.ts");

type M = Awaited<ReturnType<typeof member>>;
type Delivery = Parameters<typeof setDelivery>[3];
type Kind = Parameters<typeof setDelivery>[2];
const as = (m: M) => ({ id: m.id, role: m.role });
const DAY = 24 * 60 * 60_000;
const at = (iso: string) => new Date(iso);

async function choose(m: M, kinds: Kind[], delivery: Delivery, now = new Date()) {
  await transaction(async (tx) => {
    for (const kind of kinds) await setDelivery(tx, m.id, kind, delivery, now);
  });
}

async function setUser(m: M, values: Partial<typeof users.$inferInsert>) {
  await transaction((tx) => tx.update(users).set(values).where(eq(users.id, m.id)));
}

/** A member whose address is confirmed, so digests can reach them. */
async function reader(zone: string | null = null) {
  const m = await member();
  await setUser(m, { emailVerifiedAt: new Date(), timeZone: zone });
  return m;
}

async function scheduleOf(m: M, period: "daily" | "weekly") {
  const [row] = await db
    .select()
    .from(mailDigests)
    .where(and(eq(mailDigests.userId, m.id), eq(mailDigests.period, period)));
  return row ?? null;
}

const nextAtOf = async (m: M, period: "daily" | "weekly") => (await scheduleOf(m, period))?.nextAt.toISOString() ?? null;
const digestsTo = (m: M) =>
  db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.userId, m.id), eq(mailOutbox.kind, "digest")));

// Content tests sweep far ahead of the real clock, each further than the last, so every digest
// scheduled by then is due and covers everything posted so far.
let sweepClock = Date.now() + 8 * DAY;
const sweepLater = () => sweepDigests(new Date((sweepClock += DAY)));

/** The one digest this member got, as the .eml file the outbox writes. */
async function mailOf(m: M) {
  const [row] = await digestsTo(m);
  expect(row).toBeDefined();
  await deliverDueMail(new Date(sweepClock));
  const file = readdirSync(outbox).find((name) => name.includes(row!.key));
  return { row: row!, mail: readMailFile(readFileSync(join(outbox, file!), "utf8")) };
}

describe("when digests are due", () => {
  it("keeps the daily digest at 07:00 in New York across both DST changes", async () => {
    const m = await reader("America/New_York");
    await choose(m, ["replies"], "daily", at("2026-03-06T20:00:00Z"));
    expect(await nextAtOf(m, "daily")).toBe("2026-03-07T12:00:00.000Z"); // 07:00 EST
    await sweepDigests(at("2026-03-07T12:00:00Z"));
    expect(await nextAtOf(m, "daily")).toBe("2026-03-08T11:00:00.000Z"); // 07:00 EDT, the morning the clocks go forward
    await sweepDigests(at("2026-03-08T11:00:30Z"));
    expect(await nextAtOf(m, "daily")).toBe("2026-03-09T11:00:00.000Z");

    const fall = await reader("America/New_York");
    await choose(fall, ["replies"], "daily", at("2026-10-31T02:00:00Z"));
    expect(await nextAtOf(fall, "daily")).toBe("2026-10-31T11:00:00.000Z"); // 07:00 EDT
    await sweepDigests(at("2026-10-31T11:00:00Z"));
    expect(await nextAtOf(fall, "daily")).toBe("2026-11-01T12:00:00.000Z"); // 07:00 EST, the morning the clocks go back
  });

  it("sends the weekly digest on Monday morning local time, in New York's DST weeks and in Auckland", async () => {
    const ny = await reader("America/New_York");
    await choose(ny, ["followed"], "weekly", at("2026-03-04T15:00:00Z"));
    expect(await nextAtOf(ny, "weekly")).toBe("2026-03-09T11:00:00.000Z"); // the Monday after the change, 07:00 EDT
    await sweepDigests(at("2026-03-09T11:00:00Z"));
    expect(await nextAtOf(ny, "weekly")).toBe("2026-03-16T11:00:00.000Z");
    expect(nextDigestAt(at("2026-10-28T15:00:00Z"), "weekly", { quietFrom: 22, quietUntil: 7, timeZone: "America/New_York" }).toISOString()).toBe(
      "2026-11-02T12:00:00.000Z",
    );

    // Sunday afternoon in Auckland is still Sunday 00:00 UTC; Monday 07:00 NZDT is Sunday 18:00 UTC.
    const nz = await reader("Pacific/Auckland");
    await choose(nz, ["watched"], "weekly", at("2026-12-06T00:00:00Z"));
    expect(await nextAtOf(nz, "weekly")).toBe("2026-12-06T18:00:00.000Z");
    expect(await nextAtOf(nz, "daily")).toBeNull();
    // Across the end of NZ daylight time (5 April 2026): Monday 6 April 07:00 NZST is 19:00 UTC.
    expect(nextDigestAt(at("2026-04-01T00:00:00Z"), "weekly", { quietFrom: 22, quietUntil: 7, timeZone: "Pacific/Auckland" }).toISOString()).toBe(
      "2026-04-05T19:00:00.000Z",
    );
  });

  it("comes at the end of the member's own quiet hours, 07:00 when they have none, in London's summer time", async () => {
    const m = await reader("Europe/London");
    await transaction((tx) => setQuietHours(tx, m.id, 23, 9));
    await choose(m, ["mentions"], "daily", at("2026-03-28T12:00:00Z"));
    expect(await nextAtOf(m, "daily")).toBe("2026-03-29T08:00:00.000Z"); // 09:00 BST, the first morning of summer time
    const quiet = { quietFrom: 0, quietUntil: 0, timeZone: "Europe/London" };
    expect(nextDigestAt(at("2026-06-01T12:00:00Z"), "daily", quiet).toISOString()).toBe("2026-06-02T06:00:00.000Z");
    // Changing the quiet hours moves a digest not yet due.
    const early = await reader("Europe/London");
    await choose(early, ["mentions"], "daily");
    await transaction((tx) => setQuietHours(tx, early.id, 22, 6));
    const expected = nextDigestAt(new Date(), "daily", { quietFrom: 22, quietUntil: 6, timeZone: "Europe/London" });
    expect(new Date((await nextAtOf(early, "daily"))!).getTime()).toBe(expected.getTime());
  });

  it("has a schedule only while some kind is delivered in that period", async () => {
    const m = await reader();
    await choose(m, ["replies", "mentions"], "daily");
    await choose(m, ["moderation"], "weekly");
    expect(await scheduleOf(m, "daily")).not.toBeNull();
    await choose(m, ["replies"], "now");
    expect(await scheduleOf(m, "daily")).not.toBeNull();
    await choose(m, ["mentions"], "site");
    expect(await scheduleOf(m, "daily")).toBeNull();
    expect(await scheduleOf(m, "weekly")).not.toBeNull();
    await choose(m, ["moderation"], "daily");
    expect(await scheduleOf(m, "weekly")).toBeNull();
    expect(await scheduleOf(m, "daily")).not.toBeNull();
  });

  it("is swept by a worker beside the outbox's, started only when asked", async () => {
    const m = await reader();
    await choose(m, ["replies"], "daily", new Date(Date.now() - 3 * DAY));
    expect(new Date((await nextAtOf(m, "daily"))!).getTime()).toBeLessThan(Date.now());
    startDigests();
    try {
      await expect.poll(async () => new Date((await nextAtOf(m, "daily"))!).getTime(), { timeout: 5000 }).toBeGreaterThan(Date.now());
    } finally {
      await stopDigests();
    }
  });
});

describe("what a digest says", () => {
  let alice: M, bea: M, cal: M, dora: M, mod: M;
  beforeAll(async () => {
    [alice, bea, cal, dora, mod] = [await member(), await member(), await member(), await member(), await member(undefined, "moderator")];
  });

  it("counts the kinds the member chose, with where and a link, and new replies in threads they follow", async () => {
    const m = await reader();
    await choose(m, ["replies", "mentions", "followed"], "daily", new Date(Date.now() - 1000));
    const own = await createThread(as(m), "fibromyalgia", { title: "Pacing on bad days", body: "How do you pace yourselves?" });
    for (const body of ["Short walks help me.", "I rest every hour.", "Heat pads, always."]) await createReply(as(alice), own.threadId, body, own.postId);
    const other = await createThread(as(bea), "neuropathy", { title: "Night cramps", body: `Anyone awake? @${m.username} you asked about this.` });
    await createReply(as(m), other.threadId, "Following along.");
    for (let i = 0; i < 12; i++) await createReply(as(i % 2 ? alice : cal), other.threadId, `Reply number ${i} about magnesium.`);

    expect(await sweepLater()).toBeGreaterThanOrEqual(1);
    const { row, mail } = await mailOf(m);
    expect(mail.subject).toBe("Your daily Unclench digest");
    expect(mail.text).toContain("For you: 3 replies to your posts, 1 mention.");
    expect(mail.text).toContain(`${alice.username} replied to your post in 'Pacing on bad days' (Fibromyalgia)\nShort walks help me.`);
    expect(mail.text).toContain(`${bea.username} mentioned you in 'Night cramps' (Neuropathy & nerve-related cramps)`);
    expect(mail.text).toContain("'Night cramps' (Neuropathy & nerve-related cramps) — 12 new replies");
    // Alice's three answers are listed as addressed to the member, not counted again as followed.
    expect(mail.text).not.toContain("'Pacing on bad days' (Fibromyalgia) —");
    expect(mail.text).toMatch(new RegExp(`http://localhost:\\d+/threads/${other.threadId}\\?page=1#post-\\d+`));
    expect(mail.text).toContain("Change how you hear from us: http://localhost:");
    expect(mail.text).toContain("/settings/notifications");
    // The link turns off exactly the kinds this digest carries.
    const token = row.unsubscribeUrl!.split("/unsubscribe/")[1]!;
    expect(await checkUnsubscribe(token)).toMatchObject({ ok: true, kinds: ["replies", "mentions", "followed"] });
    expect(mail.text).toContain(`To stop these daily digests in one click, open this link:\n\n${row.unsubscribeUrl!}`);
    expect(mail.html).toContain("Night cramps");
    // The subject carries nothing a member wrote.
    for (const words of ["Pacing", "Night cramps", "magnesium", alice.username]) expect(mail.subject).not.toContain(words);
  });

  it("lists the most supported posts of the member's boards, most first, three at most", async () => {
    const m = await reader();
    await choose(m, ["watched"], "weekly", new Date(Date.now() - 1000));
    await watchBoard(as(m), "night-leg-cramps");
    const thread = await createThread(as(alice), "night-leg-cramps", { title: "What helps", body: "Tell me what helps you." });
    const replies = [];
    for (const body of ["Stretching calves", "Tonic water", "Warm bath", "Magnesium spray"]) replies.push(await createReply(as(bea), thread.threadId, body));
    const react = async (postId: number, people: M[]) => {
      for (const p of people) await addReaction(as(p), postId, "helpful");
    };
    await react(replies[0]!.postId, [alice]);
    await react(replies[1]!.postId, [alice, cal, dora]);
    await react(replies[2]!.postId, [alice, cal]);
    await react(replies[3]!.postId, [cal, dora, alice, mod]);
    // More supported, but removed, or by someone the member muted: left out.
    await muteMember(as(m), dora.username);
    const muted = await createReply(as(dora), thread.threadId, "Muted author's tip");
    const removed = await createReply(as(cal), thread.threadId, "Removed tip");
    for (const postId of [muted.postId, removed.postId]) await react(postId, [alice, bea, mod, await member(), await member()]);
    await removePost(as(mod), removed.postId, "Off topic");
    await sweepLater();
    const { mail } = await mailOf(m);
    expect(mail.subject).toBe("Your weekly Unclench digest");
    const best = mail.text.slice(mail.text.indexOf("Most supported posts"));
    const order = ["Magnesium spray", "Tonic water", "Warm bath"].map((words) => best.indexOf(words));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const absent of ["Stretching calves", "Muted author", "Removed tip"]) expect(best).not.toContain(absent);
    expect(best).toContain(`${bea.username} in 'What helps' (Night & leg cramps) — 4 reactions`);
    expect(mail.text).toContain(`'What helps' in Night & leg cramps, started by ${alice.username}`);
  });

  it("sends nothing when nothing happened, yet moves the schedule on", async () => {
    const m = await reader();
    await choose(m, ["replies", "followed", "watched"], "daily", new Date(Date.now() - 1000));
    const before = (await scheduleOf(m, "daily"))!;
    await sweepLater();
    expect(await digestsTo(m)).toHaveLength(0);
    const after = (await scheduleOf(m, "daily"))!;
    expect(after.nextAt.getTime()).toBeGreaterThan(sweepClock);
    expect(after.since.getTime()).toBeGreaterThan(before.since.getTime());
  });

  it("shows a members-only thread to a member, but no held, removed or muted author's post", async () => {
    const m = await reader();
    await choose(m, ["watched", "followed"], "daily", new Date(Date.now() - 1000));
    await transaction((tx) => tx.update(boards).set({ access: "members" }).where(eq(boards.slug, "ms-spasticity")));
    await transaction((tx) => tx.update(boards).set({ reviewFirstPosts: 1 }).where(eq(boards.slug, "medications")));
    await watchBoard(as(m), "ms-spasticity");
    await watchBoard(as(m), "medications");
    await muteMember(as(m), dora.username);
    await createThread(as(alice), "ms-spasticity", { title: "Members only spasms", body: "Kept among members." });
    const newcomer = await member();
    const held = await postThread(as(newcomer), "medications", { title: "Held thread baclofen", body: "Waiting for review." });
    expect(held.ok && held.held).toBe(true);
    await createThread(as(dora), "ms-spasticity", { title: "Muted author thread", body: "Hidden from m." });
    const followed = await createThread(as(bea), "fibromyalgia", { title: "Followed one", body: "Start." });
    await createReply(as(m), followed.threadId, "I follow this.");
    await createReply(as(alice), followed.threadId, "Visible reply.");
    const removed = await createReply(as(cal), followed.threadId, "Removed reply words.");
    await createReply(as(dora), followed.threadId, "Muted reply words.");
    await removePost(as(mod), removed.postId, "Off topic");

    await sweepLater();
    const { mail } = await mailOf(m);
    expect(mail.text).toContain("'Members only spasms' in MS spasticity & spasms");
    expect(mail.text).toContain("'Followed one' (Fibromyalgia) — 1 new reply");
    for (const hidden of ["Held thread", "baclofen", "Muted author", "Removed reply", "Muted reply"]) expect(mail.text).not.toContain(hidden);
  });

  it("gives only the label of a content-warned post", async () => {
    const m = await reader();
    await choose(m, ["watched"], "daily", new Date(Date.now() - 1000));
    await watchBoard(as(m), "introductions");
    const warned = await postThread(as(alice), "introductions", {
      title: "Hard week",
      body: "zqwarned words stay hidden",
      warning: { kind: "loss", text: null },
    });
    expect(warned.ok).toBe(true);
    await sweepLater();
    const { mail } = await mailOf(m);
    expect(mail.text).toContain("'Hard week' in Introductions & general");
    expect(mail.text).toMatch(/Content warning: [^.]+\. Open the post to read it\./);
    expect(mail.text + mail.html).not.toContain("zqwarned");
  });

  it("goes to nobody without a confirmed address, or deleted or suspended", async () => {
    const [unconfirmed, suspended] = [await member(), await reader()];
    for (const m of [unconfirmed, suspended]) {
      await choose(m, ["watched"], "daily", new Date(Date.now() - 1000));
      await watchBoard(as(m), "fibromyalgia");
    }
    await setUser(suspended, { suspendedAt: new Date(), suspendReason: "test" });
    const gone = await reader();
    await choose(gone, ["watched"], "daily", new Date(Date.now() - 1000));
    await watchBoard(as(gone), "fibromyalgia");
    expect((await deleteAccount(as(gone), { password: "correct horse battery", keepPosts: true })).ok).toBe(true);
    expect(await scheduleOf(gone, "daily")).toBeNull();
    await createThread(as(alice), "fibromyalgia", { title: "Something new", body: "A new thread." });
    await sweepLater();
    expect(await digestsTo(unconfirmed)).toHaveLength(0);
    expect(await digestsTo(suspended)).toHaveLength(0);
    expect(await digestsTo(gone)).toHaveLength(0);
    expect((await scheduleOf(suspended, "daily"))!.nextAt.getTime()).toBeGreaterThan(sweepClock);
  });
});

describe("several sweepers", () => {
  it("send one digest when two sweep at once", async () => {
    const m = await reader();
    await choose(m, ["watched"], "daily", new Date(Date.now() - 1000));
    await watchBoard(as(m), "neuropathy");
    await createThread(as(await member()), "neuropathy", { title: "Tingling feet", body: "Anyone else?" });
    sweepClock += DAY;
    const now = new Date(sweepClock);
    const [a, b] = await Promise.all([sweepDigests(now), sweepDigests(now)]);
    expect(a + b).toBeGreaterThanOrEqual(1);
    expect(await digestsTo(m)).toHaveLength(1);
  });

  it.runIf(usesPostgres())("leave a digest to the sweeper whose claim holds the row (PostgreSQL)", async () => {
    const m = await reader();
    await choose(m, ["watched"], "daily", new Date(Date.now() - 1000));
    await watchBoard(as(m), "neuropathy");
    await createThread(as(await member()), "neuropathy", { title: "Burning hands", body: "Anyone else?" });
    sweepClock += DAY;
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      // Another server's claim, not yet committed: the row lock is held.
      await other.query("begin");
      await other.query("update mail_digests set next_at = next_at + interval '1 day' where user_id = $1 and period = 'daily'", [m.id]);
      const ours = sweepDigests(new Date(sweepClock));
      await vi.waitFor(async () => expect((await other.query("select count(*)::int as n from pg_locks where not granted")).rows[0].n).toBeGreaterThan(0), {
        timeout: 5000,
      });
      await other.query("commit");
      await ours;
    } finally {
      await other.end();
    }
    expect(await digestsTo(m)).toHaveLength(0);
  });
});

afterAll(async () => {
  await stopDigests();
});
