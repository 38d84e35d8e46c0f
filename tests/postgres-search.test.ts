// PostgreSQL's search migration (migrations/pg/0001_search.sql) on a forum that existed before it:
// the visible rows get their words, hidden ones none (docs/decisions/009, 023). SQLite's twin is
// the "migration 0008" test in tests/search-privacy.test.ts.
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type Cluster } from "./pg-cluster.ts";

let cluster: Cluster | undefined;
let pool: pg.Pool;
const scratch = mkdtempSync(join(tmpdir(), "unclench-pg-migrations-"));

beforeAll(async () => {
  cluster = startCluster();
  pool = new pg.Pool({ connectionString: await cluster.createDatabase("search_migration") });
});

afterAll(async () => {
  await pool?.end();
  cluster?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

/** A scratch copy of migrations/pg holding the first migration only, and a way to add the rest. */
function pgMigrationsAfterInit() {
  const source = join(import.meta.dirname, "../migrations/pg");
  const folder = scratch;
  mkdirSync(join(folder, "meta"));
  for (const file of readdirSync(source).filter((f) => f.endsWith(".sql"))) copyFileSync(join(source, file), join(folder, file));
  const journal = JSON.parse(readFileSync(join(source, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const write = (entries: { tag: string }[]) => writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  write(journal.entries.filter((e) => e.tag === "0000_init"));
  return { folder, addTheRest: () => write(journal.entries) };
}

const ids = async (table: string, word: string) =>
  (await pool.query<{ id: number }>(`select id from ${table} where search_vector @@ plainto_tsquery('unclench', $1) order by id`, [word])).rows.map(
    (r) => r.id,
  );

describe("the search migration on PostgreSQL", () => {
  it("gives the visible rows written before it their words, and hidden ones none", async () => {
    const { folder, addTheRest } = pgMigrationsAfterInit();
    const database = drizzle(pool);
    await migrate(database, { migrationsFolder: folder });
    await pool.query(`
      insert into users (id, username, email, password_hash) values (1, 'ada', 'ada@example.org', 'x');
      insert into boards (id, slug, name, description) values (1, 'b', 'Board', 'd');
      insert into threads (id, board_id, author_id, title, last_post_at, removed_at) values
        (1, 1, 1, 'oldword shown', now(), null), (2, 1, 1, 'oldword zqgonetitle', now(), now());
      insert into posts (id, thread_id, author_id, number, body_markdown, body_html, deleted_at, removed_at) values
        (1, 1, 1, 1, 'oldword shown post', '', null, null), (2, 1, 1, 2, 'oldword zqdeleted', '', now(), null),
        (3, 1, 1, 3, 'oldword zqremoved', '', null, now()), (4, 2, 1, 1, 'oldword zqinremovedthread', '', null, null);
      insert into articles (id, slug, title, summary, body_markdown, body_html, "references", author, reviewer, last_reviewed_on, next_review_due_on, updated_at, status)
        values (1, 'a', 'oldword shown', 's', 'b', '', '[]', 'a', 'r', '2026-01-01', '2027-01-01', now(), 'published'),
               (2, 'z', 'oldword zqdraft', 's', 'b', '', '[]', 'a', 'r', '2026-01-01', '2027-01-01', now(), 'draft');`);

    addTheRest();
    await migrate(database, { migrationsFolder: folder });
    expect(await ids("posts", "oldword")).toEqual([1]);
    expect(await ids("threads", "oldword")).toEqual([1]);
    expect(await ids("articles", "oldword")).toEqual([1]);
    // The triggers work on the migrated rows: restoring the thread brings its visible post back.
    await pool.query("update threads set removed_at = null where id = 2");
    expect(await ids("posts", "zqinremovedthread")).toEqual([4]);
    expect(await ids("posts", "zqremoved")).toEqual([]);
  });
});
