// What the benchmarks read from the forum's database directly, on either engine: the pages to ask
// for, the members to log in as, the forum's size, and which marked replies were stored.
// A `db` is a SQLite file path or a postgres:// URL (the same switch as DATABASE_URL in db/dialect.ts).
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { AUTHOR_SKEW, BENCH_EMAIL_DOMAIN, type Rng } from "./corpus.ts";

export const isPostgres = (db: string) => /^postgres(ql)?:\/\//.test(db);

/** The environment that points the server at `db`. */
export const databaseEnv = (db: string): Record<string, string> => (isPostgres(db) ? { DATABASE_URL: db } : { DATABASE_PATH: db });

/** A short name for tables and logs: "SQLite" or "PostgreSQL". */
export const engineName = (db: string) => (isPostgres(db) ? "PostgreSQL" : "SQLite");

/** The URL without its password, for reports. */
export const redact = (db: string) => db.replace(/^(\w+:\/\/[^:@/]*):[^@/]*@/, "$1:***@");

/** Runs read-only queries on either engine; every result row is a plain object. */
export async function openReader(db: string) {
  if (isPostgres(db)) {
    const client = new pg.Client({ connectionString: db });
    await client.connect();
    return {
      rows: async <T>(text: string, params: unknown[] = []) => (await client.query(text, params)).rows as T[],
      close: () => client.end(),
    };
  }
  const file = new Database(resolve(db), { readonly: true, fileMustExist: true });
  return {
    rows: async <T>(text: string, params: unknown[] = []) => file.prepare(text.replace(/\$\d+/g, "?")).all(...params) as T[],
    close: async () => void file.close(),
  };
}

export type Facts = {
  /** Threads with at least one full 50-post page, and how many full pages. */
  threadPages: { id: number; pages: number }[];
  /** Boards with the number of pages the board shows (pinned threads sit above page 1). */
  boardPages: { slug: string; pages: number }[];
  replyThreads: number[];
  /** Generated members, in id order, with whether they may post. */
  everyone: { username: string; role: string; ok: boolean }[];
  size: { users: number; threads: number; posts: number };
};

// Portable SQL only (no two-argument min/max, which PostgreSQL reads as aggregates); counts come
// back as strings from PostgreSQL's bigint, hence Number() below.
export async function readFacts(db: string): Promise<Facts> {
  const reader = await openReader(db);
  try {
    const threadPages = await reader.rows<{ id: number; pages: number }>(
      "select id, post_count / 50 as pages from threads where removed_at is null and post_count >= 50 order by id",
    );
    const boardPages = await reader.rows<{ slug: string; pages: number | string }>(
      `select b.slug, case when (count(t.id) + 29) / 30 > 20 then 20 when count(t.id) = 0 then 1 else (count(t.id) + 29) / 30 end as pages
       from boards b left join threads t on t.board_id = b.id and t.removed_at is null and t.pin_position is null
       group by b.id, b.slug, b.position order by b.position`,
    );
    const replyThreads = await reader.rows<{ id: number }>("select id from threads where locked_at is null and removed_at is null order by id");
    const everyone = await reader.rows<{ username: string; role: string; ok: boolean | number }>(
      `select username, role, case when suspended_at is null and silenced_at is null and deleted_at is null then 1 else 0 end as ok
       from users where email like $1 order by id`,
      [`%@${BENCH_EMAIL_DOMAIN}`],
    );
    const [size] = await reader.rows<Record<"users" | "threads" | "posts", number | string>>(
      "select (select count(*) from users) as users, (select count(*) from threads) as threads, (select count(*) from posts) as posts",
    );
    return {
      threadPages,
      boardPages: boardPages.map((b) => ({ slug: b.slug, pages: Number(b.pages) })),
      replyThreads: replyThreads.map((t) => t.id),
      everyone: everyone.map((m) => ({ ...m, ok: Boolean(Number(m.ok)) })),
      size: { users: Number(size!.users), threads: Number(size!.threads), posts: Number(size!.posts) },
    };
  } finally {
    await reader.close();
  }
}

/**
 * Reply authors drawn like the generated authorship (bench/corpus.ts AUTHOR_SKEW): mostly the
 * active members, who have hundreds or thousands of posts, as on a real forum.
 */
export function pickMembers(everyone: Facts["everyone"], rng: Rng, count: number) {
  const drawn = Array.from({ length: 400 }, () => everyone[Math.floor(everyone.length * Math.pow(rng.next(), AUTHOR_SKEW))]!);
  return [...new Set(drawn.filter((m) => m.role === "member" && m.ok).map((m) => m.username))].slice(0, count);
}

/** The database's size on disk in bytes: the file (and its WAL), or what PostgreSQL reports. */
export async function databaseBytes(db: string) {
  if (!isPostgres(db)) return [db, `${db}-wal`].filter((f) => existsSync(f)).reduce((sum, f) => sum + statSync(f).size, 0);
  const reader = await openReader(db);
  try {
    const [row] = await reader.rows<{ bytes: string }>("select pg_database_size(current_database()) as bytes");
    return Number(row!.bytes);
  } finally {
    await reader.close();
  }
}

/**
 * Which of the markers appear in a stored post body: the check that a reply answered 302 was
 * committed. Markers are found with one LIKE on their common prefix, then matched in this process.
 */
export async function storedMarkers(db: string, prefix: string, markers: Iterable<string>) {
  if (!/^[a-z0-9]+$/.test(prefix)) throw new Error(`A marker prefix is letters and digits only: ${prefix}`);
  const reader = await openReader(db);
  try {
    const bodies = await reader.rows<{ body: string }>("select body_markdown as body from posts where body_markdown like $1", [`%${prefix}%`]);
    const pattern = new RegExp(`${prefix}\\d+(?!\\d)`, "g");
    const found = new Set(bodies.flatMap((b) => b.body.match(pattern) ?? []));
    return new Set([...markers].filter((m) => found.has(m)));
  } finally {
    await reader.close();
  }
}

/**
 * The files that hold the database, to read into the OS page cache before a run: the SQLite file
 * and its WAL, or the files of this database in PostgreSQL's data directory (base/<oid>).
 */
export async function databaseFiles(db: string) {
  if (!isPostgres(db)) return [db, `${db}-wal`].filter((f) => existsSync(f));
  const reader = await openReader(db);
  try {
    const [row] = await reader.rows<{ dir: string; oid: number }>(
      "select (select setting from pg_settings where name = 'data_directory') as dir, oid from pg_database where datname = current_database()",
    );
    const base = join(row!.dir, "base", String(row!.oid));
    return readdirSync(base).map((f) => join(base, f));
  } finally {
    await reader.close();
  }
}
