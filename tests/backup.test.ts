import { spawn, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { databasePath } from "../db/client.ts";
import { usesPostgres } from "../db/dialect.ts";
import { createThread } from "./helpers.ts";
import { backupDatabase } from "../scripts/db-backup.ts";
import { member } from "./helpers.ts";

const dir = mkdtempSync(join(tmpdir(), "unclench-backup-"));

/** What an operator does to restore: put the backup file where the server expects its database. */
function restore(backup: string, name: string) {
  const restored = join(dir, name);
  copyFileSync(backup, restored);
  return new Database(restored, { readonly: true });
}

// The command-line cases start tsx in a child process, which takes a few seconds on a busy machine.
// db:backup copies a SQLite file; PostgreSQL is backed up with its own tools (README, pg_dump).
describe.skipIf(usesPostgres())("db:backup", () => {
  it("copies the live database, including writes still in the WAL, and the copy restores", async () => {
    const sam = await member("sam");
    const { threadId } = await createThread(sam, "medications", { title: "Tizanidine and dry mouth", body: "Anyone else?" });
    // The server's connection stays open throughout, as it would in production.
    const target = join(dir, "nested", "first.db");
    expect(backupDatabase(databasePath(), target)).toBe(target);

    const copy = restore(target, "restored.db");
    expect(copy.prepare("select username from users where username = 'sam'").get()).toEqual({ username: "sam" });
    expect(copy.prepare("select title from threads where id = ?").get(threadId)).toEqual({ title: "Tizanidine and dry mouth" });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    copy.close();
  });

  it("runs from the command line against DATABASE_PATH, and never overwrites a file", () => {
    const target = join(dir, "cli.db");
    const run = () =>
      spawnSync(join("node_modules", ".bin", "tsx"), ["scripts/db-backup.ts", target], {
        env: { ...process.env, DATABASE_PATH: databasePath() },
        encoding: "utf8",
      });
    const first = run();
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`to ${target}`);
    const copy = restore(target, "restored-cli.db");
    expect(copy.prepare("select count(*) as n from users where username = 'sam'").get()).toEqual({ n: 1 });
    copy.close();

    const before = readFileSync(target);
    const second = run();
    expect(second.status).toBe(1);
    expect(second.stderr).toMatch(/already exists/);
    expect(readFileSync(target).equals(before)).toBe(true);
  }, 60_000);

  it("copies one consistent moment while another process writes without pause", async () => {
    const source = join(dir, "busy.db");
    const setup = new Database(source);
    setup.pragma("journal_mode = WAL");
    setup.exec("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL); CREATE TABLE tally (n INTEGER NOT NULL); INSERT INTO tally VALUES (0);");
    // A few MB, so a page-by-page copy takes many steps for the writer to interrupt.
    const insert = setup.prepare("INSERT INTO notes (body) VALUES (?)");
    setup.transaction(() => {
      for (let i = 0; i < 2000; i++) insert.run("x".repeat(2000));
    })();
    setup.exec("UPDATE tally SET n = (SELECT count(*) FROM notes)");
    setup.close();

    // Each write adds a note and counts it in the same transaction, as a reply updates its thread.
    const writer = spawn(process.execPath, [
      "-e",
      `const db = new (require("better-sqlite3"))(${JSON.stringify(source)}); db.pragma("busy_timeout = 5000");
       const add = db.transaction(() => { db.prepare("INSERT INTO notes (body) VALUES (?)").run("y".repeat(500)); db.prepare("UPDATE tally SET n = n + 1").run(); });
       console.log("writing"); for (;;) add();`,
    ]);
    try {
      await new Promise((resolve) => writer.stdout.once("data", resolve));
      const target = join(dir, "busy-copy.db");
      const run = spawn(join("node_modules", ".bin", "tsx"), ["scripts/db-backup.ts", target], { env: { ...process.env, DATABASE_PATH: source } });
      const code = await new Promise((resolve) => run.once("exit", resolve));
      expect(code).toBe(0);
      const copy = new Database(target, { readonly: true });
      const { notes, tally } = copy.prepare("SELECT (SELECT count(*) FROM notes) AS notes, (SELECT n FROM tally) AS tally").get() as {
        notes: number;
        tally: number;
      };
      expect(notes).toBeGreaterThan(2000);
      expect(tally).toBe(notes);
      copy.close();
    } finally {
      writer.kill("SIGKILL");
    }
  }, 60_000);

  it("explains its usage when no file is given", () => {
    const res = spawnSync(join("node_modules", ".bin", "tsx"), ["scripts/db-backup.ts"], { encoding: "utf8" });
    expect(res.status).toBe(2);
    expect(res.stderr).toMatch(/Usage: npm run db:backup -- <backup file>/);
    expect(existsSync(join(dir, "undefined"))).toBe(false);
  }, 30_000);
});
