// bench/run.ts's report: the targets judged on a full run, the scenario table and page weight, and
// how to run the bench, written as markdown (bench/RESULTS.md on a complete run).
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { COMMON_TERMS, RARE_TERMS } from "./corpus.ts";
import type { Run } from "./load.ts";
import type { PageWeight } from "./weight.ts";

export type Engine = {
  name: string;
  /** The SQLite file or the redacted postgres:// URL. */
  label: string;
  bytes: number;
  size: { users: number; threads: number; posts: number };
  members: number;
  workers: number;
  idle: { rss: number; pss: number };
};

export type SearchModelTimes = { engine: string; common: Timing; rare: Timing };
type Timing = { p50: number; p95: number; max: number };

export type ReportInput = {
  kind: "quick" | "complete" | "partial";
  startedAt: Date;
  loadBefore: number[];
  engines: Engine[];
  runs: Run[];
  duration: number;
  warmup: number;
  levels: number[];
  serverNote: string;
  model: SearchModelTimes | null;
  modelCalls: number;
  weight: PageWeight;
  memberWeight: PageWeight;
};

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const gb = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GB`;

type Target = [string, string, boolean | null];

function targetsOf(input: ReportInput, engine: Engine): Target[] {
  const runs = input.runs.filter((r) => r.engine === engine.name);
  const suffix = input.engines.length > 1 ? ` — ${engine.name}` : "";
  const at = (key: string, connections: number) => runs.find((r) => r.scenario.startsWith(key) && r.connections === connections);
  const at100 = runs.filter((r) => r.connections === 100);
  const peakRss = Math.max(engine.idle.rss, ...runs.map((r) => r.peakRss));
  const peakPss = Math.max(engine.idle.pss, ...runs.map((r) => r.peakPss));
  const targets: Target[] = [];
  const check = (label: string, run: Run | undefined, pass: (r: Run) => boolean, shown: (r: Run) => string) =>
    targets.push([label + suffix, run ? shown(run) : "not run", run ? pass(run) : null]);
  check(
    "Thread page ≥ 800 req/s, p99 < 50 ms (10 conn)",
    at("Thread", 10),
    (r) => r.rps >= 800 && r.p99 < 50,
    (r) => `${r.rps.toFixed(0)} req/s, p99 ${r.p99} ms`,
  );
  check(
    "Board page ≥ 1,000 req/s (10 conn)",
    at("Board", 10),
    (r) => r.rps >= 1000,
    (r) => `${r.rps.toFixed(0)} req/s`,
  );
  const model = input.model?.engine === engine.name ? input.model : null;
  if (model || input.engines.length === 1)
    targets.push([
      "Search p95 < 20 ms in the model (searchForum, no HTTP)" + suffix,
      model ? `common ${model.common.p95} ms, rare ${model.rare.p95} ms` : "not run",
      model ? model.common.p95 < 20 && model.rare.p95 < 20 : null,
    ]);
  for (const [which, key] of [
    ["common", "Search, common"],
    ["rare", "Search, rare"],
  ])
    check(
      `Search ≥ 300 req/s over HTTP, ${which} term (10 conn)`,
      at(key!, 10),
      (r) => r.rps >= 300,
      (r) => `${r.rps.toFixed(0)} req/s, p95 ${r.p95} ms`,
    );
  check(
    "Reply POST ≥ 300/s sustained (10 conn)",
    at("Reply", 10),
    (r) => r.rps >= 300,
    (r) => `${r.rps.toFixed(0)} replies/s`,
  );
  targets.push([
    "Zero errors at 100 connections" + suffix,
    at100.length ? at100.map((r) => `${r.scenario}: ${r.errors + r.bad}`).join("; ") : "not run",
    at100.length ? at100.every((r) => r.errors === 0 && r.bad === 0) : null,
  ]);
  targets.push([
    "Server RSS < 300 MB (all processes)" + suffix,
    `${peakRss.toFixed(0)} MB peak, ${engine.idle.rss.toFixed(0)} MB idle; PSS ${peakPss.toFixed(0)} MB peak, ${engine.idle.pss.toFixed(0)} MB idle`,
    peakRss < 300,
  ]);
  return targets;
}

export function renderReport(input: ReportInput) {
  const { weight, memberWeight, model, engines, runs } = input;
  const quick = input.kind === "quick";
  const cpu = os.cpus();
  const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim();
  const dirty = spawnSync("git", ["status", "--porcelain", "--", "app", "db", "server.ts", "migrations"], { encoding: "utf8" }).stdout.trim();
  const onPostgres = engines.some((e) => e.name === "PostgreSQL");
  const targets = engines.flatMap((e) => targetsOf(input, e));
  targets.push([
    "50-post thread page HTML (incl. loader data) < 200 KB",
    `members ${kb(memberWeight.htmlMax)} max, ${kb(memberWeight.htmlMedian)} median; visitors ${kb(weight.htmlMax)} max`,
    Math.max(weight.htmlMax, memberWeight.htmlMax) < 200 * 1024,
  ]);
  targets.push([
    "JavaScript on the thread page < 90 KB gzipped",
    `members ${kb(memberWeight.jsGz)} (${memberWeight.scripts} files, ${kb(memberWeight.js)} raw, ${kb(memberWeight.jsBr)} as brotli); visitors ${kb(weight.jsGz)} (${weight.scripts} files)`,
    Math.max(weight.jsGz, memberWeight.jsGz) < 90 * 1024,
  ]);
  const mark = (pass: boolean | null) => (pass === null ? "–" : pass ? "pass" : "**MISS**");
  const workers = (e: Engine) => (e.workers > 1 ? `primary + ${e.workers} workers` : "one process");
  const dbCol = onPostgres ? " of which DB server⁵ |" : "";
  return `## ${quick ? "Quick (smoke) run" : input.kind === "complete" ? "Latest full run" : "Partial run"}

- Date: ${input.startedAt.toISOString()} · commit ${commit}${dirty ? " + uncommitted changes" : ""}
- Machine: ${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.platform()} ${os.release()}; load average before the run ${input.loadBefore.map((l) => l.toFixed(2)).join(" / ")}
- Node ${process.version}; server: **${workers(engines[0]!)}** (\`node build/server.js\`, NODE_ENV=production, RATE_LIMIT_SCALE=1000000${input.serverNote}); autocannon runs in the bench process on the same machine
${engines.map((e) => `- Database (${e.name}): ${e.label} (${gb(e.bytes)}): ${e.size.users} users, ${e.size.threads} threads, ${e.size.posts} posts at the start`).join("\n")}
- Settings: ${input.duration} s per run after a ${input.warmup} s warm-up per scenario; connections ${input.levels.join(", ")}; requests send \`Accept-Encoding: gzip, deflate, br\`; read scenarios are anonymous; ${engines[0]!.members} members logged in for the reply loop${engines.length > 1 ? "; the engines take turns run by run (each scenario and connection count on one, then on the next), each server idle while the other is measured" : ""}

${
  quick
    ? ""
    : `### Targets

| Target | Measured | |
|---|---|---|
${targets.map(([label, measured, pass]) => `| ${label} | ${measured} | ${mark(pass)} |`).join("\n")}

`
}### Scenarios

| Engine | Scenario | Conn | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx¹ | CPU ms/req²${onPostgres ? " |" : ""}${dbCol} disk KB/req⁴ | peak RSS MB | peak PSS MB³ |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|${onPostgres ? "---:|" : ""}---:|---:|---:|
${runs.map((r) => `| ${r.engine} | ${r.scenario} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.bad} | ${r.cpuPerRequest} |${onPostgres ? ` ${r.dbCpuPerRequest} |` : ""} ${r.diskKbPerRequest} | ${r.peakRss.toFixed(0)} | ${r.peakPss.toFixed(0)} |`).join("\n")}

¹ responses other than the expected status (200 for pages, 302 for a reply); req/s counts expected responses only.
² CPU time of the server's processes (all their threads, from /proc) per response, and on PostgreSQL of the database
server's processes too: steadier than req/s when the machine is shared, and 1000 / it is roughly what one core could serve.
³ proportional set size: like RSS summed over the processes, but a page they share counts once. Memory is the app
server's processes only, never PostgreSQL's.
⁴ read from the storage device by the server's processes (\`read_bytes\` in /proc), per response: what the OS
page cache did not have. The database is read into it before each scenario.${
    onPostgres
      ? `
⁵ the PostgreSQL server's part of the CPU column: the postmaster and all its children (backends, WAL writer,
checkpointer, autovacuum), including children that exited during the run.`
      : ""
  }

${
  model
    ? `### Search in the model (searchForum called directly on ${model.engine}, pages 1–3, ${input.modelCalls} calls per group)

- Common terms (${COMMON_TERMS.join(", ")}): p50 ${model.common.p50} ms, p95 ${model.common.p95} ms, max ${model.common.max} ms
- Rare terms (${RARE_TERMS.join(", ")}): p50 ${model.rare.p50} ms, p95 ${model.rare.p95} ms, max ${model.rare.max} ms

`
    : ""
}### Thread page weight (${weight.pages} random full pages, as a visitor and as a member)

${(
  [
    ["Members", memberWeight],
    ["Visitors", weight],
  ] as const
)
  .map(
    ([who, w]) =>
      `- ${who}: document HTML (uncompressed, includes any embedded loader data) median ${kb(w.htmlMedian)}, max ${kb(w.htmlMax)}, gzipped max ${kb(w.htmlGzMax)}; embedded loader data (window.__remixContext) max ${kb(w.contextMax)}; JavaScript ${w.scripts} files, ${kb(w.js)} raw, ${kb(w.jsGz)} sent gzipped, ${kb(w.jsBr)} sent as brotli`,
  )
  .join("\n")}
- The same loader data fetched on client navigation (?_data, as a member): max ${kb(memberWeight.dataMax)}
`;
}

const HOWTO = `# Benchmark

How to run it:

\`\`\`sh
npm run bench:seed                      # bench/data/bench.db: 100,000 threads, 1,000,000 posts (about a minute)
npm run bench                           # full run (~4 min), rewrites the "Latest full run" section below
npm run bench -- --quick                # CI smoke run: tiny database, seconds, no thresholds
npm run bench -- --only thread --connections 10 --profile   # one scenario, CPU profile in bench/data/profiles/
npx tsx bench/profile.ts bench/data/profiles/<file>.cpuprofile  # where that CPU time went
npm run bench:render                    # CPU ms per page through the built app's handler, no HTTP (steadier for A/B)
npm run bench:floor                     # the same thread pages from bare Express + compression(): the stack's own floor
npx tsx bench/pg-cluster.ts start /tmp/bench-pg/cluster   # a durable PostgreSQL on a unix socket; prints its URL
DATABASE_PATH=bench/data/bench.db npm run db:copy -- --to postgres://…   # the same forum on PostgreSQL
npm run bench -- --db bench/data/bench.db --db postgres://…  # both engines in one sitting, taking turns
npm run bench:servers -- --db postgres://…   # nginx in front of 1 and 2 app servers on one PostgreSQL, then kill -9 one
\`\`\`

- \`bench:seed\` flags: \`--threads\`, \`--posts\`, \`--members\`, \`--seed\` (default 42; same seed, same forum), \`--db\`, \`--quick\`
  (300 threads / 3,000 posts). Every generated member's password is in bench/corpus.ts.
- \`bench\` flags: \`--db\` (a SQLite file or a postgres:// URL; give it twice to compare engines), \`--port\` (default 3200;
  the second engine's server uses the next port), \`--duration\` (seconds per run), \`--connections\`, \`--only\`
  (thread, board, home, search-common, search-rare, reply), \`--profile\` (\`node --cpu-prof\` on the server), \`--build\`
  (rebuild first; it builds anyway when build/ is missing), \`--server-flags=...\` (node flags for the server only, e.g. \`--server-flags=--max-old-space-size=256\`).
  Runs with any of \`--only\`, \`--duration\`, \`--connections\`, \`--profile\`, \`--server-flags\`, \`--workers\`, or on PostgreSQL,
  write bench/data/partial-results.md instead of this file.
- Production runs as \`npm run serve\`: a primary process and **one worker per core** (two here), each with its own
  SQLite connection (WAL: readers in parallel, one writer at a time). The bench measures exactly that; RSS and CPU are
  summed over all the server's processes. \`--workers 1\` runs the web server in one process, for comparison.
- On PostgreSQL the CPU per request adds the database server's processes (found from its postmaster.pid), so the two
  engines are compared on all the work a request costs the machine.
- The bench server gets \`RATE_LIMIT_SCALE=1000000\` (app/utils/rate-limit.server.ts multiplies every allowance by it),
  so the reply loop is never refused by the per-member limits while the limiter still does its work. Never set it in production.
- The database file is read before the run, and again before each scenario, so it sits in the OS page cache as on a
  production server: this machine's kernel pages out file pages left untouched for about a minute (a DAMON
  \`pageout\` scheme, /sys/kernel/mm/damon), and the scenarios read random threads from the whole history. On
  PostgreSQL the database's files in the data directory are read the same way.
- The reply loop adds posts to the bench database; regenerate it (\`npm run bench:seed\`) for strictly comparable runs.
- Figures come from a shared 2-core machine: compare runs made under similar load (the load average is recorded).
`;

const NOTES_MARK = "<!-- Everything below this line is kept by bench/run.ts: findings, before/after figures. -->";

/** Writes the how-to and the report, keeping whatever the file holds below NOTES_MARK. */
export function writeReport(outFile: string, report: string) {
  const previous = existsSync(outFile) ? readFileSync(outFile, "utf8") : "";
  const notes = previous.includes(NOTES_MARK) ? previous.slice(previous.indexOf(NOTES_MARK) + NOTES_MARK.length) : "\n";
  writeFileSync(outFile, `${HOWTO}\n${report}\n${NOTES_MARK}${notes}`);
}
