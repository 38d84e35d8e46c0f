// The production server as the benchmarks start it (`node build/server.js`, NODE_ENV=production),
// on either engine, and what its processes use: shared by bench/run.ts and bench/servers.ts.
import { spawn } from "node:child_process";
import { openSync } from "node:fs";
import { BENCH_PASSWORD } from "./corpus.ts";
import { databaseEnv, isPostgres } from "./facts.ts";
import { postmasterPid } from "./pg-cluster.ts";
import { cpuMsOf, diskReadBytesOf, memoryOf, processTree, reapedCpuMsOf } from "./proc.ts";

export type AppServer = ReturnType<typeof startAppServer>;

export function startAppServer(options: {
  db: string;
  port: number;
  logFile: string;
  /** WEB_CONCURRENCY; unset, one worker per core as production runs. */
  workers?: string;
  nodeFlags?: string[];
  env?: Record<string, string>;
}) {
  const log = openSync(options.logFile, "a");
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), "build/server.js"], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(options.port),
      ...(options.workers ? { WEB_CONCURRENCY: options.workers } : {}),
      ...databaseEnv(options.db),
      // The load comes from a handful of members posting hundreds of replies a second, which
      // the per-member limits would (rightly) refuse. app/utils/rate-limit.server.ts multiplies
      // every allowance by this, so the limiter still runs (its cost is measured) but never says no.
      RATE_LIMIT_SCALE: "1000000",
      ...options.env,
    },
    stdio: ["ignore", log, log],
  });
  let exited = false;
  child.on("exit", () => (exited = true));
  process.on("exit", () => child.kill("SIGKILL"));
  const origin = `http://localhost:${options.port}`;
  return {
    child,
    origin,
    get exited() {
      return exited;
    },
    /** The server's processes: the primary and its workers (one per core). */
    pids: () => processTree(child.pid),
    async ready() {
      for (let i = 0; i < 600; i++) {
        if (exited) throw new Error(`The server exited while starting; see ${options.logFile}`);
        try {
          if ((await fetch(`${origin}/healthz`)).ok) return;
        } catch {
          // not listening yet
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error("The server did not answer /healthz within 60 s");
    },
    async stop(signal: NodeJS.Signals = "SIGTERM") {
      if (exited) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill(signal);
      await gone;
    },
  };
}

export async function logIn(origin: string, username: string, sendOrigin = origin) {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { Origin: sendOrigin, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ identifier: username, password: BENCH_PASSWORD, redirectTo: "/" }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("unclench_session="));
  if (res.status !== 302 || !cookie) throw new Error(`Could not log in as ${username}: HTTP ${res.status}`);
  return cookie.split(";")[0]!;
}

/** Logs the members in four at a time; one session cookie each. */
export async function logInAll(origin: string, members: string[], sendOrigin = origin) {
  const cookies: string[] = [];
  for (let i = 0; i < members.length; i += 4) cookies.push(...(await Promise.all(members.slice(i, i + 4).map((m) => logIn(origin, m, sendOrigin)))));
  return cookies;
}

/**
 * autocannon stops sending when its time is up, but the server still works through the
 * requests it has already accepted (100 connections of slow pages is seconds of backlog).
 * Wait until /healthz answers promptly, so one run's backlog is not charged to the next.
 */
export async function drain(origin: string) {
  for (let i = 0; i < 600; i++) {
    const started = performance.now();
    await fetch(`${origin}/healthz`).catch(() => null);
    if (performance.now() - started < 20) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

export type Meter = {
  /** CPU ms so far of the app servers' processes, and of the database server's (0 on SQLite). */
  cpuMs(): { app: number; db: number };
  diskReadBytes(): number;
  /** RSS and PSS of the app servers' processes in MB (PostgreSQL's shared buffers are not counted). */
  memory(): { rss: number; pss: number };
};

/**
 * Measures the app servers and, on PostgreSQL, the database server too: the postmaster and every
 * child (backends, WAL writer, checkpointer, autovacuum), including children that have exited since
 * (their CPU is in the postmaster's reaped-children counters), so a connection closed mid-run still counts.
 */
export async function meter(db: string, servers: () => AppServer[]): Promise<Meter> {
  const postmaster = isPostgres(db) ? await postmasterPid(db) : null;
  if (isPostgres(db) && !postmaster) throw new Error("Cannot find the PostgreSQL server's processes (postmaster.pid) to measure their CPU.");
  const appPids = () => servers().flatMap((s) => s.pids());
  const dbPids = () => processTree(postmaster ?? undefined);
  return {
    cpuMs: () => ({ app: cpuMsOf(appPids()), db: postmaster ? cpuMsOf(dbPids(), { skipExited: true }) + reapedCpuMsOf(postmaster) : 0 }),
    diskReadBytes: () => diskReadBytesOf([...appPids(), ...dbPids()]),
    memory: () => memoryOf(appPids()),
  };
}
