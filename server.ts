// Production entry: `npm run serve` runs build/server.js, bundled from this file.
//
// One worker process per core (WEB_CONCURRENCY, default: the machine's cores). SQLite in WAL mode
// lets every worker read at once and queues writes on its lock (busy_timeout), and everything the
// app shares between requests (sessions, rate limits, drafts) lives in the database, so workers
// need no other coordination. WEB_CONCURRENCY=1 runs the web server in this process.
import cluster from "node:cluster";
import { availableParallelism } from "node:os";
import { closeDatabase, db, migrateDatabase } from "./db/client.ts";
import { seed } from "./db/seed.ts";

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

async function serveHere() {
  const { startHttpServer, stopHttpServer } = await import("./app/http.server.ts");
  const server = await startHttpServer(port);
  onStopSignal(() => void stopHttpServer(server).then(() => process.exit(0)));
  return server;
}

if (cluster.isPrimary) {
  // Once, before any worker serves: workers never migrate, so they never race each other.
  migrateDatabase();
  seed(db);
  if (workers === 1) {
    await serveHere();
    listening();
  } else {
    // The workers hold the connections; the last to close checkpoints the WAL away.
    closeDatabase();
    for (let i = 0; i < workers; i++) cluster.fork();
    cluster.once("listening", listening);
    const served = new Set<number>();
    cluster.on("listening", (worker) => served.add(worker.id));
    cluster.on("exit", (worker, code, signal) => {
      if (!stopping && !served.has(worker.id)) {
        // It failed while starting (no build, port taken): a replacement would fail the same way.
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
} else {
  await serveHere();
}
