import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import Database from "better-sqlite3";
import { sql, type AnyColumn } from "drizzle-orm";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import * as schema from "./schema.ts";

export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

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
 * Drizzle prepares every query it runs, and SQLite parses and plans a statement each time: about
 * a tenth of a reply's CPU (bench/RESULTS.md, fifth pass). The same SQL text gets the same
 * statement back. A statement is handed out in its default mode, because drizzle switches one
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
 * `sql.placeholder` values after that. Drizzle builds a query's SQL anew on every call otherwise:
 * about 30 µs for a one-row select, ten times the cost of running it; the reply path ran a
 * dozen of them while holding the write turn (bench/RESULTS.md, tenth pass).
 *
 * A placeholder in a WHERE clause skips the column's encoder: pass a timestamp as milliseconds
 * and a boolean as 0 or 1. In `.values()` and `.set()` the encoder still applies.
 */
export function prepared<T>(build: () => T): () => T {
  let query: T | undefined;
  return () => (query ??= build());
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

export function closeDatabase() {
  if (db.$client.open) db.$client.close();
}
