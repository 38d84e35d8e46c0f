import { AsyncLocalStorage } from "node:async_hooks";
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { E_TIMEOUT, Mutex, withTimeout } from "async-mutex";
import Database from "better-sqlite3";
import { sql, type AnyColumn } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

/** What every model is written against: reads on `db`, writes on a transaction's `tx`. */
export type Db = BetterSQLite3Database<typeof schema>;
/** The handle a transaction's work gets: every statement of that unit of work runs on it. */
export type Tx = Db;
/** Where a read runs: the module-level `db`, or the `tx` of the unit of work it belongs to. */
export type Executor = Db;

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
  reuseStatements(sqlite);
  return sqlite;
}

/**
 * Drizzle prepares every query it runs, and SQLite parses and plans a statement each time: about
 * a tenth of a page's CPU (bench/RESULTS.md). The same SQL text gets the same statement back, in
 * its default mode, because drizzle switches one to raw mode for some reads and never back.
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

// The transaction the current code runs in. Callbacks created inside one (a timer, a mail sent
// after the response) inherit this store, so it says whether the transaction is still open.
const active = new AsyncLocalStorage<{ open: boolean; tx: Tx }>();
const inTransaction = () => active.getStore()?.open === true;

/** The open transaction's `tx`, for a library that is handed its client once (the rate limiter). */
export function currentTransaction(): Tx {
  const store = active.getStore();
  if (!store?.open) throw new Error("No transaction is open here.");
  return store.tx;
}

// Outside production, misuse of `db` fails loudly with a reason: a write belongs in transaction(),
// and a read inside a transaction would miss its writes (on a pooled engine, take a second connection).
const guard =
  process.env.NODE_ENV === "production"
    ? undefined
    : {
        logQuery(query: string) {
          if (!/^\s*(select|with)\b/i.test(query)) throw new Error("A write ran on `db`: writes go through transaction().");
          if (inTransaction()) throw new Error("A statement ran on `db` inside a transaction: pass the transaction's `tx` instead.");
        },
      };

const writer = connect(false);
const reader = connect(true);
// The server's bundle and the Remix build each load this module; whichever copy a shutdown does not
// close is closed on the way out, so the last connection checkpoints and removes the WAL.
process.once("exit", () => closeDatabase());
const writeDb = drizzle(writer, { schema }) as Db;
export const db: Db = drizzle(reader, { schema, logger: guard }) as Db;

/** This process's writes take turns; another process's are waited for by polling the lock. */
const turns = withTimeout(new Mutex(), WRITE_PATIENCE_MS);

/** The database could not take a write in time (locked by another process, or failing). */
export class DatabaseBusy extends Error {
  readonly code = "SQLITE_BUSY";
}

function begin() {
  try {
    writer.exec("BEGIN IMMEDIATE");
    return true;
  } catch (error) {
    if (/^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown }).code))) return false;
    throw error;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// SQLite's lock is not fair: a process that writes back to back would keep one that polls out.
// After STREAK transactions in a row this process leaves the lock free for a moment, and a
// waiting process polls often enough to take it then.
const STREAK = 8;
let streak = 0;
/** This process's transactions that have asked for their turn and not finished. */
let queued = 0;

async function beginWithin(deadline: number) {
  if (streak >= STREAK) await pause(2);
  streak = queued > 1 ? streak + 1 : 0;
  for (let wait = 1; !begin(); wait = Math.min(wait * 2, 4)) {
    if (Date.now() + wait > deadline) throw new DatabaseBusy("The database stayed locked by another process.");
    await pause(wait);
  }
}

async function run<T>(work: (tx: Tx) => Promise<T> | T): Promise<T> {
  const state = { open: true, tx: writeDb };
  try {
    const result = await active.run(state, () => work(writeDb));
    writer.exec("COMMIT");
    return result;
  } catch (error) {
    if (writer.inTransaction) writer.exec("ROLLBACK");
    throw error;
  } finally {
    state.open = false;
  }
}

/**
 * One unit of work: every statement in `work` goes through `tx`, and all of them commit together
 * or none does. Nothing slow (hashing, mail) belongs inside: other writes wait for it.
 */
export async function transaction<T>(work: (tx: Tx) => Promise<T> | T): Promise<T> {
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

/**
 * A write the page can do without (a read marker, a session's last-seen time): skipped at once
 * when another write holds the lock or the database cannot be written, rather than failing or
 * holding up a page that only reads.
 */
export async function bestEffort(work: (tx: Tx) => Promise<unknown> | unknown): Promise<void> {
  if (inTransaction()) throw new Error("bestEffort() inside a transaction: write on its `tx` instead.");
  if (turns.isLocked()) return;
  const release = await turns.acquire();
  try {
    if (begin()) await run(work);
  } catch (error) {
    if (!isUnavailable(error)) throw error;
  } finally {
    release();
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
 * A page-hot read built once, on `db`, with `sql.placeholder()` values and `.prepare()`; run it as
 * `await query().execute({ ... })`. Building a drizzle query costs more than running a small one.
 * Placeholders skip the column's encoder: use them for ids, numbers and text, not dates or booleans.
 */
export function prepared<Q>(build: () => Q): () => Q {
  let query: Q | undefined;
  return () => (query ??= build());
}

/** In an upsert's `set`: the value the row would have been inserted with (`excluded.<column>`). */
export const excluded = (column: AnyColumn) => sql`excluded.${sql.identifier(column.name)}`;

/** A statement that only reads, to tell the database answers at all (the health check). */
export function ping() {
  reader.exec("select 1");
}

/** The SQLite connections themselves, for what drizzle does not express: FTS5 search, backups, rate limits. */
export const sqlite = { reader, writer };

export function migrateDatabase() {
  // Migrations run before serving (or in a tool), where waiting on the lock blocks no request.
  writer.pragma(`busy_timeout = ${WRITE_PATIENCE_MS}`);
  try {
    migrate(writeDb, { migrationsFolder: resolve(import.meta.dirname ?? ".", "../migrations") });
  } finally {
    writer.pragma("busy_timeout = 0");
  }
}

export function closeDatabase() {
  for (const connection of [reader, writer]) if (connection.open) connection.close();
}
