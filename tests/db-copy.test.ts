// Issue 25: `npm run db:copy -- --to postgres://…` moves this file's SQLite forum into an empty
// database of a throw-away cluster (tests/pg-cluster.ts). The script runs as a child process, as
// an operator would run it; both databases are then read back here and compared.
import { spawnSync } from "node:child_process";
import { eq, getTableName, is } from "drizzle-orm";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db, sqlite } from "../db/client.ts";
import { usesPostgres } from "../db/dialect.ts";
import * as sqliteSchema from "../db/schema.sqlite.ts";
import { addReaction } from "~/models/reactions.server.ts";
import { reportPost } from "~/models/reports.server.ts";
import { startCluster, type Cluster } from "./pg-cluster.ts";
import { createReply, createThread, member } from "./helpers.ts";

let cluster: Cluster | undefined;
let url: string;
let client: pg.Client;
let first: ReturnType<typeof spawnSync>;

const copy = (to: string) =>
  spawnSync(process.execPath, ["--import", "tsx", "scripts/db-copy.ts", "--to", to], {
    env: { ...process.env, DATABASE_PATH: process.env.DATABASE_PATH },
    encoding: "utf8",
    timeout: 60_000,
  });

const tableNames = Object.values(sqliteSchema)
  .filter((t) => is(t, SQLiteTable))
  .map((t) => getTableName(t));

// The source is this file's SQLite forum: on the PostgreSQL run there is none to copy.
const fromSqlite = !usesPostgres();

beforeAll(async () => {
  if (!fromSqlite) return;
  cluster = startCluster();
  url = await cluster.createDatabase("copied");
  client = new pg.Client({ connectionString: url });
  await client.connect();

  const ada = await member("copyada");
  const ben = await member("copyben");
  const mo = await member("copymod", "moderator");
  const thread = await createThread(ada, "fibromyalgia", { title: "Moving house", body: "Does **heat** help anyone else?" });
  const reply = await createReply(ben, thread.threadId, "A hot bath, _every_ night.");
  await createReply(mo, thread.threadId, "Welcome, both of you.");
  await addReaction(ada, reply.postId, "helpful");
  await reportPost(ada, reply.postId, { reason: "spam" });

  first = copy(url);
}, 120_000);

afterAll(async () => {
  await client?.end();
  cluster?.stop();
});

const pgRows = async <T>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[];

describe.runIf(fromSqlite)("db:copy from SQLite to PostgreSQL", () => {
  it("leaves the copied posts searchable on PostgreSQL", async () => {
    const found = await pgRows<{ body: string }>("select body_markdown as body from posts where search_vector @@ phraseto_tsquery('unclench', 'hot baths')");
    expect(found.map((r) => r.body)).toEqual(["A hot bath, _every_ night."]);
  });

  it("copies every table, says so table by table, and exits 0", async () => {
    expect(first.stderr).not.toMatch(/Error/);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("Search: PostgreSQL indexed the words");
    for (const name of tableNames) {
      const { n } = sqlite.reader.prepare(`select count(*) as n from "${name}"`).get() as { n: number };
      const [copied] = await pgRows<{ n: string }>(`select count(*) as n from "${name}"`);
      expect({ name, n: Number(copied!.n) }).toEqual({ name, n });
      expect(first.stdout).toMatch(new RegExp(`^${name}\\s+${n}\\s+${n}$`, "m"));
    }
    // The data this file wrote is there, not only the seeded boards.
    const [counts] = await pgRows<{ users: string; reactions: string; reports: string; sessions: string }>(
      "select (select count(*) from users) as users, (select count(*) from reactions) as reactions, (select count(*) from reports) as reports, (select count(*) from sessions) as sessions",
    );
    expect(Number(counts!.users)).toBeGreaterThanOrEqual(3);
    expect(Number(counts!.reactions)).toBeGreaterThanOrEqual(1);
    expect(Number(counts!.reports)).toBeGreaterThanOrEqual(1);
    expect(Number(counts!.sessions)).toBeGreaterThanOrEqual(3);
  });

  it("keeps rows field by field: rendered bodies, counters, roles and timestamps to the millisecond", async () => {
    const [thread] = await db.select().from(sqliteSchema.threads).where(eq(sqliteSchema.threads.title, "Moving house"));
    const [copiedThread] = await pgRows<{ post_count: number; reply_count: number; created_at: Date; last_post_at: Date }>(
      "select post_count, reply_count, created_at, last_post_at from threads where id = $1",
      [thread!.id],
    );
    expect(copiedThread).toEqual({ post_count: 3, reply_count: 2, created_at: thread!.createdAt, last_post_at: thread!.lastPostAt });

    const posts = await db.select().from(sqliteSchema.posts);
    for (const post of posts.filter((p) => p.threadId === thread!.id)) {
      const [copied] = await pgRows<{ body_html: string; number: number; created_at: Date }>("select body_html, number, created_at from posts where id = $1", [
        post.id,
      ]);
      expect(copied).toEqual({ body_html: post.bodyHtml, number: post.number, created_at: post.createdAt });
    }
    const [firstPost] = await pgRows<{ body_html: string }>("select body_html from posts where thread_id = $1 and number = 1", [thread!.id]);
    expect(firstPost!.body_html).toContain("<strong>heat</strong>");

    const [mod] = await pgRows<{ role: string; reduced_motion: boolean; created_at: Date }>(
      "select role, reduced_motion, created_at from users where username = 'copymod'",
    );
    const [source] = (await db.select().from(sqliteSchema.users)).filter((u) => u.username === "copymod");
    expect(mod).toEqual({ role: "moderator", reduced_motion: false, created_at: source!.createdAt });
  });

  it("continues every id sequence after the copied rows", async () => {
    const [{ max }] = sqlite.reader.prepare("select max(id) as max from users").all() as [{ max: number }];
    const [user] = await pgRows<{ id: number }>(
      "insert into users (username, email, password_hash) values ('afterwards', 'afterwards@example.org', 'x') returning id",
    );
    expect(user!.id).toBe(max + 1);
    const [{ maxPost }] = sqlite.reader.prepare("select max(id) as maxPost from posts").all() as [{ maxPost: number }];
    const [thread] = await pgRows<{ id: number }>("select id from threads limit 1");
    const [post] = await pgRows<{ id: number }>(
      "insert into posts (thread_id, author_id, number, body_markdown, body_html) values ($1, $2, 999, 'x', '<p>x</p>') returning id",
      [thread!.id, user!.id],
    );
    expect(post!.id).toBe(maxPost + 1);
  });

  it("refuses to copy into a database that already has a forum, and changes nothing", async () => {
    const [before] = await pgRows<{ n: string }>("select count(*) as n from users");
    const again = copy(url);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain("The target database already has users, boards or posts");
    const [after] = await pgRows<{ n: string }>("select count(*) as n from users");
    expect(after).toEqual(before);
  });
});
