import type { ServerBuild } from "@remix-run/node";
import Database from "better-sqlite3";
import { eq } from "drizzle-orm";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { databasePath, db, sqlite } from "../db/client.ts";
import { usesPostgres } from "../db/dialect.ts";
import { posts, threadReads } from "../db/schema.ts";
import * as thread from "~/routes/threads.$threadId.tsx";
import { refreshedSessionCookie } from "~/utils/auth.server.ts";
import { answeringUnavailable } from "~/utils/unavailable.server.ts";
import { call, createThread, member } from "./helpers.ts";

// Another process holds SQLite's write lock, or on PostgreSQL locks on the tables a reply writes (a
// migration, a tool, a stuck writer), or the database went read-only. Pages that only read must still load; a post must wait without stopping the
// worker, and when it cannot be saved the member gets a clear 503 with their text.
const reply = answeringUnavailable({ routes: { thread: { id: "thread", module: thread } } } as unknown as ServerBuild).routes.thread!.module.action!;
const sendReply = (cookie: string, threadId: number, body: string) =>
  call(reply as Parameters<typeof call>[0], `/threads/${threadId}`, { cookie, params: { threadId: String(threadId) }, form: { intent: "post", body } });

/** SQL on a connection of its own, as another process would run it (PostgreSQL only). */
async function otherConnection() {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  return client;
}

let release: (() => Promise<void>) | undefined;
async function holdWriteLock() {
  if (usesPostgres()) {
    const other = await otherConnection();
    await other.query("begin");
    // EXCLUSIVE lets others read these tables, and write none of them.
    await other.query("lock table posts, threads, thread_reads, sessions, rate_limits, drafts in exclusive mode");
    release = async () => void (await other.query("rollback"), await other.end());
  } else {
    const other = new Database(databasePath());
    other.exec("BEGIN IMMEDIATE");
    release = async () => void (other.exec("ROLLBACK"), other.close());
  }
}
async function releaseWriteLock() {
  await release?.();
  release = undefined;
}

/** How a disk gone read-only, or a standby, looks to the server's connections. */
async function readOnly(on: boolean) {
  if (!usesPostgres()) return void sqlite.writer.pragma(`query_only = ${on ? "ON" : "OFF"}`);
  const other = await otherConnection();
  await other.query("set default_transaction_read_only = off");
  const setting = on ? "set default_transaction_read_only = on" : "reset default_transaction_read_only";
  await other.query(`do $$ begin execute format('alter database %I ${setting}', current_database()); end $$`);
  // The pool drops its connections and opens new ones, which start with the database's setting.
  await other.query("select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()");
  await other.end();
  await new Promise((resolve) => setTimeout(resolve, 100));
}

afterEach(async () => {
  await releaseWriteLock();
  await readOnly(false);
});

async function setting() {
  const ana = await member();
  const { threadId } = await createThread(ana, "fibromyalgia", { title: "Pacing on bad days", body: "What helps you pace?" });
  return { ana, threadId };
}

/** Counts event-loop turns while `work` runs: a synchronous busy wait would allow none. */
async function ticksDuring<T>(work: Promise<T>) {
  let ticks = 0;
  const timer = setInterval(() => ticks++, 5);
  const result = await work;
  clearInterval(timer);
  return { result, ticks };
}

describe("the write lock held by another process", () => {
  it("still serves a member's thread page; the read marker is skipped", async () => {
    const { ana, threadId } = await setting();
    const marks = () => db.select().from(threadReads).where(eq(threadReads.userId, ana.id));
    const before = await marks();
    await holdWriteLock();
    const page = await call(thread.loader, `/threads/${threadId}`, { cookie: ana.cookie, params: { threadId: String(threadId) } });
    expect(page.status).toBe(200);
    expect(JSON.stringify(await page.json())).toContain("Pacing on bad days");
    expect(await marks()).toEqual(before);
    // The session's last-seen time is not written either, and nothing fails for it.
    expect(await refreshedSessionCookie(ana.cookie)).toBeNull();
  });

  it("keeps a reply waiting without stopping the event loop, and saves it once the lock is free", async () => {
    const { ana, threadId } = await setting();
    await holdWriteLock();
    setTimeout(() => void releaseWriteLock(), 400);
    const { result, ticks } = await ticksDuring(sendReply(ana.cookie, threadId, "Short walks, then a rest."));
    expect(result.status).toBe(302);
    expect(ticks).toBeGreaterThan(20);
    const bodies = await db.select({ body: posts.bodyMarkdown }).from(posts).where(eq(posts.threadId, threadId));
    expect(bodies.map((p) => p.body)).toContain("Short walks, then a rest.");
  });

  it("answers 503 with the text kept when the lock stays taken", async () => {
    const { ana, threadId } = await setting();
    await holdWriteLock();
    const started = Date.now();
    const { result, ticks } = await ticksDuring(sendReply(ana.cookie, threadId, "Heat pads on my calves every evening."));
    // One wait for the lock (5 s), not one for each write the reply would make (limit, post, draft).
    expect(Date.now() - started).toBeLessThan(9_000);
    expect(result.status).toBe(503);
    expect(result.headers.get("Retry-After")).toBe("60");
    const data = await result.json();
    expect(data.values.body).toBe("Heat pads on my calves every evening.");
    expect(data.errors.form).toMatch(/Nothing you typed is lost/);
    expect(ticks).toBeGreaterThan(100);
    expect(await db.select().from(posts).where(eq(posts.threadId, threadId))).toHaveLength(1);
  }, 20_000);
});

describe("a database that cannot be written", () => {
  it("still serves a member's thread page, and answers a reply with 503 and the text", async () => {
    const { ana, threadId } = await setting();
    await readOnly(true);
    const page = await call(thread.loader, `/threads/${threadId}`, { cookie: ana.cookie, params: { threadId: String(threadId) } });
    expect(page.status).toBe(200);
    const answer = await sendReply(ana.cookie, threadId, "Magnesium spray before bed.");
    expect(answer.status).toBe(503);
    expect((await answer.json()).values.body).toBe("Magnesium spray before bed.");
  });
});
