import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { sql, type AnyColumn } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };
/** The handle a transaction's callback gets: every statement of that unit of work runs on it. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];
/** Where a statement runs: the module-level `db`, or the `tx` of the unit of work it belongs to. */
export type Executor = Db | Tx;

export function databasePath() {
  return resolve(process.env.DATABASE_PATH ?? "data/unclench.db");
}

function open(): Db {
  const path = databasePath();
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  // The SQLite-only tuning lives here and nowhere else.
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  reuseStatements(sqlite);
  return drizzle(sqlite, { schema }) as Db;
}

/**
 * Drizzle prepares every query it runs, and SQLite parses and plans a statement each time, a
 * noticeable share of a reply's CPU. The same SQL text gets the same statement back. A statement is handed out in its default mode, because drizzle switches one
 * to raw mode for some reads and never back.
 */
function reuseStatements(sqlite: Database.Database) {
  const prepare = sqlite.prepare.bind(sqlite);
  const statements = new Map<string, Database.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = statements.get(source);
    if (!statement) {
      statement = prepare(source);
      // Queries built with a varying number of parameters (IN lists) could fill it up forever.
      if (statements.size >= 1000) statements.delete(statements.keys().next().value!);
      statements.set(source, statement);
    } else if (statement.reader) {
      statement.raw(false);
    }
    return statement;
  }) as typeof sqlite.prepare;
}

/**
 * A drizzle query built once, the first time it runs (the tables exist by then), and run with
 * `sql.placeholder` values after that. Drizzle builds a query's SQL anew on every call otherwise,
 * which for a one-row select costs far more than running it, and on the reply path inside the
 * write turn.
 *
 * A placeholder in a WHERE clause skips the column's encoder: pass a timestamp as milliseconds
 * and a boolean as 0 or 1. In `.values()` and `.set()` the encoder still applies.
 */
export function prepared<T>(build: (executor: Executor) => T): (executor: Executor) => T {
  let query: T | undefined;
  // A SQLite transaction runs on the one connection, so a query built on `db` serves its `tx` too.
  // Callers still name their executor: an engine with a pool of connections needs it.
  return () => (query ??= build(db));
}

/** In an upsert's `set`: the value the row would have been inserted with (`excluded.<column>`). */
export const excluded = (column: AnyColumn) => sql`excluded.${sql.identifier(column.name)}`;

// The server bundle and server.ts load this module separately; a process-wide
// singleton keeps them on one connection.
const store = globalThis as unknown as { __unclenchDb?: Db };
export const db: Db = (store.__unclenchDb ??= open());

export function migrateDatabase() {
  migrate(db, { migrationsFolder: resolve(import.meta.dirname ?? ".", "../migrations") });
}

/**
 * For the web server: SQLite's busy handler sleeps synchronously, stopping the whole worker, so a
 * statement that meets the lock waits at most this long — enough for another process's short
 * write. A lock held longer is waited for by waitForWriteLock(), between event-loop turns.
 */
const SERVER_BUSY_TIMEOUT_MS = 100;

export function boundLockWaits() {
  db.$client.pragma(`busy_timeout = ${SERVER_BUSY_TIMEOUT_MS}`);
}

/** Runs `work` with SQLite's busy wait off: a taken lock fails it at once. */
function withoutWaiting<T>(work: () => T): T {
  const previous = db.$client.pragma("busy_timeout", { simple: true }) as number;
  db.$client.pragma("busy_timeout = 0");
  try {
    return work();
  } finally {
    db.$client.pragma(`busy_timeout = ${previous}`);
  }
}

/** SQLite errors that mean "cannot write now" (locked, read-only, full or failing disk), not a bug. */
export function isUnavailable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|PROTOCOL)/.test(code)) return true;
  }
  return false;
}

/**
 * Waits, polling between event-loop turns, until this connection could take the write lock
 * (another process may hold it: a backup tool, a migration, a second server). False when it is
 * still taken after `patienceMs`, or the database cannot be written at all.
 */
export async function waitForWriteLock(patienceMs = 5000): Promise<boolean> {
  const deadline = Date.now() + patienceMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 250)) {
    if (db.$client.inTransaction) return true;
    try {
      withoutWaiting(() => db.$client.exec("BEGIN IMMEDIATE").exec("ROLLBACK"));
      return true;
    } catch (error) {
      const busy = /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code));
      if (!busy || Date.now() + pause > deadline) return false;
    }
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

/**
 * A write the page can do without (a read marker, a session's last-seen time): a locked or
 * read-only database skips it, without waiting, rather than failing or holding up a page that
 * only reads.
 */
export function bestEffort(write: () => unknown) {
  try {
    withoutWaiting(write);
  } catch (error) {
    if (!isUnavailable(error)) throw error;
  }
}

export function closeDatabase() {
  if (db.$client.open) db.$client.close();
}
