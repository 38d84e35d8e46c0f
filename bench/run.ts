// `npm run bench -- [--quick] [--db path|postgres://…]… [--port 3200] [--duration 10] [--connections 1,10,100]
//   [--only thread,board,...] [--profile] [--build]`
//
// Starts the production server as production runs it (`npm run serve`: one worker per core) on the benchmark database,
// drives it with autocannon from this process, and writes bench/RESULTS.md (bench/data/
// quick-results.md with --quick, which is the CI smoke run: it fails only when a scenario
// does not work at all; thresholds are judged on the full run, never in tests).
// `--db` twice (a SQLite file and a postgres:// URL holding the same forum, see scripts/db-copy.ts)
// starts a server on each and lets the engines take turns, run by run, in one sitting.
import { spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync } from "node:fs";
import os from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { logInAll, meter, startAppServer, type AppServer, type Meter } from "./app-server.ts";
import { COMMON_TERMS, RARE_TERMS, Rng } from "./corpus.ts";
import { databaseBytes, databaseEnv, databaseFiles, engineName, isPostgres, pickMembers, readFacts, redact, type Facts } from "./facts.ts";
import { cannon, describeRun, percentile, round, scenarios, searchParam, type Run, type Scenario } from "./load.ts";
import { renderReport, writeReport, type Engine, type SearchModelTimes } from "./report.ts";
import { pageWeight, type PageWeight } from "./weight.ts";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    db: { type: "string", multiple: true },
    port: { type: "string", default: "3200" },
    duration: { type: "string" },
    connections: { type: "string", default: "1,10,100" },
    only: { type: "string" },
    profile: { type: "boolean", default: false },
    build: { type: "boolean", default: false },
    // Extra node flags for the server only: --server-flags=--max-old-space-size=128 (with "=").
    "server-flags": { type: "string", default: "" },
    // WEB_CONCURRENCY for the server; unset, it starts one worker per core as production does.
    workers: { type: "string" },
  },
});

const quick = args.quick;
const dbs = (args.db ?? [quick ? "bench/data/quick.db" : "bench/data/bench.db"]).map((db) => (isPostgres(db) ? db : resolve(db)));
if (new Set(dbs.map(engineName)).size !== dbs.length) throw new Error("--db takes at most one SQLite file and one postgres:// URL");
const port = Number(args.port);
const duration = Number(args.duration ?? (quick ? 2 : 10));
const warmup = quick ? 0 : 3;
const levels = args.connections.split(",").map(Number);
const only = args.only?.split(",");
// Only a complete, unprofiled full run on the SQLite default engine may replace the recorded figures.
const complete =
  !quick &&
  !only &&
  !args.profile &&
  !args.duration &&
  !args["server-flags"] &&
  !args.workers &&
  args.connections === "1,10,100" &&
  dbs.length === 1 &&
  !isPostgres(dbs[0]!);
const outFile = resolve(quick ? "bench/data/quick-results.md" : complete ? "bench/RESULTS.md" : "bench/data/partial-results.md");
const dataDir = resolve("bench/data");
mkdirSync(dataDir, { recursive: true });

function sh(command: string, commandArgs: string[]) {
  const result = spawnSync(command, commandArgs, { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed`);
}

// ---- Database and build -------------------------------------------------------------------
// A PostgreSQL database is never generated here: fill it with `npm run db:copy` from a SQLite one.
for (const db of dbs) {
  if (isPostgres(db) || (!quick && existsSync(db))) continue;
  console.log(`Generating ${db}…`);
  sh(process.execPath, ["--import", "tsx", "bench/seed.ts", ...(quick ? ["--quick"] : []), "--db", db]);
}
if (args.build || !existsSync("build/server.js")) sh("npm", ["run", "build"]);

/** One engine under test: its database, its server, what it measures, and its own request sequence. */
type Target = {
  db: string;
  engine: string;
  facts: Facts;
  members: string[];
  // Same seed for every engine: each is asked for the same pages in the same order.
  rng: Rng;
  server: AppServer;
  meter?: Meter;
  scenarios: Scenario[];
  info?: Engine;
};

const profileDir = resolve(dataDir, "profiles");
const targets: Target[] = [];
for (const [i, db] of dbs.entries()) {
  const facts = await readFacts(db);
  const rng = new Rng(7);
  const members = pickMembers(facts.everyone, rng, quick ? 10 : 100);
  if (!facts.threadPages.length || !members.length) throw new Error(`${redact(db)} has no 50-post threads or no bench members`);
  const server = startAppServer({
    db,
    port: port + i,
    logFile: resolve(dataDir, "server.log"),
    workers: args.workers,
    nodeFlags: [...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), ...args["server-flags"].split(" ").filter(Boolean)],
  });
  targets.push({ db, engine: engineName(db), facts, members, rng, server, scenarios: [] });
}
process.on("SIGINT", () => process.exit(130));

// A production server has its database in the OS page cache; so does the bench (one sequential
// read), so that runs measure the app rather than how much of the file the last run left cached.
// It is read again before each scenario: this kind of machine pages out file pages left untouched
// for about a minute (a DAMON "pageout" scheme in the kernel), and the scenarios ask for pages of
// random threads across the whole history, so later scenarios found most of it gone and waited on
// the disk (bench/RESULTS.md, twelfth pass). "disk KB/req" shows what still came from the disk.
async function warmPageCache(db: string) {
  for (const file of await databaseFiles(db)) {
    for await (const _chunk of createReadStream(file, { highWaterMark: 4 << 20 })) {
      // reading is the point
    }
  }
}

// ---- Search in the model (no HTTP): the app's own search function, timed in this process ------------
// The app's database client opens one engine per process, so this times the first --db only.
async function searchModel(db: string): Promise<SearchModelTimes | null> {
  if (!existsSync("app/models/search.server.ts")) return null;
  Object.assign(process.env, databaseEnv(db)); // read-only use; the server process did the migrations
  const model = (await import("../app/models/search.server.ts")) as {
    searchForum?: (input: { q: string; page?: number }) => Promise<unknown>;
  };
  if (typeof model.searchForum !== "function") return null;
  const rng = new Rng(11);
  const time = async (terms: string[]) => {
    const ms: number[] = [];
    for (let i = 0; i < (quick ? 20 : 200); i++) {
      const started = performance.now();
      await model.searchForum!({ q: rng.pick(terms), page: rng.int(1, 3) });
      ms.push(performance.now() - started);
    }
    ms.sort((a, b) => a - b);
    return { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), max: round(ms.at(-1)!) };
  };
  return { engine: engineName(db), common: await time(COMMON_TERMS), rare: await time(RARE_TERMS) };
}

// ---- Run ---------------------------------------------------------------------------------------------
const startedAt = new Date();
const loadBefore = os.loadavg();
const runs: Run[] = [];
let weight: PageWeight | undefined;
let memberWeight: PageWeight | undefined;
let model: SearchModelTimes | null = null;
try {
  for (const t of targets) {
    await warmPageCache(t.db);
    await t.server.ready();
    t.meter = await meter(t.db, () => [t.server]);
    const cookies = await logInAll(t.server.origin, t.members);
    const search = await searchParam(t.server.origin);
    if (!search) console.log(`No /search route yet on ${t.engine}: search scenarios skipped.`);
    t.scenarios = scenarios({ facts: t.facts, rng: t.rng, cookies, origin: t.server.origin, search, only });
    t.info = {
      name: t.engine,
      label: isPostgres(t.db) ? redact(t.db) : t.db.replace(process.cwd() + "/", ""),
      bytes: await databaseBytes(t.db),
      size: t.facts.size,
      members: t.members.length,
      workers: Math.max(1, t.server.pids().length - 1),
      idle: t.meter.memory(),
    };
    if (!weight) {
      // Visitors get read-only pages without scripts (app/utils/scripts.ts); members get them all.
      const common = { origin: t.server.origin, rng: new Rng(13), threadPages: t.facts.threadPages, pages: quick ? 3 : 20 };
      weight = await pageWeight(common);
      memberWeight = await pageWeight({ ...common, cookie: cookies[0] });
      model = search ? await searchModel(t.db) : null;
    }
  }
  const keys = [...new Set(targets.flatMap((t) => t.scenarios.map((s) => s.key)))];
  for (const key of keys) {
    const present = targets.flatMap((t) => t.scenarios.filter((s) => s.key === key).map((s) => ({ t, s })));
    for (const { t, s } of present) {
      if (!quick) await warmPageCache(t.db);
      if (warmup) await cannon({ origin: t.server.origin, engine: t.engine, meter: t.meter! }, s, 10, warmup);
    }
    for (const connections of levels) {
      for (const { t, s } of present) {
        if (t.server.exited) throw new Error("A server died; see bench/data/server.log");
        const run = await cannon({ origin: t.server.origin, engine: t.engine, meter: t.meter! }, s, connections, duration);
        runs.push(run);
        console.log(describeRun(run));
      }
    }
  }
} finally {
  await Promise.all(targets.map((t) => t.server.stop()));
}

// ---- Report -----------------------------------------------------------------------------------------------
const report = renderReport({
  kind: quick ? "quick" : complete ? "complete" : "partial",
  startedAt,
  loadBefore,
  engines: targets.map((t) => t.info!),
  runs,
  duration,
  warmup,
  levels,
  serverNote: `${args.profile ? ", --cpu-prof" : ""}${args["server-flags"] ? `, ${args["server-flags"]}` : ""}`,
  model,
  modelCalls: quick ? 20 : 200,
  weight: weight!,
  memberWeight: memberWeight!,
});
writeReport(outFile, report);
console.log(`\n${quick ? report : report.split("### Scenarios")[0]}\nWrote ${outFile.replace(process.cwd() + "/", "")}`);
if (args.profile) console.log(`CPU profile(s) in ${profileDir}`);

// The smoke test: every scenario answered as expected at least once, and never otherwise
// (a 403, 404 or 500 means the bench or the app is broken, whatever the speed).
const broken = [...new Set(runs.map((r) => `${r.engine} ${r.scenario}`))].filter((name) =>
  runs.every((r) => `${r.engine} ${r.scenario}` !== name || r.ok === 0),
);
const wrong = runs.filter((r) => r.bad > 0);
if (broken.length || wrong.length || !runs.length) {
  if (broken.length) console.error(`No successful responses: ${broken.join(", ")}`);
  if (wrong.length) console.error(`Unexpected statuses: ${wrong.map((r) => `${r.engine} ${r.scenario} @${r.connections}: ${r.bad}`).join(", ")}`);
  process.exitCode = 1;
}
