// Migrations 0010 (SQLite) and pg/0003 (PostgreSQL): the one profile_hidden switch becomes a choice
// per field, and a member who had hidden their profile keeps it from visitors ("members" for all).
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { drizzle as drizzlePg } from "drizzle-orm/node-postgres";
import { migrate as migratePg } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { inject } from "vitest";
import { migrationsUpTo } from "./migrations.ts";

const expected = [
  { username: "open", bio_visibility: "everyone", conditions_visibility: "everyone", joined_visibility: "everyone" },
  { username: "shy", bio_visibility: "members", conditions_visibility: "members", joined_visibility: "members" },
];

describe("migration 0010 on SQLite: profile_hidden becomes three choices", () => {
  it("gives a hidden profile 'members' for every field, keeps every member, index and search trigger", () => {
    const { folder, addTheRest } = migrationsUpTo("0009_rate_limits");
    const sqlite = new Database(join(folder, "old.db"));
    try {
      sqlite.pragma("foreign_keys = ON");
      const old = drizzle(sqlite);
      migrate(old, { migrationsFolder: folder });
      const schemaOf = () =>
        sqlite.prepare("select type, name from sqlite_master where type in ('index', 'trigger') order by name").all() as { type: string; name: string }[];
      const before = schemaOf();
      sqlite
        .prepare(
          "insert into users (id, username, email, password_hash, profile_hidden) values (1, 'open', 'open@example.org', 'x', 0), (2, 'shy', 'shy@example.org', 'x', 1)",
        )
        .run();
      sqlite.prepare("insert into sessions (id, user_id, expires_at, public_id) values ('s', 2, 1, 'p')").run();

      addTheRest();
      migrate(old, { migrationsFolder: folder });
      const rows = sqlite.prepare("select username, bio_visibility, conditions_visibility, joined_visibility from users order by id").all();
      expect(rows).toEqual(expected);
      const columns = (sqlite.prepare("select name from pragma_table_info('users')").all() as { name: string }[]).map((c) => c.name);
      expect(columns).not.toContain("profile_hidden");
      // The table was altered in place, not rebuilt: its rows' sessions and every index and trigger are still there
      // (later migrations add their own).
      expect(sqlite.prepare("select user_id from sessions").all()).toEqual([{ user_id: 2 }]);
      expect(schemaOf()).toEqual(expect.arrayContaining(before));
      // A new member gets the default.
      sqlite.prepare("insert into users (username, email, password_hash) values ('new', 'new@example.org', 'x')").run();
      expect(sqlite.prepare("select bio_visibility from users where username = 'new'").get()).toEqual({ bio_visibility: "everyone" });
    } finally {
      sqlite.close();
    }
  });
});

// Only when the suite runs on PostgreSQL (UNCLENCH_TEST_DB=postgres), on a database of its own.
describe.runIf(!!inject("postgresCluster"))("migration pg/0003 on PostgreSQL", () => {
  it("gives a hidden profile 'members' for every field", async () => {
    const cluster = inject("postgresCluster");
    const name = `migration_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: cluster.replace("/?", "/postgres?") });
    await admin.connect();
    await admin.query(`create database "${name}"`);
    const client = new pg.Client({ connectionString: cluster.replace("/?", `/${name}?`) });
    await client.connect();
    try {
      const { folder, addTheRest } = migrationsUpTo("0002_search_statistics", "pg");
      await migratePg(drizzlePg(client), { migrationsFolder: folder });
      await client.query(
        "insert into users (username, email, password_hash, profile_hidden) values ('open', 'open@example.org', 'x', false), ('shy', 'shy@example.org', 'x', true)",
      );
      addTheRest();
      await migratePg(drizzlePg(client), { migrationsFolder: folder });
      const { rows } = await client.query("select username, bio_visibility, conditions_visibility, joined_visibility from users order by id");
      expect(rows).toEqual(expected);
      const columns = await client.query("select column_name from information_schema.columns where table_name = 'users' and column_name = 'profile_hidden'");
      expect(columns.rows).toEqual([]);
    } finally {
      await client.end();
      await admin.query(`drop database "${name}"`);
      await admin.end();
    }
  });
});
