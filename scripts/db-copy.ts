// Moves a forum from SQLite to PostgreSQL (issue 25), into an empty database:
//   npm run db:copy -- --to postgres://user@host/unclench
// Reads DATABASE_PATH (default data/unclench.db) on its own read-only connection, in one read
// transaction, so the copy is the forum as it was when the copy began even if the server keeps
// running (what is written after that is not copied: stop the server first for a real move).
// Rows go through drizzle on both sides: the two schemas give the same row types (docs/decisions/022),
// so dates, booleans and JSON are decoded from SQLite and encoded for PostgreSQL by the same columns.
// It does not import db/client.ts, which opens one engine per process; this script needs both.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { Presets, SingleBar } from "cli-progress";
import { getTableColumns, getTableName, gt, is, sql } from "drizzle-orm";
import { drizzle as sqliteDrizzle } from "drizzle-orm/better-sqlite3";
import { drizzle as pgDrizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import pg from "pg";
import * as pgSchema from "../db/schema.pg.ts";
import * as sqliteSchema from "../db/schema.sqlite.ts";

/** Rows per INSERT: well under PostgreSQL's 65,535 parameters for the widest table (users, 21 columns). */
const BATCH = 1000;

class Refusal extends Error {}

type Pair = { name: string; lite: SQLiteTable; pg: PgTable };

/** Every table of the PostgreSQL schema with its SQLite twin, parents before the tables that reference them. */
function tablesInForeignKeyOrder(): Pair[] {
  const pairs = new Map<string, Pair>();
  for (const [key, table] of Object.entries(pgSchema)) {
    if (!is(table, PgTable)) continue;
    const lite = (sqliteSchema as Record<string, unknown>)[key];
    if (!is(lite, SQLiteTable)) throw new Error(`db/schema.sqlite.ts has no table ${key} to copy from.`);
    pairs.set(getTableName(table), { name: getTableName(table), lite, pg: table });
  }
  const ordered: Pair[] = [];
  const placed = new Set<string>();
  const place = (name: string, path: string[]) => {
    if (placed.has(name)) return;
    if (path.includes(name)) throw new Error(`Foreign keys form a cycle: ${[...path, name].join(" → ")}`);
    const pair = pairs.get(name)!;
    for (const fk of getTableConfig(pair.pg).foreignKeys) {
      const parent = getTableName(fk.reference().foreignTable);
      if (parent !== name) place(parent, [...path, name]);
    }
    placed.add(name);
    ordered.push(pair);
  };
  for (const name of [...pairs.keys()].sort()) place(name, []);
  return ordered;
}

/** The tables whose integer `id` PostgreSQL numbers itself (identity columns). */
const hasIdentityId = (table: PgTable) => getTableConfig(table).columns.some((c) => c.name === "id" && c.columnType === "PgInteger");

function parseTarget(): string {
  const { values } = parseArgs({ options: { to: { type: "string" } } });
  if (!values.to || !/^postgres(ql)?:\/\//.test(values.to)) {
    throw new Refusal("Usage: npm run db:copy -- --to postgres://user@host/database (copies DATABASE_PATH into that empty database)");
  }
  return values.to;
}

async function copy(target: string) {
  const path = resolve(process.env.DATABASE_PATH ?? "data/unclench.db");
  const tables = tablesInForeignKeyOrder();
  const file = new Database(path, { readonly: true, fileMustExist: true });
  const client = new pg.Client({ connectionString: target });
  client.on("error", () => {});
  try {
    assertMigrated(file);
    const lite = sqliteDrizzle(file);
    // One read transaction for every table: the rows and the counts below are one moment of the forum.
    file.exec("BEGIN");
    const sourceCounts = new Map<string, number>();
    for (const { name } of tables) {
      sourceCounts.set(name, (file.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n);
    }

    await client.connect();
    const db = pgDrizzle(client);
    console.log(`Copying ${path} into ${redact(target)}`);
    await migrate(db, { migrationsFolder: resolve(import.meta.dirname, "../migrations/pg") });
    const [{ taken }] = (
      await client.query<{ taken: boolean }>("select exists(select 1 from users) or exists(select 1 from boards) or exists(select 1 from posts) as taken")
    ).rows as [{ taken: boolean }];
    if (taken) {
      throw new Refusal("The target database already has users, boards or posts. db:copy only fills an empty database; no rows were copied.");
    }

    const total = [...sourceCounts.values()].reduce((a, b) => a + b, 0);
    const bar = new SingleBar(
      {
        format: "{table} [{bar}] {percentage}% | {value}/{total} rows | ETA {eta_formatted}",
        fps: 5,
        // Logs (CI) are not terminals: a line every 10 s instead of redrawing.
        noTTYOutput: true,
        notTTYSchedule: 10_000,
      },
      Presets.shades_classic,
    );
    const width = Math.max(...tables.map((t) => t.name.length));
    bar.start(total, 0, { table: "".padEnd(width) });
    try {
      // One transaction for everything: a copy that fails half way leaves the database empty, so it can simply run again.
      await db.transaction(async (tx) => {
        for (const { name, lite: from, pg: to } of tables) {
          bar.update({ table: name.padEnd(width) });
          // Pages by rowid (every table has one), so a large table is read once, not skipped through.
          const columns = { ...getTableColumns(from), rowid_: sql<number>`rowid` };
          for (let after = -Infinity; ;) {
            const rows = lite
              .select(columns)
              .from(from)
              .where(gt(sql`rowid`, after))
              .orderBy(sql`rowid`)
              .limit(BATCH)
              .all();
            if (rows.length === 0) break;
            after = rows[rows.length - 1]!.rowid_;
            const values = rows.map(({ rowid_: _, ...row }) => row);
            await tx.insert(to).values(values as never);
            bar.increment(rows.length);
          }
        }
        // Rows came with their ids: each identity continues after the largest, or starts at 1 when empty.
        for (const { name, pg: table } of tables) {
          if (!hasIdentityId(table)) continue;
          await tx.execute(sql.raw(`select setval(pg_get_serial_sequence('${name}', 'id'), coalesce(max(id), 1), max(id) is not null) from "${name}"`));
        }
      });
    } finally {
      bar.stop();
    }
    file.exec("COMMIT");

    let differs = 0;
    console.log(`\n${"table".padEnd(width)}  ${"sqlite".padStart(9)}  ${"postgres".padStart(9)}`);
    for (const { name } of tables) {
      const copied = Number((await client.query<{ n: string }>(`select count(*) as n from "${name}"`)).rows[0]!.n);
      const source = sourceCounts.get(name)!;
      if (copied !== source) differs++;
      console.log(`${name.padEnd(width)}  ${String(source).padStart(9)}  ${String(copied).padStart(9)}${copied === source ? "" : "  ← differs"}`);
    }
    // The search vectors were filled as the rows went in (migrations/pg/0001_search.sql); the planner
    // needs statistics on them to choose between walking newest-first and the index (decision 023).
    await client.query("analyze");
    console.log("\nSearch: PostgreSQL indexed the words of every visible post, title and article as they were copied.");
    if (differs > 0) {
      console.error(`${differs} table(s) differ between SQLite and PostgreSQL.`);
      return 1;
    }
    console.log(`Copied ${total} rows in ${tables.length} tables.`);
    return 0;
  } finally {
    if (file.inTransaction) file.exec("ROLLBACK");
    file.close();
    await client.end().catch(() => {});
  }
}

/** Copying from an older schema would fail half way on a missing table or column: say what to do instead. */
function assertMigrated(file: Database.Database) {
  const journal = JSON.parse(readFileSync(resolve(import.meta.dirname, "../migrations/meta/_journal.json"), "utf8")) as { entries: unknown[] };
  const hasLog = file.prepare("select 1 from sqlite_master where name = '__drizzle_migrations'").get();
  const applied = hasLog ? (file.prepare("select count(*) as n from __drizzle_migrations").get() as { n: number }).n : 0;
  if (applied < journal.entries.length) {
    throw new Refusal(`${file.name} has ${applied} of ${journal.entries.length} migrations applied: run npm run db:migrate on it first (DATABASE_PATH).`);
  }
}

/** The URL without its password, for the log (a socket URL like postgres://u@/db?host=… is not a WHATWG URL). */
const redact = (url: string) => url.replace(/^(\w+:\/\/[^:@/]*):[^@/]*@/, "$1:***@");

try {
  process.exitCode = await copy(parseTarget());
} catch (error) {
  console.error(error instanceof Refusal ? error.message : error);
  process.exitCode = 1;
}
