import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A scratch copy of migrations/ that stops after `tag`, so a database migrated with it is as it
 * was then; `addTheRest()` makes the copy whole again for the next migrate() to apply the rest.
 * `dir` "pg" copies PostgreSQL's migrations (migrations/pg) instead.
 */
export function migrationsUpTo(tag: string, dir: "" | "pg" = "") {
  const source = join(import.meta.dirname, "../migrations", dir);
  const folder = mkdtempSync(join(tmpdir(), "unclench-migrations-"));
  mkdirSync(join(folder, "meta"));
  for (const file of readdirSync(source).filter((f) => f.endsWith(".sql"))) copyFileSync(join(source, file), join(folder, file));
  const journal = JSON.parse(readFileSync(join(source, "meta/_journal.json"), "utf8")) as { entries: { tag: string }[] };
  const write = (entries: { tag: string }[]) => writeFileSync(join(folder, "meta/_journal.json"), JSON.stringify({ ...journal, entries }));
  write(journal.entries.slice(0, journal.entries.findIndex((e) => e.tag === tag) + 1));
  return { folder, addTheRest: () => write(journal.entries) };
}
