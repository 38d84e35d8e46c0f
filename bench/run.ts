// `npm run bench -- [--quick] [--db path] [--port 3200] [--duration 10] [--connections 1,10,100]
//   [--only thread,board,...] [--profile] [--build]`
//
// Starts the production server as production runs it (`npm run serve`: one worker per core) on the benchmark database,
// drives it with autocannon from this process, and writes bench/RESULTS.md (bench/data/
// quick-results.md with --quick, which is the CI smoke run: it fails only when a scenario
// does not work at all; thresholds are judged on the full run, never in tests).
import { spawn, spawnSync } from "node:child_process";
import { createReadStream, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { get } from "node:http";
import os from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import autocannon from "autocannon";
import Database from "better-sqlite3";
import { cpuMsOf, diskReadBytesOf, memoryOf, processTree } from "./proc.ts";
import { AUTHOR_SKEW, BENCH_EMAIL_DOMAIN, BENCH_PASSWORD, COMMON_TERMS, RARE_TERMS, replyBody, Rng } from "./corpus.ts";

const { values: args } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    db: { type: "string" },
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
const dbPath = resolve(args.db ?? (quick ? "bench/data/quick.db" : "bench/data/bench.db"));
const port = Number(args.port);
const origin = `http://localhost:${port}`;
const duration = Number(args.duration ?? (quick ? 2 : 10));
const warmup = quick ? 0 : 3;
const levels = args.connections.split(",").map(Number);
const only = args.only?.split(",");
// Only a complete, unprofiled full run may replace the recorded figures.
const complete = !quick && !only && !args.profile && !args.duration && !args["server-flags"] && !args.workers && args.connections === "1,10,100";
const outFile = resolve(quick ? "bench/data/quick-results.md" : complete ? "bench/RESULTS.md" : "bench/data/partial-results.md");
const dataDir = resolve("bench/data");
mkdirSync(dataDir, { recursive: true });
const rng = new Rng(7);

function sh(command: string, commandArgs: string[]) {
  const result = spawnSync(command, commandArgs, { stdio: "inherit" });
  if (result.status !== 0) throw new Error(`${command} ${commandArgs.join(" ")} failed`);
}

// ---- Database and build -------------------------------------------------------------------
if (quick || !existsSync(dbPath)) {
  console.log(`Generating ${dbPath}…`);
  sh(process.execPath, ["--import", "tsx", "bench/seed.ts", ...(quick ? ["--quick"] : []), "--db", dbPath]);
}
if (args.build || !existsSync("build/server.js")) sh("npm", ["run", "build"]);

const ro = new Database(dbPath, { readonly: true, fileMustExist: true });
const rows = <T>(sql: string) => ro.prepare(sql).all() as T[];
// Full 50-post pages only: the page the targets talk about.
const threadPages = rows<{ id: number; pages: number }>(
  "select id, post_count / 50 as pages from threads where removed_at is null and post_count >= 50 order by id",
);
// Pages as the board shows them: pinned threads sit above page 1 and are not paged.
const boardPages = rows<{ slug: string; pages: number }>(
  `select b.slug, min(20, max(1, (count(t.id) + 29) / 30)) as pages from boards b
   left join threads t on t.board_id = b.id and t.removed_at is null and t.pin_position is null
   group by b.id order by b.position`,
);
const replyThreads = rows<{ id: number }>("select id from threads where locked_at is null and removed_at is null order by id").map((t) => t.id);
// Reply authors drawn like the generated authorship (bench/corpus.ts AUTHOR_SKEW): mostly the
// active members, who have hundreds or thousands of posts, as on a real forum.
const everyone = rows<{ username: string; role: string; ok: number }>(
  `select username, role, (suspended_at is null and silenced_at is null and deleted_at is null) as ok
   from users where email like '%@${BENCH_EMAIL_DOMAIN}' order by id`,
);
const members = [
  ...new Set(
    Array.from({ length: 400 }, () => everyone[Math.floor(everyone.length * Math.pow(rng.next(), AUTHOR_SKEW))]!)
      .filter((m) => m.role === "member" && m.ok)
      .map((m) => m.username),
  ),
].slice(0, quick ? 10 : 100);
const dbFacts = rows<{ users: number; threads: number; posts: number }>(
  "select (select count(*) from users) as users, (select count(*) from threads) as threads, (select count(*) from posts) as posts",
)[0]!;
ro.close();
if (!threadPages.length || !members.length) throw new Error(`${dbPath} has no 50-post threads or no bench members`);

// A production server has its database in the OS page cache; so does the bench (one sequential
// read), so that runs measure the app rather than how much of the file the last run left cached.
// It is read again before each scenario: this kind of machine pages out file pages left untouched
// for about a minute (a DAMON "pageout" scheme in the kernel), and the scenarios ask for pages of
// random threads across the whole history, so later scenarios found most of it gone and waited on
// the disk (bench/RESULTS.md, twelfth pass). "disk KB/req" shows what still came from the disk.
async function warmPageCache() {
  for (const file of [dbPath, `${dbPath}-wal`]) {
    if (!existsSync(file)) continue;
    for await (const _chunk of createReadStream(file, { highWaterMark: 4 << 20 })) {
      // reading is the point
    }
  }
}

// ---- Server -----------------------------------------------------------------------------------
const profileDir = resolve(dataDir, "profiles");
const log = openSync(resolve(dataDir, "server.log"), "a");
const server = spawn(
  process.execPath,
  [...(args.profile ? ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] : []), ...args["server-flags"].split(" ").filter(Boolean), "build/server.js"],
  {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      ...(args.workers ? { WEB_CONCURRENCY: args.workers } : {}),
      DATABASE_PATH: dbPath,
      // The load comes from a handful of members posting hundreds of replies a second, which
      // the per-member limits would (rightly) refuse. app/utils/rate-limit.server.ts multiplies
      // every allowance by this, so the limiter still runs (its cost is measured) but never says no.
      RATE_LIMIT_SCALE: "1000000",
    },
    stdio: ["ignore", log, log],
  },
);
let serverExited = false;
server.on("exit", () => (serverExited = true));
process.on("exit", () => server.kill("SIGKILL"));
process.on("SIGINT", () => process.exit(130));

/** The server's processes: the primary and its workers (one per core). */
const serverPids = () => processTree(server.pid);
/** The target is judged on `rss`, the stricter of the two (bench/proc.ts). */
const memory = () => memoryOf(serverPids());
const cpuMs = () => cpuMsOf(serverPids());
const diskReadBytes = () => diskReadBytesOf(serverPids());

async function waitForServer() {
  for (let i = 0; i < 600; i++) {
    if (serverExited) throw new Error("The server exited while starting; see bench/data/server.log");
    try {
      if ((await fetch(`${origin}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("The server did not answer /healthz within 60 s");
}

async function logIn(username: string) {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: origin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ identifier: username, password: BENCH_PASSWORD, redirectTo: "/" }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("unclench_session="));
  if (res.status !== 302 || !cookie) throw new Error(`Could not log in as ${username}: HTTP ${res.status}`);
  return cookie.split(";")[0]!;
}

// ---- Scenarios ----------------------------------------------------------------------------------
type Req = { method?: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };
type Scenario = { key: string; name: string; expect: number; next: () => Req };

// Sent by every browser; the server's compression middleware then does its real work.
const BROWSER_HEADERS = { "accept-encoding": "gzip, deflate, br", accept: "text/html" };

async function searchParam(): Promise<string | null> {
  const res = await fetch(`${origin}/search`);
  if (res.status === 404) return null;
  const html = await res.text();
  const input = /<input[^>]*type="search"[^>]*>/.exec(html)?.[0] ?? "";
  return /name="([^"]+)"/.exec(input)?.[1] ?? "q";
}

function scenarios(cookies: string[], search: string | null): Scenario[] {
  let replies = 0;
  const list: Scenario[] = [
    {
      key: "thread",
      name: "Thread page (50 posts)",
      expect: 200,
      next: () => {
        const t = rng.pick(threadPages);
        return { path: `/threads/${t.id}?page=${rng.int(1, t.pages)}` };
      },
    },
    {
      key: "board",
      name: "Board page (pages 1–20)",
      expect: 200,
      next: () => {
        const b = rng.pick(boardPages);
        return { path: `/boards/${b.slug}?page=${rng.int(1, b.pages)}` };
      },
    },
    { key: "home", name: "Home page", expect: 200, next: () => ({ path: "/" }) },
  ];
  if (search) {
    const q = (term: string) => `/search?${new URLSearchParams({ [search]: term })}`;
    list.push(
      { key: "search-common", name: "Search, common term", expect: 200, next: () => ({ path: q(rng.pick(COMMON_TERMS)) }) },
      { key: "search-rare", name: "Search, rare term", expect: 200, next: () => ({ path: q(rng.pick(RARE_TERMS)) }) },
    );
  }
  list.push({
    key: "reply",
    name: "Reply POST (logged in)",
    expect: 302,
    next: () => ({
      method: "POST",
      path: `/threads/${rng.pick(replyThreads)}`,
      headers: { cookie: rng.pick(cookies), origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "post", body: replyBody(++replies) }).toString(),
    }),
  });
  return list.filter((s) => !only || only.includes(s.key));
}

type Run = {
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  bad: number;
  ok: number;
  peakRss: number;
  peakPss: number;
  cpuPerRequest: number;
  diskKbPerRequest: number;
};

const round = (ms: number) => Math.round(ms * 10) / 10;

function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

/**
 * autocannon stops sending when its time is up, but the server still works through the
 * requests it has already accepted (100 connections of slow pages is seconds of backlog).
 * Wait until /healthz answers promptly, so one run's backlog is not charged to the next.
 */
async function drain() {
  for (let i = 0; i < 600; i++) {
    const started = performance.now();
    await fetch(`${origin}/healthz`).catch(() => null);
    if (performance.now() - started < 20) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function cannon(s: Scenario, connections: number, seconds: number): Promise<Run> {
  await drain();
  const cpuBefore = cpuMs();
  const diskBefore = diskReadBytes();
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  let { rss: peakRss, pss: peakPss } = memory();
  const sampler = setInterval(() => {
    const now = memory();
    peakRss = Math.max(peakRss, now.rss);
    peakPss = Math.max(peakPss, now.pss);
  }, 200);
  const options: autocannon.Options = {
    url: origin,
    connections,
    duration: seconds,
    headers: BROWSER_HEADERS,
    requests: [
      {
        setupRequest: (req) => {
          const next = s.next();
          return { ...req, method: next.method ?? "GET", path: next.path, headers: { ...req.headers, ...next.headers }, body: next.body };
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(options, (error, result) => (error ? fail(error) : done(result)));
    instance.on("response", (_client, status, _bytes, time) => {
      latencies.push(time);
      if (status === s.expect) ok++;
      else bad++;
    });
  });
  clearInterval(sampler);
  // Includes the backlog the server finishes after autocannon stops, so it is charged here.
  await drain();
  const cpuPerRequest = (cpuMs() - cpuBefore) / Math.max(1, latencies.length);
  const diskKbPerRequest = (diskReadBytes() - diskBefore) / 1024 / Math.max(1, latencies.length);
  latencies.sort((a, b) => a - b);
  return {
    scenario: s.name,
    connections,
    rps: ok / result.duration,
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    errors: result.errors,
    bad,
    ok,
    peakRss,
    peakPss,
    cpuPerRequest: round(cpuPerRequest),
    diskKbPerRequest: round(diskKbPerRequest),
  };
}

// ---- Search in the model (no HTTP): the app's own search function, timed in this process ------------
async function searchModel() {
  if (!existsSync("app/models/search.server.ts")) return null;
  process.env.DATABASE_PATH = dbPath; // read-only use; the server process did the migrations
  const model = (await import("../app/models/search.server.ts")) as {
    searchForum?: (input: { q: string; page?: number }) => unknown;
  };
  if (typeof model.searchForum !== "function") return null;
  const time = (terms: string[]) => {
    const ms: number[] = [];
    for (let i = 0; i < (quick ? 20 : 200); i++) {
      const started = performance.now();
      model.searchForum!({ q: rng.pick(terms), page: rng.int(1, 3) });
      ms.push(performance.now() - started);
    }
    ms.sort((a, b) => a - b);
    return { p50: round(percentile(ms, 50)), p95: round(percentile(ms, 95)), max: round(ms.at(-1)!) };
  };
  return { common: time(COMMON_TERMS), rare: time(RARE_TERMS) };
}

// ---- Page weight ----------------------------------------------------------------------------------
/** The body of a GET exactly as it arrived, still encoded. */
function wireBytes(path: string, acceptEncoding: string) {
  return new Promise<Buffer>((done, fail) => {
    get(`${origin}${path}`, { headers: { "accept-encoding": acceptEncoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => (res.statusCode === 200 ? done(Buffer.concat(chunks)) : fail(new Error(`${path}: ${res.statusCode}`))));
    }).on("error", fail);
  });
}

async function pageWeight(cookie?: string) {
  const headers = cookie ? { cookie } : undefined;
  const sizes: { html: number; context: number; data: number; htmlGz: number }[] = [];
  let scripts = new Set<string>();
  for (let i = 0; i < (quick ? 3 : 20); i++) {
    const t = rng.pick(threadPages);
    const path = `/threads/${t.id}?page=${rng.int(1, t.pages)}`;
    const html = Buffer.from(await (await fetch(`${origin}${path}`, { headers: { ...headers, "accept-encoding": "identity" } })).arrayBuffer());
    const data = await (await fetch(`${origin}${path}&_data=${encodeURIComponent("routes/threads.$threadId")}`, { headers })).arrayBuffer();
    const text = html.toString("utf8");
    // The loader data embedded in the document for hydration.
    const context = /window\.__remixContext = (.*?);<\/script>/s.exec(text)?.[1] ?? "";
    sizes.push({ html: html.length, context: Buffer.byteLength(context), data: data.byteLength, htmlGz: gzipSync(html).length });
    // What the browser loads: module preloads, script tags and the inline module's imports
    // (the inline route manifest also names modules of other routes; those are not loaded).
    const loaded = [
      ...text.matchAll(/<link rel="modulepreload" href="([^"]+)"/g),
      ...text.matchAll(/<script[^>]* src="([^"]+)"/g),
      ...text.matchAll(/(?:from |import\()"(\/build\/[^"]+\.js)"/g),
    ].map((m) => m[1]!);
    scripts = new Set([...scripts, ...loaded]);
  }
  // Bytes as the server sends them (fetch() would decode them): to a browser that takes only gzip,
  // to one that also takes brotli (every current one), and decoded.
  let js = 0;
  let jsGz = 0;
  let jsBr = 0;
  for (const src of scripts) {
    jsGz += (await wireBytes(src, "gzip")).length;
    jsBr += (await wireBytes(src, "gzip, deflate, br")).length;
    js += (await wireBytes(src, "identity")).length;
  }
  const max = (k: keyof (typeof sizes)[number]) => Math.max(...sizes.map((s) => s[k]));
  const median = (k: keyof (typeof sizes)[number]) =>
    percentile(
      sizes.map((s) => s[k]).sort((a, b) => a - b),
      50,
    );
  return {
    pages: sizes.length,
    htmlMedian: median("html"),
    htmlMax: max("html"),
    contextMax: max("context"),
    dataMax: max("data"),
    htmlGzMax: max("htmlGz"),
    scripts: scripts.size,
    js,
    jsGz,
    jsBr,
  };
}

// ---- Run ---------------------------------------------------------------------------------------------
const startedAt = new Date();
const loadBefore = os.loadavg();
const runs: Run[] = [];
let weight: Awaited<ReturnType<typeof pageWeight>>;
let memberWeight: Awaited<ReturnType<typeof pageWeight>>;
let model: Awaited<ReturnType<typeof searchModel>> = null;
let idle = { rss: 0, pss: 0 };
let workerCount = 1;
try {
  await warmPageCache();
  await waitForServer();
  idle = memory();
  workerCount = Math.max(1, serverPids().length - 1);
  const cookies: string[] = [];
  for (let i = 0; i < members.length; i += 4) cookies.push(...(await Promise.all(members.slice(i, i + 4).map(logIn))));
  const search = await searchParam();
  if (!search) console.log("No /search route yet: search scenarios skipped.");
  // Visitors get read-only pages without scripts (app/utils/scripts.ts); members get them all.
  weight = await pageWeight();
  memberWeight = await pageWeight(cookies[0]);
  model = search ? await searchModel() : null;
  for (const s of scenarios(cookies, search)) {
    if (!quick) await warmPageCache();
    if (warmup) await cannon(s, 10, warmup);
    for (const connections of levels) {
      if (serverExited) throw new Error("The server died; see bench/data/server.log");
      const run = await cannon(s, connections, duration);
      runs.push(run);
      console.log(
        `${s.name.padEnd(26)} ${String(connections).padStart(3)} conn: ${run.rps.toFixed(0).padStart(6)} req/s  ` +
          `p50 ${run.p50} ms  p99 ${run.p99} ms  errors ${run.errors}  unexpected status ${run.bad}  ` +
          `CPU ${run.cpuPerRequest} ms/req  disk ${run.diskKbPerRequest} KB/req  RSS ${run.peakRss.toFixed(0)} MB  PSS ${run.peakPss.toFixed(0)} MB`,
      );
    }
  }
} finally {
  server.kill("SIGTERM");
  await new Promise((r) => (serverExited ? r(null) : server.once("exit", r)));
}

// ---- Report -----------------------------------------------------------------------------------------------
const cpu = os.cpus();
const commit = spawnSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).stdout.trim();
const dirty = spawnSync("git", ["status", "--porcelain", "--", "app", "db", "server.ts", "migrations"], { encoding: "utf8" }).stdout.trim();
const at = (key: string, connections: number) => runs.find((r) => r.scenario.startsWith(key) && r.connections === connections);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const peakRss = Math.max(idle.rss, ...runs.map((r) => r.peakRss));
const peakPss = Math.max(idle.pss, ...runs.map((r) => r.peakPss));
const at100 = runs.filter((r) => r.connections === 100);

type Target = [string, string, boolean | null];
const targets: Target[] = [];
const check = (label: string, run: Run | undefined, pass: (r: Run) => boolean, shown: (r: Run) => string) =>
  targets.push([label, run ? shown(run) : "not run", run ? pass(run) : null]);
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
targets.push([
  "Search p95 < 20 ms in the model (searchForum, no HTTP)",
  model ? `common ${model.common.p95} ms, rare ${model.rare.p95} ms` : "not run",
  model ? model.common.p95 < 20 && model.rare.p95 < 20 : null,
]);
check(
  "Search ≥ 300 req/s over HTTP, common term (10 conn)",
  at("Search, common", 10),
  (r) => r.rps >= 300,
  (r) => `${r.rps.toFixed(0)} req/s, p95 ${r.p95} ms`,
);
check(
  "Search ≥ 300 req/s over HTTP, rare term (10 conn)",
  at("Search, rare", 10),
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
  "Zero errors at 100 connections",
  at100.length ? at100.map((r) => `${r.scenario}: ${r.errors + r.bad}`).join("; ") : "not run",
  at100.length ? at100.every((r) => r.errors === 0 && r.bad === 0) : null,
]);
targets.push([
  "Server RSS < 300 MB (all processes)",
  `${peakRss.toFixed(0)} MB peak, ${idle.rss.toFixed(0)} MB idle; PSS ${peakPss.toFixed(0)} MB peak, ${idle.pss.toFixed(0)} MB idle`,
  peakRss < 300,
]);
targets.push([
  "50-post thread page HTML (incl. loader data) < 200 KB",
  `members ${kb(memberWeight!.htmlMax)} max, ${kb(memberWeight!.htmlMedian)} median; visitors ${kb(weight!.htmlMax)} max`,
  Math.max(weight!.htmlMax, memberWeight!.htmlMax) < 200 * 1024,
]);
targets.push([
  "JavaScript on the thread page < 90 KB gzipped",
  `members ${kb(memberWeight!.jsGz)} (${memberWeight!.scripts} files, ${kb(memberWeight!.js)} raw, ${kb(memberWeight!.jsBr)} as brotli); visitors ${kb(weight!.jsGz)} (${weight!.scripts} files)`,
  Math.max(weight!.jsGz, memberWeight!.jsGz) < 90 * 1024,
]);

const mark = (pass: boolean | null) => (pass === null ? "–" : pass ? "pass" : "**MISS**");
const report = `## ${quick ? "Quick (smoke) run" : complete ? "Latest full run" : "Partial run"}

- Date: ${startedAt.toISOString()} · commit ${commit}${dirty ? " + uncommitted changes" : ""}
- Machine: ${cpu[0]?.model ?? "unknown CPU"} × ${cpu.length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GB RAM, ${os.platform()} ${os.release()}; load average before the run ${loadBefore.map((l) => l.toFixed(2)).join(" / ")}
- Node ${process.version}; server: **${workerCount > 1 ? `primary + ${workerCount} workers` : "one process"}** (\`node build/server.js\`, NODE_ENV=production, RATE_LIMIT_SCALE=1000000${args.profile ? ", --cpu-prof" : ""}${args["server-flags"] ? `, ${args["server-flags"]}` : ""}); autocannon runs in the bench process on the same machine
- Database: ${dbPath.replace(process.cwd() + "/", "")} (${(statSync(dbPath).size / 2 ** 30).toFixed(2)} GB): ${dbFacts.users} users, ${dbFacts.threads} threads, ${dbFacts.posts} posts at the start
- Settings: ${duration} s per run after a ${warmup} s warm-up per scenario; connections ${levels.join(", ")}; requests send \`Accept-Encoding: gzip, deflate, br\`; read scenarios are anonymous; ${members.length} members logged in for the reply loop

${
  quick
    ? ""
    : `### Targets

| Target | Measured | |
|---|---|---|
${targets.map(([label, measured, pass]) => `| ${label} | ${measured} | ${mark(pass)} |`).join("\n")}

`
}### Scenarios

| Scenario | Conn | req/s | p50 ms | p95 ms | p99 ms | errors | non-2xx¹ | server CPU ms/req² | disk KB/req⁴ | peak RSS MB | peak PSS MB³ |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${runs.map((r) => `| ${r.scenario} | ${r.connections} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p95} | ${r.p99} | ${r.errors} | ${r.bad} | ${r.cpuPerRequest} | ${r.diskKbPerRequest} | ${r.peakRss.toFixed(0)} | ${r.peakPss.toFixed(0)} |`).join("\n")}

¹ responses other than the expected status (200 for pages, 302 for a reply); req/s counts expected responses only.
² CPU time of the server process (all its threads, from /proc) per response: steadier than req/s when the
machine is shared, and 1000 / it is roughly what one core could serve.
³ proportional set size: like RSS summed over the processes, but a page they share counts once.
⁴ read from the storage device by the server's processes (\`read_bytes\` in /proc), per response: what the OS
page cache did not have. The database is read into it before each scenario.

${
  model
    ? `### Search in the model (searchForum called directly, pages 1–3, ${quick ? 20 : 200} calls per group)

- Common terms (${COMMON_TERMS.join(", ")}): p50 ${model.common.p50} ms, p95 ${model.common.p95} ms, max ${model.common.max} ms
- Rare terms (${RARE_TERMS.join(", ")}): p50 ${model.rare.p50} ms, p95 ${model.rare.p95} ms, max ${model.rare.max} ms

`
    : ""
}### Thread page weight (${weight!.pages} random full pages, as a visitor and as a member)

${(
  [
    ["Members", memberWeight!],
    ["Visitors", weight!],
  ] as const
)
  .map(
    ([who, w]) =>
      `- ${who}: document HTML (uncompressed, includes any embedded loader data) median ${kb(w.htmlMedian)}, max ${kb(w.htmlMax)}, gzipped max ${kb(w.htmlGzMax)}; embedded loader data (window.__remixContext) max ${kb(w.contextMax)}; JavaScript ${w.scripts} files, ${kb(w.js)} raw, ${kb(w.jsGz)} sent gzipped, ${kb(w.jsBr)} sent as brotli`,
  )
  .join("\n")}
- The same loader data fetched on client navigation (?_data, as a member): max ${kb(memberWeight!.dataMax)}
`;

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
\`\`\`

- \`bench:seed\` flags: \`--threads\`, \`--posts\`, \`--members\`, \`--seed\` (default 42; same seed, same forum), \`--db\`, \`--quick\`
  (300 threads / 3,000 posts). Every generated member's password is in bench/corpus.ts.
- \`bench\` flags: \`--db\`, \`--port\` (default 3200), \`--duration\` (seconds per run), \`--connections\`, \`--only\`
  (thread, board, home, search-common, search-rare, reply), \`--profile\` (\`node --cpu-prof\` on the server), \`--build\`
  (rebuild first; it builds anyway when build/ is missing), \`--server-flags=...\` (node flags for the server only, e.g. \`--server-flags=--max-old-space-size=256\`).
  Runs with any of \`--only\`, \`--duration\`, \`--connections\`, \`--profile\`, \`--server-flags\`, \`--workers\` write bench/data/partial-results.md
  instead of this file.
- Production runs as \`npm run serve\`: a primary process and **one worker per core** (two here), each with its own
  SQLite connection (WAL: readers in parallel, one writer at a time). The bench measures exactly that; RSS and CPU are
  summed over all the server's processes. \`--workers 1\` runs the web server in one process, for comparison.
- The bench server gets \`RATE_LIMIT_SCALE=1000000\` (app/utils/rate-limit.server.ts multiplies every allowance by it),
  so the reply loop is never refused by the per-member limits while the limiter still does its work. Never set it in production.
- The database file is read before the run, and again before each scenario, so it sits in the OS page cache as on a
  production server: this machine's kernel pages out file pages left untouched for about a minute (a DAMON
  \`pageout\` scheme, /sys/kernel/mm/damon), and the scenarios read random threads from the whole history.
- The reply loop adds posts to the bench database; regenerate it (\`npm run bench:seed\`) for strictly comparable runs.
- Figures come from a shared 2-core machine: compare runs made under similar load (the load average is recorded).
`;

const NOTES_MARK = "<!-- Everything below this line is kept by bench/run.ts: findings, before/after figures. -->";
const previous = existsSync(outFile) ? readFileSync(outFile, "utf8") : "";
const notes = previous.includes(NOTES_MARK) ? previous.slice(previous.indexOf(NOTES_MARK) + NOTES_MARK.length) : "\n";
writeFileSync(outFile, `${HOWTO}\n${report}\n${NOTES_MARK}${notes}`);
console.log(`\n${quick ? report : report.split("### Scenarios")[0]}\nWrote ${outFile.replace(process.cwd() + "/", "")}`);
if (args.profile) console.log(`CPU profile(s) in ${profileDir}`);

// The smoke test: every scenario answered as expected at least once, and never otherwise
// (a 403, 404 or 500 means the bench or the app is broken, whatever the speed).
const broken = [...new Set(runs.map((r) => r.scenario))].filter((name) => runs.every((r) => r.scenario !== name || r.ok === 0));
const wrong = runs.filter((r) => r.bad > 0);
if (broken.length || wrong.length || !runs.length) {
  if (broken.length) console.error(`No successful responses: ${broken.join(", ")}`);
  if (wrong.length) console.error(`Unexpected statuses: ${wrong.map((r) => `${r.scenario} @${r.connections}: ${r.bad}`).join(", ")}`);
  process.exitCode = 1;
}
