// The PostgreSQL engine (issue 25): chosen when DATABASE_URL is postgres://…. A pool of connections
// per process; each transaction() holds one of them from BEGIN to COMMIT, and concurrent units of
// work meet at row locks (READ COMMITTED), not at a process-wide turn as on SQLite.
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import * as schema from "./schema.ts";
import { guard, inTransaction, within, type Db, type Engine, type SqliteConnections, type Tx } from "./scope.ts";

/** How long bestEffort() waits for a row another transaction holds before skipping its write. */
const BEST_EFFORT_LOCK_WAIT = "200ms";
/** How long a statement waits for a lock before the unit of work gives up (503), as on SQLite. */
const LOCK_WAIT_MS = 5000;
/** A deadlock (40P01) or serialization failure (40001) aborts one side; it is run again this often. */
const RETRIES = 3;
// Any fixed number: every server migrating this database takes the same session-level lock.
const MIGRATION_LOCK = 7_465_001;

// SQLSTATEs that mean "cannot write now", not a bug: the connection failed or was cut (class 08,
// 57P01-03 shutdown), the transaction lost a race (40001 serialization, 40P01 deadlock), the server
// is full (53xxx) or read-only (25006), or a lock was not granted in time (55P03).
const UNAVAILABLE_STATES = /^(08...|40001|40P01|53...|57P0[123]|25006|55P03)$/;
const UNAVAILABLE_NETWORK = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENOENT)$/;
// node-postgres says these in words only: the pool could not hand out a connection, or lost one.
const UNAVAILABLE_MESSAGE = /^(timeout exceeded when trying to connect|Connection terminated|Client has encountered a connection error)/;

function isRetryable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code === "40P01" || code === "40001") return true;
  }
  return false;
}

export function isPostgresUnavailable(error: unknown): boolean {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && (UNAVAILABLE_STATES.test(code) || UNAVAILABLE_NETWORK.test(code))) return true;
    if (UNAVAILABLE_MESSAGE.test(e.message)) return true;
  }
  return false;
}

// No SQLite file is opened on PostgreSQL: code that reaches for one (FTS5 search, backups) is told why.
const noSqlite = new Proxy({} as SqliteConnections, {
  get() {
    throw new Error("This runs on PostgreSQL (DATABASE_URL): there is no SQLite connection to use.");
  },
});

export function openPostgres(url: string): Engine {
  // allowExitOnIdle: idle connections do not keep a script alive (a server lives by its listener).
  const pool = new pg.Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_SIZE ?? 10),
    connectionTimeoutMillis: LOCK_WAIT_MS,
    lock_timeout: LOCK_WAIT_MS,
    allowExitOnIdle: true,
  });
  // A connection that dies while idle is dropped by the pool; without a listener it would end the process.
  pool.on("error", () => {});
  // Two drizzle handles on one pool: `db` is guarded against writes and against use inside a
  // transaction; transactions run on the unguarded one (its `tx` shares the handle's logger).
  const writeDb = drizzle(pool, { schema });
  const db = drizzle(pool, { schema, logger: guard }) as unknown as Db;

  async function transaction<T>(work: (tx: Tx) => Promise<T> | T): Promise<T> {
    if (inTransaction()) throw new Error("transaction() inside a transaction: pass its `tx` down instead.");
    for (let attempt = 1; ; attempt++) {
      try {
        // eslint-disable-next-line no-restricted-syntax -- the engine itself, where transaction() is made
        return await writeDb.transaction((tx) => within(tx as unknown as Tx, work));
      } catch (error) {
        // The aborted side committed nothing, so running the whole unit of work again is safe.
        if (attempt > RETRIES || !isRetryable(error)) throw error;
      }
    }
  }

  // Two servers starting at once must not both apply the same migration: they take turns.
  async function migrateDatabase() {
    const holder = await pool.connect();
    try {
      await holder.query("select pg_advisory_lock($1)", [MIGRATION_LOCK]);
      await migrate(drizzle(holder), { migrationsFolder: resolve(import.meta.dirname ?? ".", "../migrations/pg") });
    } finally {
      await holder.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => {});
      holder.release();
    }
  }

  async function bestEffort(work: (tx: Tx) => Promise<unknown> | unknown): Promise<void> {
    if (inTransaction()) throw new Error("bestEffort() inside a transaction: write on its `tx` instead.");
    try {
      // eslint-disable-next-line no-restricted-syntax -- the engine itself, where bestEffort() is made
      await writeDb.transaction(async (tx) => {
        // A row another transaction holds is skipped (55P03) rather than waited for.
        await tx.execute(sql.raw(`set local lock_timeout = '${BEST_EFFORT_LOCK_WAIT}'`));
        await within(tx as unknown as Tx, work);
      });
    } catch (error) {
      if (!isPostgresUnavailable(error)) throw error;
    }
  }

  let closed: Promise<void> | undefined;
  return {
    db,
    transaction,
    bestEffort,
    isUnavailable: isPostgresUnavailable,
    ping: async () => void (await pool.query("select 1")),
    migrateDatabase,
    closeDatabase: () => (closed ??= pool.end()),
    sqlite: noSqlite,
  };
}
