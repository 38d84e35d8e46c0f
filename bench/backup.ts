// How long `npm run db:backup` takes on the big forum while members reply, and what it costs the
// live database (the WAL grows while the backup's read transaction holds old pages):
//
//   npx tsx bench/backup.ts [--db bench/data/bench.db] [--rate 50] [--method vacuum|api] [--limit 300]
//
// A child process replies through the model (createReply) at --rate replies per second on a copy
// of the database; the backup runs beside it. `--method api` times the online backup API that
// db:backup used before, for comparison; it gives up after --limit seconds.
import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { backupDatabase } from "../scripts/db-backup.ts";

const { values: args } = parseArgs({
  options: {
    db: { type: "string", default: "bench/data/bench.db" },
    rate: { type: "string", default: "50" },
    method: { type: "string", default: "vacuum" },
    limit: { type: "string", default: "300" },
  },
});
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const size = (path: string) => (existsSync(path) ? statSync(path).size : 0);

if (process.env.BACKUP_BENCH_WRITER) {
  const { sqlite: connections } = await import("../db/client.ts");
  const { createReply } = await import("../app/models/posts.server.ts");
  const sqlite = connections.writer;
  sqlite.prepare("UPDATE users SET guidelines_accepted_at = 1 WHERE guidelines_accepted_at IS NULL").run();
  const members = sqlite
    .prepare("SELECT id, role FROM users WHERE role = 'member' AND suspended_at IS NULL AND silenced_at IS NULL AND deleted_at IS NULL LIMIT 20")
    .all() as { id: number; role: "member" }[];
  const threads = sqlite.prepare("SELECT id FROM threads WHERE locked_at IS NULL AND removed_at IS NULL ORDER BY id DESC LIMIT 200").all() as { id: number }[];
  let n = 0;
  console.log("replying");
  const reply = async () => {
    const result = await createReply(
      { ...members[n % members.length]!, silencedUntil: null },
      threads[n % threads.length]!.id,
      `Reply ${++n} while the backup runs: a warm bath before bed helped.`,
    );
    if (!result.ok) throw new Error(`reply ${n} was refused: ${JSON.stringify(result)}`);
  };
  setInterval(
    () =>
      void reply().catch((error: unknown) => {
        console.error(error);
        process.exit(1);
      }),
    1000 / Number(process.env.BACKUP_BENCH_WRITER),
  );
} else {
  const source = resolve(args.db);
  if (!existsSync(source)) throw new Error(`${source} is missing: run npm run bench:seed first`);
  const dir = mkdtempSync(join(tmpdir(), "unclench-backup-bench-"));
  const live = join(dir, "live.db");
  copyFileSync(source, live);
  console.log(`database ${mb(size(live))}, ${args.rate} replies/s, method ${args.method}`);
  const writer = spawn(process.execPath, ["--import", "tsx", "bench/backup.ts"], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: live, BACKUP_BENCH_WRITER: args.rate },
    stdio: ["ignore", "pipe", "inherit"],
  });
  await new Promise((ready) => writer.stdout!.once("data", ready));
  let walPeak = 0;
  const watch = setInterval(() => (walPeak = Math.max(walPeak, size(`${live}-wal`))), 100);
  const target = join(dir, "backup.db");
  const started = performance.now();
  let outcome: string;
  if (args.method === "api") {
    const reader = new Database(live, { readonly: true });
    let restarts = 0;
    let remaining = Infinity;
    outcome = await Promise.race([
      reader
        .backup(target, { progress: ({ remainingPages }) => ((restarts += remainingPages > remaining ? 1 : 0), (remaining = remainingPages), 100) })
        .then(() => "finished"),
      new Promise<string>((done) => setTimeout(() => done(`not finished after ${args.limit} s`), Number(args.limit) * 1000)),
    ]);
    outcome += `, ${restarts} restarts`;
  } else {
    // Synchronous, so the WAL is sampled again when it returns; the writer is another process.
    backupDatabase(live, target);
    walPeak = Math.max(walPeak, size(`${live}-wal`));
    outcome = "finished and verified";
  }
  const seconds = (performance.now() - started) / 1000;
  clearInterval(watch);
  writer.kill();
  console.log(`backup ${outcome} in ${seconds.toFixed(1)} s; copy ${mb(size(target))}; live WAL peak ${mb(walPeak)}`);
  rmSync(dir, { recursive: true, force: true });
  process.exit(0);
}
