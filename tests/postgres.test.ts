// Issue 25: the same forum on PostgreSQL. A throw-away cluster (tests/pg-cluster.ts) and two
// long-lived processes running the models on it, as two app servers would (db/client.ts picks the
// engine when loaded, so the models run in children: tests/fixtures/pg-worker.ts). What the
// database holds is read back here with a plain pg client.
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startReplyWriter } from "./reply-writer-process.ts";
import { startCluster, type Cluster } from "./pg-cluster.ts";

type Answer = { ok: boolean; value?: unknown; error?: string };

/** An app server's model layer on the cluster; send() runs one command and resolves with its value. */
function server(url: string, label: string) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/pg-worker.ts"], {
    env: { ...process.env, DATABASE_URL: url, RATE_LIMIT_SCALE: "1" },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const waiting: { resolve: (a: Answer) => void; reject: (e: Error) => void }[] = [];
  let buffer = "";
  child.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString();
    for (let end = buffer.indexOf("\n"); end >= 0; end = buffer.indexOf("\n")) {
      const line = buffer.slice(0, end);
      buffer = buffer.slice(end + 1);
      if (line.startsWith("@@")) waiting.shift()?.resolve(JSON.parse(line.slice(2)) as Answer);
    }
  });
  child.once("exit", (code) => {
    for (const w of waiting.splice(0)) w.reject(new Error(`server ${label} exited with ${code}`));
  });
  const next = () => new Promise<Answer>((resolve, reject) => waiting.push({ resolve, reject }));
  const ready = next();
  return {
    ready,
    async send<T = unknown>(command: Record<string, unknown>): Promise<T> {
      const answer = next();
      child.stdin.write(`${JSON.stringify(command)}\n`);
      const { ok, value, error } = await answer;
      if (!ok) throw new Error(`${label}: ${command.do} failed: ${error}`);
      return value as T;
    },
    stop: () => new Promise<void>((done) => (child.exitCode !== null ? done() : (child.once("exit", () => done()), child.stdin.end('{"do":"exit"}\n')))),
  };
}

type Server = ReturnType<typeof server>;
type Posted = { ok: true; threadId: number; postId: number; number: number };

let cluster: Cluster | undefined;
let url: string;
let a: Server;
let b: Server;
let sql: pg.Client;
let names = 0;
const name = () => `pgmember${++names}`;

const query = async <T>(text: string, values: unknown[] = []) => (await sql.query(text, values)).rows as T[];

beforeAll(async () => {
  cluster = startCluster();
  url = await cluster.createDatabase("unclench");
  sql = new pg.Client({ connectionString: url });
  await sql.connect();
  [a, b] = [server(url, "a"), server(url, "b")];
  await Promise.all([a.ready, b.ready]);
  await a.send({ do: "migrate" });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await sql?.end();
  cluster?.stop();
});

describe("the forum on PostgreSQL", () => {
  it("migrates and seeds boards and articles, and seeding again changes nothing", async () => {
    const first = await a.send<{ boards: number; articles: number }>({ do: "seed" });
    const again = await b.send<{ boards: number; articles: number }>({ do: "seed" });
    expect(first.boards).toBe(6);
    expect(first.articles).toBeGreaterThan(0);
    expect(again).toEqual(first);
    const slugs = await query<{ slug: string }>("select slug from boards order by position");
    expect(slugs.map((r) => r.slug)).toEqual(["ms-spasticity", "fibromyalgia", "neuropathy", "night-leg-cramps", "medications", "introductions"]);
  });

  it("posts a thread on one server and a reply on the other, and reads both back", async () => {
    const [alice, bea] = [await a.send<{ id: number }>({ do: "member", name: name() }), await b.send<{ id: number }>({ do: "member", name: name() })];
    const thread = await a.send<Posted>({
      do: "thread",
      authorId: alice.id,
      board: "fibromyalgia",
      title: "Cramps after rain",
      body: "Does the weather do this to you?",
    });
    expect(thread).toMatchObject({ ok: true, number: 1 });
    const reply = await b.send<Posted>({ do: "reply", authorId: bea.id, threadId: thread.threadId, body: "Every cold front, **without fail**." });
    expect(reply).toMatchObject({ ok: true, number: 2 });

    const page = await a.send<{ title: string; postCount: number; posts: { number: number; author: string; bodyHtml: string }[] }>({
      do: "page",
      threadId: thread.threadId,
      viewerId: bea.id,
    });
    expect(page.title).toBe("Cramps after rain");
    expect(page.posts.map((p) => p.number)).toEqual([1, 2]);
    expect(page.posts[1]!.bodyHtml).toContain("<strong>without fail</strong>");
    const [counters] = await query("select post_count, reply_count from threads where id = $1", [thread.threadId]);
    expect(counters).toEqual({ post_count: 2, reply_count: 1 });
  });

  it("keeps nothing of a unit of work that throws, and refuses misuse of `db`", async () => {
    const checks = await a.send<Record<string, unknown>>({ do: "rollback" });
    expect(checks).toMatchObject({ thrown: "changed my mind", leftBehind: 0, writtenOnDb: 0 });
    expect(checks.nested).toMatch(/transaction\(\) inside a transaction/);
    expect(checks.dbInside).toMatch(/A statement ran on `db` inside a transaction/);
    expect(checks.dbWrite).toMatch(/A write ran on `db`/);
    expect(await query("select slug from boards where slug in ('left-behind', 'written-on-db')")).toEqual([]);
  });

  it("numbers every reply of two racing processes once, loses none and keeps the counters exact", async () => {
    const PER_WRITER = 40;
    const authors = [await a.send<{ id: number }>({ do: "member", name: name() }), await a.send<{ id: number }>({ do: "member", name: name() })];
    authors.push(await b.send<{ id: number }>({ do: "member", name: name() }));
    const thread = await a.send<Posted>({
      do: "thread",
      authorId: authors[0]!.id,
      board: "night-leg-cramps",
      title: "Both servers at once",
      body: "Reply here, everyone.",
    });
    const [boardBefore] = await query<{ post_count: number }>("select post_count from boards where slug = 'night-leg-cramps'");
    const start = join(cluster!.dir, "start-race");
    const args = [String(thread.threadId), String(PER_WRITER), start, ...authors.map((m) => String(m.id))];
    const writers = ["a", "b"].map((label) => startReplyWriter(label, args, { DATABASE_URL: url }));
    await Promise.all(writers.map((w) => w.loaded));
    writeFileSync(start, "go");
    const answered = (await Promise.all(writers.map((w) => w.answered))).flat();

    expect(answered.filter((r) => r.refused)).toEqual([]);
    const rows = await query<{ id: number; number: number; body: string }>("select id, number, body_markdown as body from posts where thread_id = $1", [
      thread.threadId,
    ]);
    const replies = 2 * PER_WRITER + 1;
    expect(rows).toHaveLength(1 + replies);
    expect(rows.map((r) => r.number).sort((x, y) => x - y)).toEqual(Array.from({ length: 1 + replies }, (_, i) => i + 1));
    const byId = new Map(rows.map((r) => [r.id, r.number]));
    for (const r of answered) expect(byId.get(r.postId!)).toBe(r.number);
    expect(rows.filter((r) => r.body.startsWith("The same words"))).toHaveLength(1);
    const [after] = await query("select post_count, reply_count from threads where id = $1", [thread.threadId]);
    expect(after).toEqual({ post_count: 1 + replies, reply_count: replies });
    const [boardAfter] = await query<{ post_count: number }>("select post_count from boards where slug = 'night-leg-cramps'");
    expect(boardAfter!.post_count - boardBefore!.post_count).toBe(replies);
  }, 60_000);

  it("refuses a session on one server once the other has ended the member's sessions", async () => {
    const member = await a.send<{ id: number; cookie: string }>({ do: "member", name: name() });
    expect(await b.send({ do: "session", cookie: member.cookie })).toEqual({ userId: member.id });
    await a.send({ do: "end-sessions", userId: member.id });
    expect(await b.send({ do: "session", cookie: member.cookie })).toBeNull();
    expect(await query("select id from sessions where user_id = $1", [member.id])).toEqual([]);
  });

  it("counts failed logins across both servers against one allowance", async () => {
    const identifier = "Someone.Guessing@example.org";
    const [fromA, fromB] = await Promise.all([
      a.send<boolean[]>({ do: "login", identifier, times: 6 }),
      b.send<boolean[]>({ do: "login", identifier, times: 6 }),
    ]);
    const allowed = [...fromA, ...fromB].filter(Boolean).length;
    // 10 failed logins per account in 15 minutes (rate-limit.server.ts): 12 tries, 2 refused.
    expect(allowed).toBe(10);
    expect(await query("select points from rate_limits where key = $1", ["login-account:someone.guessing@example.org"])).toEqual([{ points: 12 }]);
  });

  it("runs the moderation queries that used SQLite-only SQL: report queue, counters, reopening, member search", async () => {
    const staff = await a.send<{ id: number }>({ do: "member", name: "pgmod" });
    await query("update users set role = 'moderator' where id = $1", [staff.id]);
    const [poster, reporter] = [await a.send<{ id: number }>({ do: "member", name: name() }), await b.send<{ id: number }>({ do: "member", name: name() })];
    const thread = await a.send<Posted>({ do: "thread", authorId: poster.id, board: "medications", title: "Baclofen doses", body: "What worked for you?" });
    const reply = await a.send<Posted>({ do: "reply", authorId: poster.id, threadId: thread.threadId, body: "I doubled mine without asking anyone." });
    const [before] = await query<{ reply_count: number }>("select reply_count from threads where id = $1", [thread.threadId]);
    const result = await b.send<Record<string, unknown>>({
      do: "moderation",
      staffId: staff.id,
      reporterId: reporter.id,
      postId: reply.postId,
      prefix: "pgmo",
    });
    expect(result).toMatchObject({ queue: [{ count: 1, atRisk: true, firstReportedAt: true }], open: 1, members: ["pgmod"] });
    // Reopening found the dismissed report through `is not distinct from` (it conflicts when none is found).
    expect(result.reopened).toEqual({ postId: reply.postId, reopened: 1 });
    const [after] = await query<{ reply_count: number }>("select reply_count from threads where id = $1", [thread.threadId]);
    expect(after!.reply_count).toBe(before!.reply_count - 1);
  });

  it("answers a search from PostgreSQL's own index", async () => {
    expect(await a.send({ do: "search", q: "cramps" })).toBe("ok");
  });
});
