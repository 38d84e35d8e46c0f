// Issue 25: db/schema.sqlite.ts (SQLite) and db/schema.pg.ts (PostgreSQL) must describe the same database.
// Each table is flattened to "table.part.name.property" → value lines per dialect; any line that
// differs is drift. Types are compared after mapping each dialect's types to a shared vocabulary.
import { getTableName, is, SQL, type Column } from "drizzle-orm";
import { boolean as pgBoolean, getTableConfig as pgTableConfig, PgDialect, pgTable, PgTable, text as pgText } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig, integer as sqliteInteger, SQLiteSyncDialect, sqliteTable, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, expectTypeOf, it } from "vitest";
import * as pgSchema from "../db/schema.pg.ts";
import * as sqliteSchema from "../db/schema.sqlite.ts";

type Shape = Map<string, string>;

// Row types per exported table, so tsc (not vitest) fails when the models would see different data.
type Rows<M, Kind extends "$inferSelect" | "$inferInsert"> = {
  [K in keyof M as M[K] extends Record<Kind, unknown> ? K : never]: M[K] extends Record<Kind, infer R> ? R : never;
};

type Config = ReturnType<typeof sqliteTableConfig> | ReturnType<typeof pgTableConfig>;

const sqliteDialect = new SQLiteSyncDialect();
const pgDialect = new PgDialect();

// SQLite stores instants as integers with a mode; PostgreSQL has real types. An integer may
// become bigint in PostgreSQL (values past 2^31), so both count as "integer".
function sqliteType(column: Column): string {
  if (column.columnType === "SQLiteTimestamp") {
    return (column as Column & { mode: string }).mode === "timestamp_ms" ? "timestamp" : "timestamp (seconds)";
  }
  if (column.columnType === "SQLiteBoolean") return "boolean";
  return column.getSQLType();
}

function pgType(column: Column): string {
  const type = column.getSQLType();
  if (type.startsWith("timestamp")) return type.includes("with time zone") ? "timestamp" : "timestamp without time zone";
  if (type === "bigint") return "integer";
  // Bytes: SQLite's blob, PostgreSQL's bytea.
  if (type === "bytea") return "blob";
  return type;
}

function defaultOf(column: Column): string {
  if (!column.hasDefault) return "none";
  // Dialect-specific SQL (unixepoch() vs now()) cannot be compared; values can.
  if (column.default === undefined || is(column.default, SQL)) return "expression";
  return JSON.stringify(column.default);
}

function whereOf(where: SQL | undefined, dialect: SQLiteSyncDialect | PgDialect): string {
  if (!where) return "none";
  const { sql, params } = dialect.sqlToQuery(where);
  return params.length ? `${sql} ${JSON.stringify(params)}` : sql;
}

function shape(config: Config, typeOf: (column: Column) => string, dialect: SQLiteSyncDialect | PgDialect, exportName: string): Shape {
  const lines: Shape = new Map();
  const t = config.name;
  const tableLevelPk = config.primaryKeys.flatMap((pk) => pk.columns.map((c) => c.name));
  lines.set(t, `export ${exportName}`);
  lines.set(`${t}.primary key`, [...config.columns.filter((c) => c.primary).map((c) => c.name), ...tableLevelPk].join(", "));
  for (const column of config.columns) {
    const c = `${t}.column.${column.name}`;
    lines.set(c, "present");
    lines.set(`${c}.type`, typeOf(column));
    lines.set(`${c}.not null`, String(column.notNull));
    lines.set(`${c}.default`, defaultOf(column));
    lines.set(`${c}.unique`, column.isUnique ? (column.uniqueName ?? "unnamed") : "no");
    lines.set(`${c}.enum`, column.enumValues?.join("|") ?? "none");
    // SQLite's AUTOINCREMENT and PostgreSQL's identity both hand out ids on insert.
    const generated = (column as Column & { autoIncrement?: boolean }).autoIncrement === true || column.generatedIdentity !== undefined;
    lines.set(`${c}.generated id`, String(generated));
  }
  for (const unique of config.uniqueConstraints) {
    lines.set(`${t}.unique.${unique.getName() ?? "unnamed"}`, unique.columns.map((c) => c.name).join(", "));
  }
  for (const fk of config.foreignKeys) {
    const ref = fk.reference();
    const from = ref.columns.map((c) => c.name).join(", ");
    const to = `${getTableName(ref.foreignTable)}(${ref.foreignColumns.map((c) => c.name).join(", ")})`;
    lines.set(`${t}.foreign key.${from}`, `${to} on delete ${fk.onDelete ?? "no action"} on update ${fk.onUpdate ?? "no action"}`);
  }
  for (const index of config.indexes) {
    const { name, columns, unique, where } = index.config;
    const names = columns.map((c) => ("name" in c && c.name ? c.name : "(expression)")).join(", ");
    lines.set(`${t}.index.${name}`, `${unique ? "unique " : ""}(${names}) where ${whereOf(where, dialect)}`);
  }
  return lines;
}

function sqliteShapes(module: Record<string, unknown>): Shape {
  const all: Shape = new Map();
  for (const [exportName, value] of Object.entries(module)) {
    if (is(value, SQLiteTable)) for (const [k, v] of shape(sqliteTableConfig(value), sqliteType, sqliteDialect, exportName)) all.set(k, v);
  }
  return all;
}

function pgShapes(module: Record<string, unknown>): Shape {
  const all: Shape = new Map();
  for (const [exportName, value] of Object.entries(module)) {
    if (is(value, PgTable)) for (const [k, v] of shape(pgTableConfig(value), pgType, pgDialect, exportName)) all.set(k, v);
  }
  return all;
}

// One line per difference; a table or column missing on one side is one line, not one per property.
function drift(sqlite: Shape, pg: Shape): string[] {
  const out: string[] = [];
  const missing: string[] = [];
  for (const key of [...new Set([...sqlite.keys(), ...pg.keys()])].sort()) {
    if (missing.some((prefix) => key.startsWith(`${prefix}.`))) continue;
    const a = sqlite.get(key);
    const b = pg.get(key);
    if (a === b) continue;
    if (a === undefined || b === undefined) {
      missing.push(key);
      out.push(`${key}: only in ${a === undefined ? "db/schema.pg.ts" : "db/schema.sqlite.ts"} (${a ?? b})`);
    } else {
      out.push(`${key}: sqlite «${a}» ≠ pg «${b}»`);
    }
  }
  return out;
}

describe("db/schema.sqlite.ts and db/schema.pg.ts", () => {
  it("describe the same tables, columns, keys and indexes", () => {
    const differences = drift(sqliteShapes(sqliteSchema), pgShapes(pgSchema));
    expect(differences, `The schemas drifted:\n  ${differences.join("\n  ")}\n`).toEqual([]);
  });

  it("give the models the same row types to read and to insert", () => {
    expectTypeOf<Rows<typeof pgSchema, "$inferSelect">>().toEqualTypeOf<Rows<typeof sqliteSchema, "$inferSelect">>();
    expectTypeOf<Rows<typeof pgSchema, "$inferInsert">>().toEqualTypeOf<Rows<typeof sqliteSchema, "$inferInsert">>();
    expectTypeOf<pgSchema.User>().toEqualTypeOf<sqliteSchema.User>();
  });

  it("both hold every table the app uses (the comparison is not over two empty lists)", () => {
    const tables = (shapes: Shape) => [...shapes.keys()].filter((k) => !k.includes(".")).sort();
    const sqliteTables = tables(sqliteShapes(sqliteSchema));
    expect(sqliteTables).toContain("users");
    expect(sqliteTables).toContain("rate_limits");
    expect(sqliteTables.length).toBeGreaterThanOrEqual(25);
    expect(tables(pgShapes(pgSchema))).toEqual(sqliteTables);
  });

  it("reports a changed type, a lost not-null, a missing column and a missing table", () => {
    const a = sqliteTable("t", { on: sqliteInteger("on", { mode: "boolean" }).notNull(), gone: sqliteInteger("gone") });
    const b = pgTable("t", { on: pgText("on") });
    const extra = pgTable("extra", { flag: pgBoolean("flag") });
    const differences = drift(sqliteShapes({ a }), pgShapes({ a: b, extra }));
    expect(differences).toEqual([
      "extra: only in db/schema.pg.ts (export extra)",
      "t.column.gone: only in db/schema.sqlite.ts (present)",
      "t.column.on.not null: sqlite «true» ≠ pg «false»",
      "t.column.on.type: sqlite «boolean» ≠ pg «text»",
    ]);
  });
});
