// A consistent copy of the live database, taken while the server keeps running:
//   npm run db:backup -- backups/unclench-2025-01-31.db
// VACUUM INTO writes the copy from one read transaction: members keep posting meanwhile (WAL lets
// readers and the writer work at once), and the copy is the moment the backup began. The online
// backup API it replaces started over whenever anyone wrote, so on a busy forum it never finished.
// Restoring is described in README.md ("Operating it").
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, rmSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";

export function backupDatabase(source: string, target: string) {
  const to = resolve(target);
  if (existsSync(to)) throw new Error(`${to} already exists; choose a new file name so no backup is overwritten.`);
  mkdirSync(dirname(to), { recursive: true });
  // Written under another name and linked into place only once it is whole and checked.
  const partial = `${to}.partial-${process.pid}`;
  try {
    // Our own connection, opened read-only: the backup never writes to the live database.
    const db = new Database(resolve(source), { readonly: true, fileMustExist: true });
    try {
      db.prepare("VACUUM INTO ?").run(partial);
    } finally {
      db.close();
    }
    verify(partial);
    // VACUUM INTO does not sync what it wrote; a backup is only a backup once it is on disk.
    const fd = openSync(partial, "r");
    fsyncSync(fd);
    closeSync(fd);
    // link() refuses an existing name, so a file that appeared meanwhile is not overwritten either.
    linkSync(partial, to);
  } finally {
    rmSync(partial, { force: true });
  }
  return to;
}

/** A quick proof that what was written is a sound database. */
function verify(path: string) {
  const copy = new Database(path, { readonly: true });
  try {
    const result = copy.pragma("integrity_check", { simple: true });
    if (result !== "ok") throw new Error(`the backup failed its integrity check: ${String(result)}`);
  } finally {
    copy.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const target = process.argv[2];
  if (!target || target.startsWith("-")) {
    console.error("Usage: npm run db:backup -- <backup file>");
    process.exit(2);
  }
  const source = process.env.DATABASE_PATH ?? "data/unclench.db";
  try {
    const started = performance.now();
    const written = backupDatabase(source, target);
    console.log(`Backed up ${resolve(source)} to ${written} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(`Backup failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}
