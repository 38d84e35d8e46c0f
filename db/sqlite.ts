// The SQLite engine (the default): one file, two connections per process (docs/decisions/020).
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { E_TIMEOUT, Mutex, withTimeout } from "async-mutex";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";
import { guard, inTransaction, within, type Db, type Engine, type Tx } from "./scope.ts";

export function databasePath() {
  return resolve(process.env.DATABASE_PATH ?? "data/unclench.db");
}

/** How long a write waits for the lock (this process's other writes, or another process's). */
const WRITE_PATIENCE_MS = 5000;

// Two connections (docs/decisions/020): writes and their transactions run one at a time on
// `writer`; reads run on `reader`, which never sees a transaction half done and never waits for one.
function connect(readonly: boolean) {
  const path = databasePath();
  if (!readonly) mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, { readonly });
  if (!readonly) {
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
  }
  // SQLite's busy handler sleeps the whole process; transaction() waits for the lock between
  // event-loop turns instead. A WAL reader meets the lock only in rare recovery moments.
  sqlite.pragma(`busy_timeout = ${readonly ? 100 : 0}`);
  return sqlite;
}

/** The database could not take a write in time (locked by another process, or failing). */
export class DatabaseBusy extends Error {
  readonly code = "SQLITE_BUSY";
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// SQLite's lock is not fair: a process that writes back to back would keep one that polls out.
// After STREAK transactions in a row this process leaves the lock free for a moment, and a
// waiting process polls often enough to take it then.
const STREAK = 8;

/** SQLite errors that mean "cannot write now" (locked, read-only, full or failing disk), not a bug. */
export function isSqliteUnavailable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|PROTOCOL)/.test(code)) return true;
  }
  return false;
}

export function openSqlite(): Engine {
  const writer = connect(false);
  const reader = connect(true);
  // A process that exits without closing the database (a script, a test run) still closes
  // its connections, so the last connection checkpoints and removes the WAL.
  process.once("exit", () => void closeDatabase());
  const writeDb = drizzle(writer, { schema }) as Db;
  const db: Db = drizzle(reader, { schema, logger: guard }) as Db;

  /** This process's writes take turns; another process's are waited for by polling the lock. */
  const turns = withTimeout(new Mutex(), WRITE_PATIENCE_MS);

  function begin() {
    try {
      writer.exec("BEGIN IMMEDIATE");
      return true;
    } catch (error) {
      if (/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code))) return false;
      throw error;
    }
  }

  let streak = 0;
  /** This process's transactions that have asked for their turn and not finished. */
  let queued = 0;

  async function beginWithin(deadline: number) {
    if (streak >= STREAK) {
      streak = 0;
      await pause(2);
    }
    streak = queued > 1 ? streak + 1 : 0;
    for (let wait = 1; !begin(); wait = Math.min(wait * 2, 4)) {
      if (Date.now() + wait > deadline) throw new DatabaseBusy("The database stayed locked by another process.");
      await pause(wait);
    }
  }

  async function run<T>(work: (tx: Tx) => Promise<T> | T): Promise<T> {
    try {
      const result = await within(writeDb, work);
      writer.exec("COMMIT");
      return result;
    } catch (error) {
      if (writer.inTransaction) writer.exec("ROLLBACK");
      throw error;
    }
  }

  async function transaction<T>(work: (tx: Tx) => Promise<T> | T): Promise<T> {
    if (inTransaction()) throw new Error("transaction() inside a transaction: pass its `tx` down instead.");
    const deadline = Date.now() + WRITE_PATIENCE_MS;
    queued++;
    try {
      const release = await turns.acquire().catch((error: unknown) => {
        throw error === E_TIMEOUT ? new DatabaseBusy("Writes queued for too long.") : error;
      });
      try {
        await beginWithin(deadline);
        return await run(work);
      } finally {
        release();
      }
    } finally {
      queued--;
    }
  }

  async function bestEffort(work: (tx: Tx) => Promise<unknown> | unknown): Promise<void> {
    if (inTransaction()) throw new Error("bestEffort() inside a transaction: write on its `tx` instead.");
    if (turns.isLocked()) return;
    const release = await turns.acquire();
    try {
      if (begin()) await run(work);
    } catch (error) {
      if (!isSqliteUnavailable(error)) throw error;
    } finally {
      release();
    }
  }

  async function migrateDatabase() {
    // Migrations run before serving (or in a tool), where waiting on the lock blocks no request.
    writer.pragma(`busy_timeout = ${WRITE_PATIENCE_MS}`);
    try {
      migrate(writeDb, { migrationsFolder: resolve(import.meta.dirname ?? ".", "../migrations") });
    } finally {
      writer.pragma("busy_timeout = 0");
    }
  }

  async function closeDatabase() {
    for (const connection of [reader, writer]) if (connection.open) connection.close();
  }

  return {
    db,
    transaction,
    bestEffort,
    isUnavailable: isSqliteUnavailable,
    ping: async () => void reader.exec("select 1"),
    migrateDatabase,
    closeDatabase,
    sqlite: { reader, writer },
  };
}
