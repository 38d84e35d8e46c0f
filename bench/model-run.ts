// Shared by the model benchmarks (bench/*-model.ts): their flags, and a fresh database per round.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

/** A numeric `--name value` flag. */
export function option(name: string, fallback: number) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}

/**
 * Runs `script` again in a child process on its own copy of bench/data/quick.db (generated if
 * missing), with `env` set so the child knows it is the measuring side; returns what it printed.
 * Each call starts from the same database, so rounds and commits compare like for like.
 */
export function runOnQuickCopy(script: string, env: Record<string, string>) {
  const source = resolve("bench/data/quick.db");
  if (!existsSync(source)) spawnSync(process.execPath, ["--import", "tsx", "bench/seed.ts", "--quick", "--db", source], { stdio: "inherit" });
  const dir = mkdtempSync(join(tmpdir(), "unclench-model-bench-"));
  const copy = join(dir, "bench.db");
  copyFileSync(source, copy);
  const run = spawnSync(process.execPath, ["--import", "tsx", script, ...process.argv.slice(2)], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: copy, ...env },
    encoding: "utf8",
  });
  rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(run.stderr);
  return run.stdout.trim();
}
