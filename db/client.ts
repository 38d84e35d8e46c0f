// The one database layer the models use, on the engine this process runs on (db/dialect.ts):
// SQLite by default (db/sqlite.ts), PostgreSQL when DATABASE_URL is postgres://… (db/postgres.ts).
// Every write is a unit of work in transaction() (docs/decisions/020).
import { AsyncLocalStorage } from "node:async_hooks";
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { usesPostgres } from "./dialect.ts";
import { openPostgres } from "./postgres.ts";
import { inTransaction, type Engine, type Tx } from "./scope.ts";
import { openSqlite } from "./sqlite.ts";

export { currentTransaction, inTransaction, type Db, type Executor, type Tx } from "./scope.ts";
export { databasePath, DatabaseBusy } from "./sqlite.ts";

const engine: Engine = usesPostgres() ? openPostgres(process.env.DATABASE_URL!) : openSqlite();

/** Reads run here; outside production a write on it, or any statement inside a transaction, throws. */
export const db = engine.db;

// What a unit of work asked to run once it has committed (afterCommit); each attempt starts empty.
const committed = new AsyncLocalStorage<Array<() => void>>();

/**
 * One unit of work: every statement in `work` goes through `tx`, and all of them commit together
 * or none does. Nothing slow (hashing, mail) belongs inside: other writes wait for it.
 */
export async function transaction<T>(work: (tx: Tx) => Promise<T> | T): Promise<T> {
  let hooks: Array<() => void> = [];
  // eslint-disable-next-line no-restricted-syntax -- the one place the engine's transaction is wrapped
  const result = await engine.transaction((tx) => {
    hooks = [];
    return committed.run(hooks, () => work(tx));
  });
  for (const hook of hooks) hook();
  return result;
}

/**
 * Inside a unit of work: runs `hook` once it has committed, never if it rolls back (the mail
 * outbox wakes its sender so). The hook must not throw: the work is done by then.
 */
export function afterCommit(hook: () => void) {
  const hooks = committed.getStore();
  if (!hooks || !inTransaction()) throw new Error("afterCommit() belongs inside a transaction.");
  hooks.push(hook);
}

/**
 * A write the page can do without (a read marker, a session's last-seen time): skipped at once
 * when another write holds the lock or the database cannot be written, rather than failing or
 * holding up a page that only reads.
 */
export const bestEffort = engine.bestEffort;

/** Errors that mean "cannot write now" (locked, read-only, full, unreachable), not a bug. */
export const isUnavailable = engine.isUnavailable;

/**
 * Row locks for the rows a unit of work is about to change, taken as it reads them (`FOR UPDATE`),
 * so a concurrent unit of work on the same rows waits instead of deciding on what it read before.
 * SQLite needs none: its transactions hold the whole database from BEGIN IMMEDIATE.
 */
export function forUpdate<Q>(query: Q): Q {
  return usesPostgres() ? (query as Q & { for(strength: "update"): Q }).for("update") : query;
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

/**
 * Inside a unit of work: waits until no other process is in one with the same key, for check-then-
 * insert work that no row lock covers (the seed, two servers starting at once). PostgreSQL takes a
 * transaction-scoped advisory lock; SQLite's transactions already hold the whole database.
 */
export async function oneAtATime(tx: Tx, key: number) {
  if (usesPostgres()) await (tx as unknown as { execute(query: SQL): Promise<unknown> }).execute(sql`select pg_advisory_xact_lock(${key})`);
}

/** In an upsert's `set`: the value the row would have been inserted with (`excluded.<column>`). */
export const excluded = (column: AnyColumn) => sql`excluded.${sql.identifier(column.name)}`;

/** A statement that only reads, to tell the database answers at all (the health check). */
export const ping = engine.ping;

/** The SQLite connections, for what drizzle does not express (FTS5 search, backups); throws on PostgreSQL. */
export const sqlite = engine.sqlite;

/** Applies the engine's migrations (migrations/ or migrations/pg); run before serving. */
export const migrateDatabase = engine.migrateDatabase;

export const closeDatabase = engine.closeDatabase;
