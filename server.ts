// Production entry: `npm run serve` runs build/server.js, bundled from this file.
//
// One worker process per core (WEB_CONCURRENCY, default: the machine's cores). Everything the app
// shares between requests (sessions, rate limits, drafts) lives in the database, and writers take
// turns through the database's own lock (docs/decisions/020). WEB_CONCURRENCY=1 runs the web
// server in this process.
//
// With several workers the primary never loads the app or the database: a short-lived setup worker
// migrates and seeds, so the primary holds only node:cluster (docs/decisions/005).
//
// This bundle holds the HTTP layer only. The app (database, sessions, rate limits, migrations and
// the seed) comes from the Remix build, build/index.js, through what app/entry.server.tsx exports:
// a process loads one copy of it (docs/decisions/011).
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import type { ServerBuild } from "@remix-run/node";
import type { App } from "./app/http.server.ts";

// Under load V8's default policy lets a worker's heap grow to several times its live size before
// collecting; growing by half the live size at most keeps memory down at no measurable CPU cost
// (docs/decisions/017). V8 reads this at every collection, so setting it here works;
// `node --heap-growing-percent=N build/server.js` chooses another trade.
if (!process.execArgv.some((arg) => arg.startsWith("--heap-growing-percent"))) v8.setFlagsFromString("--heap-growing-percent=50");

const port = Number(process.env.PORT ?? 3000);
const workers = Math.max(1, Number(process.env.WEB_CONCURRENCY) || availableParallelism());
const listening = () => console.log(`Unclench is listening on http://localhost:${port}`);

let stopping = false;
function onStopSignal(stop: (signal: NodeJS.Signals) => void) {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      console.log(`${signal}: finishing requests in flight, then closing the database.`);
      stop(signal);
    });
  }
}

/** The Remix build and the app modules its entry exports; importing it opens the database. */
async function loadBuild() {
  // Relative to the project root, where npm runs us, whether this runs from source or from build/.
  const build = (await import(pathToFileURL(resolve("build/index.js")).href)) as ServerBuild;
  return { build, app: build.entry.module as unknown as App };
}

/** Migrations and the boards and articles; idempotent. Runs once, before any worker serves. */
async function setUp(app: App) {
  await app.migrateDatabase();
  await app.seed();
}

/** Runs setUp() in a worker of its own and waits for it; stops the server if it fails. */
async function setUpInWorker() {
  const worker = cluster.fork({ UNCLENCH_SETUP: "1" });
  const [code, signal] = await new Promise<[number, string | null]>((done) => worker.once("exit", (c, s) => done([c, s])));
  if (code !== 0) {
    console.error(`Setting up the database failed (${signal ?? code}); not starting.`);
    process.exit(1);
  }
}

async function serveHere(build: ServerBuild) {
  const { startHttpServer, stopHttpServer } = await import("./app/http.server.ts");
  const server = await startHttpServer(port, build);
  onStopSignal(() => void stopHttpServer(server, build).then(() => process.exit(0)));
  return server;
}

if (cluster.isPrimary) {
  // Once, before any worker serves: web workers never migrate, so they never race each other.
  if (workers === 1) {
    const { build, app } = await loadBuild();
    await setUp(app);
    await serveHere(build);
    listening();
  } else {
    await setUpInWorker();
    for (let i = 0; i < workers; i++) cluster.fork();
    // Ready is said once every worker listens: a worker that listens alone can die and take the
    // port with it (the primary closes a socket no worker holds) until another one listens.
    let served = false;
    let listened = 0;
    cluster.on("listening", (worker) => {
      served = true;
      listened++;
      if (listened === workers) listening();
      else if (listened > workers) console.log(`Worker ${worker.process.pid} is serving in place of the one that stopped.`);
    });
    cluster.on("exit", (worker, code, signal) => {
      if (!stopping && !served) {
        // Nothing has served yet (no build, port taken): a replacement would fail the same way.
        // Once one worker has listened, a later death (killed, out of memory) is worth replacing.
        console.error(`Worker ${worker.process.pid} stopped before serving (${signal ?? code}); giving up.`);
        process.exit(1);
      } else if (!stopping) {
        console.error(`Worker ${worker.process.pid} stopped (${signal ?? code}); starting another.`);
        cluster.fork();
      } else if (Object.keys(cluster.workers ?? {}).length === 0) {
        console.log("All workers stopped; the database is closed.");
        process.exit(0);
      }
    });
    onStopSignal((signal) => {
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
} else if (process.env.UNCLENCH_SETUP) {
  // Closing checkpoints the WAL, so the web workers start from a tidy database file.
  const { app } = await loadBuild();
  await setUp(app);
  await app.closeDatabase();
  process.exit(0);
} else {
  await serveHere((await loadBuild()).build);
}
