// A consistent copy of the live database, taken while the server keeps running:
//   npm run db:backup -- backups/unclench-2025-01-31.db
// Uses SQLite's online backup API (better-sqlite3's db.backup), which copies pages in steps and
// starts over if another connection writes meanwhile, so the copy is always one consistent
// moment. Restoring is described in README.md ("Backups").
import { existsSync, mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";

export async function backupDatabase(source: string, target: string) {
  const to = resolve(target);
  if (existsSync(to)) throw new Error(`${to} already exists; choose a new file name so no backup is overwritten.`);
  mkdirSync(dirname(to), { recursive: true });
  // Our own connection, opened read-only: the backup never writes to the live database.
  const db = new Database(resolve(source), { readonly: true, fileMustExist: true });
  try {
    await db.backup(to);
  } finally {
    db.close();
  }
  // A quick proof that what was written is a sound database.
  const copy = new Database(to, { readonly: true });
  try {
    const result = copy.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new Error(`the backup failed its integrity check: ${String(result)}`);
  } finally {
    copy.close();
  }
  return to;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const target = process.argv[2];
  if (!target || target.startsWith("-")) {
    console.error("Usage: npm run db:backup -- <backup file>");
    process.exit(2);
  }
  const source = process.env.DATABASE_PATH ?? "data/unclench.db";
  try {
    const written = await backupDatabase(source, target);
    console.log(`Backed up ${resolve(source)} to ${written}`);
  } catch (error) {
    console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
