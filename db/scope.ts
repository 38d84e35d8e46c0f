// What both engines share (db/sqlite.ts, db/postgres.ts): the types the models are written
// against, and the record of the open transaction that keeps misuse of `db` loud.
import { AsyncLocalStorage } from "node:async_hooks";
import type Database from "better-sqlite3";
import type { BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import type * as schema from "./schema.ts";

/** What every model is written against: reads on `db`, writes on a transaction's `tx`. */
export type Db = BetterSQLite3Database<typeof schema>;
/** The handle a transaction's work gets: every statement of that unit of work runs on it. */
export type Tx = Db;
/** Where a read runs: the module-level `db`, or the `tx` of the unit of work it belongs to. */
export type Executor = Db;

/** The SQLite connections themselves, for what drizzle does not express: FTS5 search, backups. */
export type SqliteConnections = { reader: Database.Database; writer: Database.Database };

/** One engine, as db/client.ts hands it out. */
export type Engine = {
  db: Db;
  transaction<T>(work: (tx: Tx) => Promise<T> | T): Promise<T>;
  bestEffort(work: (tx: Tx) => Promise<unknown> | unknown): Promise<void>;
  isUnavailable(error: unknown): boolean;
  ping(): Promise<void>;
  migrateDatabase(): Promise<void>;
  closeDatabase(): Promise<void>;
  sqlite: SqliteConnections;
};

// The transaction the current code runs in. Callbacks created inside one (a timer, a mail sent
// after the response) inherit this store, so it says whether the transaction is still open.
const active = new AsyncLocalStorage<{ open: boolean; tx: Tx }>();
export const inTransaction = () => active.getStore()?.open === true;

/** Runs a transaction's work with `tx` recorded as the open one, closed again however it ends. */
export async function within<T>(tx: Tx, work: (tx: Tx) => Promise<T> | T): Promise<T> {
  const state = { open: true, tx };
  try {
    return await active.run(state, () => work(tx));
  } finally {
    state.open = false;
  }
}

/** The open transaction's `tx`, for a library that is handed its client once (the rate limiter). */
export function currentTransaction(): Tx {
  const store = active.getStore();
  if (!store?.open) throw new Error("No transaction is open here.");
  return store.tx;
}

// Outside production, misuse of `db` fails loudly with a reason: a write belongs in transaction(),
// and a read inside a transaction would miss its writes (on a pool it would take a second connection).
export const guard =
  process.env.NODE_ENV === "production"
    ? undefined
    : {
        logQuery(query: string) {
          if (!/^\s*(select|with)\b/i.test(query)) throw new Error("A write ran on `db`: writes go through transaction().");
          if (inTransaction()) throw new Error("A statement ran on `db` inside a transaction: pass the transaction's `tx` instead.");
        },
      };
