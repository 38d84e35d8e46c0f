// Measures what one session validation costs (getSession: lucia's lookup of the session and its
// member, no HTTP, one process): what a request saves for each validation it no longer repeats.
//
//   npx tsx bench/session-model.ts          on a copy of bench/data/quick.db (made if missing)
//   ... --calls 5000 --rounds 3
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";

function option(name: string, fallback: number) {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
}
const CALLS = option("calls", 5000);
const ROUNDS = option("rounds", 3);
const source = resolve("bench/data/quick.db");
if (!existsSync(source)) spawnSync(process.execPath, ["--import", "tsx", "bench/seed.ts", "--quick", "--db", source], { stdio: "inherit" });

if (process.env.SESSION_MODEL_COPY) {
  const { getSession, startSession } = await import("../app/utils/auth.server.ts");
  const { db } = await import("../db/client.ts");
  const member = db.$client.prepare("SELECT id FROM users WHERE role = 'member' AND suspended_at IS NULL LIMIT 1").get() as { id: number };
  const cookie = (await startSession(member.id, new Request("http://localhost/"))).split(";")[0]!;
  const request = new Request("http://localhost/", { headers: { Cookie: cookie } });
  if (!(await getSession(request))) throw new Error("the session did not validate");
  for (let round = 1; round <= ROUNDS; round++) {
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) await getSession(request);
    console.log(`getSession, round ${round}: ${(((performance.now() - started) / CALLS) * 1000).toFixed(0)} µs per validation`);
  }
} else {
  const dir = mkdtempSync(join(tmpdir(), "unclench-session-bench-"));
  const copy = join(dir, "bench.db");
  copyFileSync(source, copy);
  const run = spawnSync(process.execPath, ["--import", "tsx", "bench/session-model.ts", ...process.argv.slice(2)], {
    env: { ...process.env, NODE_ENV: "production", DATABASE_PATH: copy, SESSION_MODEL_COPY: "1" },
    stdio: "inherit",
  });
  rmSync(dir, { recursive: true, force: true });
  process.exitCode = run.status ?? 1;
}
