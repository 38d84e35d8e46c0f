import { join } from "node:path";
import Database from "better-sqlite3";
import { drizzle } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { describe, expect, it } from "vitest";
import { migrationsUpTo } from "./migrations.ts";

describe("migration 0004: sessions from before it", () => {
  it("stay logged in, each with its own public id and no device or times", () => {
    // Migrate a scratch database up to 0003, sign someone in the old way, then apply the rest.
    const { folder, addTheRest } = migrationsUpTo("0003_board_pinned_index");

    const sqlite = new Database(join(folder, "old.db"));
    try {
      sqlite.pragma("foreign_keys = ON");
      const old = drizzle(sqlite);
      migrate(old, { migrationsFolder: folder });
      sqlite.prepare("insert into users (id, username, email, password_hash, created_at) values (1, 'ada', 'ada@example.org', 'x', 0)").run();
      const expires = Math.floor(Date.now() / 1000) + 86400;
      sqlite.prepare("insert into sessions (id, user_id, expires_at) values ('old-one', 1, ?), ('old-two', 1, ?)").run(expires, expires);

      addTheRest();
      migrate(old, { migrationsFolder: folder });
      const rows = sqlite.prepare("select * from sessions order by id").all() as Record<string, unknown>[];
      expect(rows).toEqual([
        {
          id: "old-one",
          user_id: 1,
          expires_at: expires,
          public_id: expect.stringMatching(/^[0-9a-f]{32}$/),
          user_agent: null,
          created_at: null,
          last_seen_at: null,
        },
        {
          id: "old-two",
          user_id: 1,
          expires_at: expires,
          public_id: expect.stringMatching(/^[0-9a-f]{32}$/),
          user_agent: null,
          created_at: null,
          last_seen_at: null,
        },
      ]);
      expect(rows[0]!.public_id).not.toBe(rows[1]!.public_id);
      // Still tied to the user: deleting the user takes the sessions with it.
      sqlite.prepare("delete from users where id = 1").run();
      expect(sqlite.prepare("select count(*) as n from sessions").get()).toEqual({ n: 0 });
    } finally {
      sqlite.close();
    }
  });
});
