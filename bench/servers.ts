// `npm run bench:servers -- --db postgres://… [--port 3300] [--duration 10] [--connections 10,100]
//   [--only thread,board,home,reply] [--no-failover]`
//
// Outgrowing one machine (issue 25): two app servers on one PostgreSQL behind nginx, started here.
// Measures 1 and 2 servers through the proxy, taking turns run by run (each server is one process,
// WEB_CONCURRENCY=1, so two servers use about two cores), then kills one with SIGKILL during a reply
// load and checks that every reply answered 302 is in the database and that the survivor takes over.
// A script of its own rather than a flag of bench/run.ts: another topology, its own checks and
// report, and `npm run bench -- --quick` (CI, SQLite) stays as it is. Writes bench/data/servers-results.md.
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { logInAll, meter, startAppServer, type AppServer } from "./app-server.ts";
import { Rng } from "./corpus.ts";
import { failover, type FailoverResult } from "./failover.ts";
import { isPostgres, pickMembers, readFacts, redact } from "./facts.ts";
import { cannon, describeRun, scenarios, type Run } from "./load.ts";
import { cpuMsOf } from "./proc.ts";
import { startProxy } from "./proxy.ts";

const { values: args } = parseArgs({
  options: {
    db: { type: "string" },
    port: { type: "string", default: "3300" },
    duration: { type: "string", default: "10" },
    connections: { type: "string", default: "10,100" },
    only: { type: "string", default: "thread,board,home,reply" },
    "no-failover": { type: "boolean", default: false },
  },
});
if (!args.db || !isPostgres(args.db)) throw new Error("Usage: npm run bench:servers -- --db postgres://… (a forum copied with npm run db:copy)");
if (!existsSync("build/server.js")) throw new Error("No build/server.js: run npm run build first.");
const db = args.db;
const port = Number(args.port);
const duration = Number(args.duration);
const levels = args.connections.split(",").map(Number);
const dataDir = resolve("bench/data");
mkdirSync(dataDir, { recursive: true });
process.on("SIGINT", () => process.exit(130));

const facts = await readFacts(db);
const rng = new Rng(7);
const members = pickMembers(facts.everyone, rng, 100);
const proxyOrigin = `http://127.0.0.1:${port}`;
const appPorts = [port + 1, port + 2];
const startServer = (p: number) =>
  startAppServer({
    db,
    port: p,
    workers: "1",
    logFile: resolve(dataDir, "servers.log"),
    // The public origin is the proxy's; the app trusts the proxy's X-Forwarded-* headers.
    env: { ORIGIN: proxyOrigin, TRUST_PROXY: "loopback" },
  });
const servers: AppServer[] = [startServer(appPorts[0]!)];
// The second starts once the first has migrated, so they never race at setup.
await servers[0]!.ready();
servers.push(startServer(appPorts[1]!));
await servers[1]!.ready();
const proxy = await startProxy(resolve(dataDir, "nginx"), port, appPorts);

const startedAt = new Date();
const loadBefore = os.loadavg();
const runs: (Run & { servers: number })[] = [];
let result: FailoverResult | null = null;
try {
  let active = 2;
  // CPU of the active app servers, nginx and PostgreSQL: all the work a request costs the machine.
  const metered = await meter(db, () => servers.slice(0, active));
  const withProxy = {
    ...metered,
    cpuMs: () => {
      const { app, db: dbMs } = metered.cpuMs();
      return { app: app + cpuMsOf(proxy.pids(), { skipExited: true }), db: dbMs };
    },
  };
  const cookies = await logInAll(proxyOrigin, members);
  const list = scenarios({ facts, rng, cookies, origin: proxyOrigin, search: null, only: args.only.split(",") });
  for (const s of list) {
    await cannon({ origin: proxyOrigin, engine: "warm-up", meter: withProxy }, s, 10, 3);
    for (const connections of levels) {
      for (const count of [1, 2]) {
        active = count;
        await proxy.use(appPorts.slice(0, count));
        const run = await cannon({ origin: proxyOrigin, engine: `${count} server${count > 1 ? "s" : ""}`, meter: withProxy }, s, connections, duration);
        runs.push({ ...run, servers: count });
        console.log(describeRun(run));
      }
    }
  }
  if (!args["no-failover"]) {
    active = 2;
    await proxy.use(appPorts);
    result = await failover({
      db,
      origin: proxyOrigin,
      rng,
      cookies,
      replyThreads: facts.replyThreads,
      threadPages: facts.threadPages,
      connections: 10,
      readers: 5,
      seconds: 8,
      killAfterSeconds: 3,
      victim: servers[1]!,
      victimPort: appPorts[1]!,
      survivorPort: appPorts[0]!,
    });
    console.log(JSON.stringify(result, null, 2));
  }
} finally {
  await proxy.stop();
  await Promise.all(servers.map((s) => s.stop()));
}

// ---- Report -------------------------------------------------------------------------------------------
const cores = os.cpus();
const table = `| Scenario | Conn | Servers | req/s | p50 ms | p99 ms | errors | non-2xx | CPU ms/req¹ | of which PostgreSQL |
|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|
${runs.map((r) => `| ${r.scenario} | ${r.connections} | ${r.servers} | ${r.rps.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.bad} | ${r.cpuPerRequest} | ${r.dbCpuPerRequest} |`).join("\n")}

¹ CPU time per response of the active app servers, nginx and the PostgreSQL server's processes together.`;
const failoverText = result
  ? `### kill -9 of one app server during a reply load

${result.connections} connections posting replies and ${result.readers} reading thread pages through nginx for ${result.seconds} s; server 2 killed (SIGKILL) at ${result.killedAtSeconds} s.

- Replies sent: ${result.sent}; answered 302: ${result.answered302}; of those missing from the database: **${result.answered302NotStored.length}**
- Not answered 302: ${result.failed} (${JSON.stringify(result.failedStatuses)}); in flight at the killed server: ${result.failedInFlight}; committed nonetheless: ${result.failedButStored}
- Replies stored (by marker): ${result.stored}
- Before the kill nginx sent ${result.beforeKill.victim} replies to server 2 and ${result.beforeKill.survivor} to server 1
- Sent after the kill: ${result.afterKill.sent}, answered 302: ${result.afterKill.ok} (${JSON.stringify(result.afterKill.statuses)}); answered by the survivor: ${result.afterKill.bySurvivor}, of which ${result.afterKill.passedOn} were first tried on the dead server (connection refused, so never sent) and passed on; failed at the dead server: ${result.afterKill.failedAtVictim}
- Thread pages read meanwhile, by status: ${JSON.stringify(result.reads)}
- Sent from 1 s after the kill: ${result.settled.sent}, answered 302 by the survivor: **${result.settled.ok}**
`
  : "";
const report = `## Two app servers on one PostgreSQL behind nginx

- Date: ${startedAt.toISOString()}; ${cores[0]?.model ?? "unknown CPU"} × ${cores.length} cores; load average before ${loadBefore.map((l) => l.toFixed(2)).join(" / ")}
- Database: ${redact(db)}: ${facts.size.users} users, ${facts.size.threads} threads, ${facts.size.posts} posts at the start
- Each app server: \`node build/server.js\`, WEB_CONCURRENCY=1, NODE_ENV=production, RATE_LIMIT_SCALE=1000000, pool of 10 connections; nginx 1 worker, round robin, keep-alive to the app; ${duration} s per run, 1 and 2 servers taking turns run by run

${table}

${failoverText}`;
const outFile = resolve(dataDir, "servers-results.md");
writeFileSync(outFile, report);
console.log(`\nWrote ${outFile.replace(process.cwd() + "/", "")}`);

const failed =
  runs.some((r) => r.errors > 0 || r.bad > 0) || (result !== null && (result.answered302NotStored.length > 0 || result.settled.ok < result.settled.sent));
if (failed) {
  console.error("Errors under load, a 302 reply missing from the database, or replies failing once the survivor should have taken over: see above.");
  process.exitCode = 1;
}
