// The durable mail outbox (docs/decisions/035): a message commits with its event or not at all, is
// sent once by one of several senders, is tried again with backoff, and after a crash between
// sending and marking goes out again as the same message (one .eml file, one Message-ID).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { readMailFile } from "./mail-file.ts";

const outbox = mkdtempSync(join(tmpdir(), "unclench-outbox-"));
process.env.MAIL_OUTBOX = outbox;
delete process.env.SMTP_URL;
delete process.env.ORIGIN;

// The real sender, wrapped: a test can make it fail, hold it after sending (a process that dies
// before marking), or slow it down; every call is counted by the message's key.
const control = vi.hoisted(() => ({ fail: null as unknown, hold: null as Promise<void> | null, delayMs: 0, calls: [] as string[] }));
vi.mock("../app/utils/mail.server.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../app/utils/mail.server.ts")>();
  return {
    ...real,
    sendMail: async (message: Parameters<typeof real.sendMail>[0]) => {
      control.calls.push(message.key);
      if (control.delayMs) await new Promise((done) => setTimeout(done, Math.random() * control.delayMs));
      if (control.fail) throw control.fail;
      await real.sendMail(message);
      if (control.hold) await control.hold;
    },
  };
});

const { eq, sql } = await import("drizzle-orm");
const pg = (await import("pg")).default;
const { db, transaction } = await import("../db/client.ts");
const { usesPostgres } = await import("../db/dialect.ts");
const { mailOutbox, users } = await import("../db/schema.ts");
const { mailableAddress } = await import("~/models/email-address.server.ts");
const outboxModel = await import("~/models/mail-outbox.server.ts");
const { BACKOFF_MS, deliverDueMail, enqueueMail, LEASE_MS, MAX_ATTEMPTS, startMailDelivery, stopMailDelivery, sweepOldMail } = outboxModel;
const { passwordResetMail } = await import("~/utils/mail-templates.server.ts");
const { createLogger, logger, setLoggerForTests } = await import("~/utils/logger.server.ts");
const { member } = await import("./helpers.ts");

const SECRET = "https://forum.example/password/reset?token=secret-in-the-body";
let counter = 0;

/** Queues a message in a unit of work of its own; returns its row. */
async function queue(to = `reader${++counter}@example.org`, userId: number | null = null) {
  const mail = passwordResetMail({ username: `reader${counter}`, link: SECRET, origin: "https://forum.example" });
  await transaction((tx) => enqueueMail(tx, { ...mail, to, userId }));
  const [row] = await db.select().from(mailOutbox).where(eq(mailOutbox.recipient, to));
  return row!;
}

const rowOf = async (id: number) => (await db.select().from(mailOutbox).where(eq(mailOutbox.id, id)))[0]!;
const files = () => readdirSync(outbox).filter((file) => file.endsWith(".eml"));
const fileFor = (row: { key: string }) => files().find((file) => file.includes(row.key));
const later = (from: Date, ms: number) => new Date(from.getTime() + ms);

beforeEach(async () => {
  // Each test starts from an empty outbox: members' confirmation links from helpers.member() go too.
  await transaction((tx) => tx.delete(mailOutbox));
  for (const file of readdirSync(outbox)) rmSync(join(outbox, file));
  Object.assign(control, { fail: null, hold: null, delayMs: 0, calls: [] });
});

afterEach(() => {
  delete process.env.LOG_LEVEL;
  setLoggerForTests(logger);
});

describe("queueing", () => {
  it("writes nothing when the event's unit of work rolls back", async () => {
    const mail = passwordResetMail({ username: "nobody", link: SECRET, origin: "https://forum.example" });
    await expect(
      transaction(async (tx) => {
        await enqueueMail(tx, { ...mail, to: "rolled-back@example.org", userId: null });
        throw new Error("the event failed");
      }),
    ).rejects.toThrow("the event failed");
    expect(await db.select().from(mailOutbox)).toEqual([]);
    expect(await deliverDueMail()).toBe(0);
    expect(files()).toEqual([]);
  });

  it("sends a queued message as one .eml file with text and HTML parts, then empties its body", async () => {
    const row = await queue("ada@example.org");
    expect(row).toMatchObject({ attempts: 0, sentAt: null, failedAt: null, claimToken: null });
    expect(await deliverDueMail()).toBe(1);

    const mail = readMailFile(readFileSync(join(outbox, fileFor(row)!), "utf8"));
    expect(mail.to).toBe("ada@example.org");
    expect(mail.subject).toBe("Reset your Unclench password");
    expect(mail.messageId).toBe(`<${row.key}@localhost>`);
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative/m);
    expect(mail.text).toContain(SECRET);
    expect(mail.html).toContain(`<a href="${SECRET}">`);

    const sent = await rowOf(row.id);
    expect(sent).toMatchObject({ attempts: 1, failedAt: null, claimToken: null, leaseUntil: null, text: "", html: "", lastError: null });
    expect(sent.sentAt).toBeInstanceOf(Date);
    // Sent is sent: another round finds nothing to do.
    expect(await deliverDueMail(later(new Date(), LEASE_MS * 2))).toBe(0);
    expect(control.calls).toEqual([row.key]);
  });
});

describe("retries", () => {
  it("tries a failed message again after the backoff, keeping the error but never logging the message", async () => {
    const lines: string[] = [];
    process.env.LOG_LEVEL = "info";
    setLoggerForTests(createLogger({ write: (line: string) => void lines.push(line) }));
    const row = await queue("bo@example.org");
    const t0 = new Date();
    control.fail = Object.assign(new Error("connect ECONNREFUSED 10.0.0.9:465 for bo@example.org"), { code: "ECONNECTION" });
    expect(await deliverDueMail(t0)).toBe(0);

    const waiting = await rowOf(row.id);
    expect(waiting).toMatchObject({ attempts: 1, sentAt: null, failedAt: null, claimToken: null });
    expect(waiting.sendAfter.getTime()).toBe(t0.getTime() + BACKOFF_MS[0]!);
    expect(waiting.lastError).toContain("ECONNREFUSED");
    expect(waiting.text).toContain(SECRET);

    control.fail = null;
    expect(await deliverDueMail(later(t0, BACKOFF_MS[0]! - 1000))).toBe(0);
    expect(await deliverDueMail(later(t0, BACKOFF_MS[0]!))).toBe(1);
    expect(await rowOf(row.id)).toMatchObject({ attempts: 2, lastError: null, text: "" });
    expect(files()).toHaveLength(1);

    const logged = lines.join("\n");
    expect(logged).toContain('"mail.failed"');
    expect(logged).toContain("ECONNECTION");
    for (const secret of [SECRET, "bo@example.org", "10.0.0.9"]) expect(logged).not.toContain(secret);
  });

  it("gives up after the last backoff, keeping the error and erasing the body", async () => {
    const row = await queue();
    control.fail = new Error("451 4.3.0 try again later");
    let at = new Date();
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      expect(await deliverDueMail(at)).toBe(0);
      const now = await rowOf(row.id);
      expect(now.attempts).toBe(attempt);
      if (attempt < MAX_ATTEMPTS) {
        expect(now.failedAt).toBeNull();
        expect(now.sendAfter.getTime() - at.getTime()).toBe(BACKOFF_MS[attempt - 1]);
        at = now.sendAfter;
      }
    }
    const failed = await rowOf(row.id);
    expect(failed.failedAt).toBeInstanceOf(Date);
    expect(failed).toMatchObject({ sentAt: null, text: "", html: "", claimToken: null });
    expect(failed.lastError).toContain("451 4.3.0");
    expect(await deliverDueMail(later(at, 48 * 3600_000))).toBe(0);
    expect(control.calls).toHaveLength(MAX_ATTEMPTS);
  });

  it("gives up at once on an address the recipient's server refuses, and mails that member no more", async () => {
    const me = await member();
    await transaction((tx) => tx.delete(mailOutbox)); // their confirmation link: not this test's message
    await transaction((tx) => tx.update(users).set({ emailVerifiedAt: new Date() }).where(eq(users.id, me.id)));
    expect(await mailableAddress(me.id)).toBe(`${me.username}@example.org`);
    const row = await queue(`${me.username}@example.org`, me.id);
    control.fail = Object.assign(new Error("Can't send mail - all recipients were rejected: 550 5.1.1 User unknown"), {
      code: "EENVELOPE",
      command: "RCPT TO",
      responseCode: 550,
    });
    expect(await deliverDueMail()).toBe(0);
    expect((await rowOf(row.id)).failedAt).toBeInstanceOf(Date);
    expect(control.calls).toHaveLength(1);
    expect(await mailableAddress(me.id)).toBeNull();
  });
});

describe("a sender that stops between sending and marking", () => {
  it("leaves the message to the next sender once the lease ends: the same file and Message-ID again", async () => {
    const row = await queue("cy@example.org");
    const t0 = new Date();
    let resume!: () => void;
    control.hold = new Promise<void>((done) => (resume = done));
    // The first sender sends, then never gets to mark it (as if its process had died).
    const stopped = deliverDueMail(t0);
    await vi.waitFor(() => expect(fileFor(row)).toBeDefined());
    const first = readMailFile(readFileSync(join(outbox, fileFor(row)!), "utf8"));
    control.hold = null;

    // While the lease holds, nobody else takes it.
    expect(await deliverDueMail(later(t0, LEASE_MS - 1000))).toBe(0);
    // Once it has run out, the next sender sends it again, and marks it.
    expect(await deliverDueMail(later(t0, LEASE_MS + 1000))).toBe(1);
    expect(control.calls).toEqual([row.key, row.key]);
    expect(files()).toEqual([fileFor(row)]);
    const second = readMailFile(readFileSync(join(outbox, fileFor(row)!), "utf8"));
    expect(second.messageId).toBe(first.messageId);
    expect(second.messageId).toBe(`<${row.key}@localhost>`);
    expect(await rowOf(row.id)).toMatchObject({ attempts: 2, claimToken: null });

    // The first sender, back after all, finds its claim gone and marks nothing.
    resume();
    expect(await stopped).toBe(0);
    expect((await rowOf(row.id)).attempts).toBe(2);
  });

  it("gives up on a message whose senders kept stopping, without sending it again", async () => {
    const row = await queue();
    const past = new Date(Date.now() - 1000);
    await transaction((tx) =>
      tx.update(mailOutbox).set({ attempts: MAX_ATTEMPTS, claimToken: "a-dead-sender", leaseUntil: past }).where(eq(mailOutbox.id, row.id)),
    );
    expect(await deliverDueMail()).toBe(0);
    expect(control.calls).toEqual([]);
    expect((await rowOf(row.id)).failedAt).toBeInstanceOf(Date);
  });
});

describe("several senders", () => {
  it("send every message exactly once", async () => {
    const rows = [];
    for (let i = 0; i < 24; i++) rows.push(await queue());
    control.delayMs = 15;
    const counts = await Promise.all([deliverDueMail(), deliverDueMail(), deliverDueMail()]);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(24);
    expect([...control.calls].sort()).toEqual(rows.map((r) => r.key).sort());
    expect(files()).toHaveLength(24);
    const left = await db
      .select()
      .from(mailOutbox)
      .where(sql`${mailOutbox.sentAt} is null`);
    expect(left).toEqual([]);
  });

  it.runIf(usesPostgres())("on PostgreSQL, a claimer that meets another's claim in flight takes nothing of it", async () => {
    const held = await queue();
    const free = await queue();
    const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await other.connect();
    try {
      // Another server's claim, not yet committed: the row lock is held.
      await other.query("begin");
      await other.query("update mail_outbox set claim_token = 'other-server', lease_until = now() + interval '10 minutes' where id = $1", [held.id]);
      const ours = deliverDueMail();
      // Our claim picked the same oldest row, and waits for that lock.
      await vi.waitFor(async () => expect((await other.query("select count(*)::int as n from pg_locks where not granted")).rows[0].n).toBeGreaterThan(0), {
        timeout: 5000,
      });
      await other.query("commit");
      expect(await ours).toBe(1);
    } finally {
      await other.end();
    }
    expect(control.calls).toEqual([free.key]);
    expect(await rowOf(held.id)).toMatchObject({ claimToken: "other-server", sentAt: null, attempts: 0 });
  });
});

describe("the worker", () => {
  it("sends a message as soon as its unit of work commits, and stops cleanly", async () => {
    startMailDelivery();
    try {
      const row = await queue("dee@example.org");
      await vi.waitFor(async () => expect((await rowOf(row.id)).sentAt).toBeInstanceOf(Date), { timeout: 5000 });
      expect(fileFor(row)).toBeDefined();
    } finally {
      await stopMailDelivery();
    }
    // Stopped: a new message waits in the outbox for the next server.
    const waiting = await queue();
    await new Promise((done) => setTimeout(done, 100));
    expect((await rowOf(waiting.id)).sentAt).toBeNull();
  });

  it("deletes sent and failed messages after 30 days, never waiting ones", async () => {
    const [sent, failed, waiting] = [await queue(), await queue(), await queue()];
    const old = new Date(Date.now() - 31 * 24 * 3600_000);
    await transaction(async (tx) => {
      await tx.update(mailOutbox).set({ createdAt: old, sentAt: old }).where(eq(mailOutbox.id, sent.id));
      await tx.update(mailOutbox).set({ createdAt: old, failedAt: old }).where(eq(mailOutbox.id, failed.id));
      await tx.update(mailOutbox).set({ createdAt: old }).where(eq(mailOutbox.id, waiting.id));
    });
    expect(await sweepOldMail()).toBe(2);
    expect((await db.select({ id: mailOutbox.id }).from(mailOutbox)).map((r) => r.id)).toEqual([waiting.id]);
  });
});
