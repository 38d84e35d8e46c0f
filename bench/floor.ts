// `npm run bench:floor`: the least a thread page can cost on this machine before the app's own
// work, so a target can be checked against what the stack allows.
//
// Real 50-post thread pages, rendered from bench/data/bench.db by the built app, are served by a
// cluster shaped like production (a primary and one worker per core) that runs only Express and
// compression(), set up as in app/http.server.ts, and answers each request with a stored page:
//   stored      the page's brotli bytes, made once: Node's HTTP and Express alone;
//   compressed  the page's text made bytes and compressed per request by compressDocument, as
//               app/entry.server.tsx does.
// Beside them, the CPU the app's Remix handler takes for such pages in one process (no HTTP, no
// compression: `npm run bench:render`). Prints req/s, p99, server CPU ms per request and peak
// memory at 10 connections, and the ceiling the sum sets. Flags: --duration (seconds, default 10).
// The server is this file bundled by esbuild, as build/server.js is, so that its memory is node's,
// Express's and the pages', not a TypeScript loader's.
import { spawn, spawnSync } from "node:child_process";
import cluster from "node:cluster";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import { option } from "./model-run.ts";
import { cpuMsOf, memoryOf, processTree } from "./proc.ts";

const PORT = 3201;
const PAGES = 40;
const pagesFile = resolve("bench/data/floor-pages.json");
const serverFile = resolve("bench/data/floor-server.js");
const mode = process.env.UNCLENCH_FLOOR_SERVE;

if (mode) await serve(mode);
else await drive();

async function serve(how: string) {
  // The heap setting production runs with (server.ts).
  v8.setFlagsFromString("--heap-growing-percent=50");
  if (cluster.isPrimary) {
    for (let i = 0; i < availableParallelism(); i++) cluster.fork();
    return;
  }
  const { default: express } = await import("express");
  const { default: compression } = await import("compression");
  const { BROTLI_OPTIONS, compressDocument } = await import("../app/utils/compress.server.ts");
  const zlib = await import("node:zlib");
  const pages = JSON.parse(readFileSync(pagesFile, "utf8")) as string[];
  const stored = pages.map((html) => zlib.brotliCompressSync(Buffer.from(html), BROTLI_OPTIONS));
  const app = express();
  app.disable("x-powered-by");
  app.set("query parser", false);
  app.use(compression({ brotli: BROTLI_OPTIONS }));
  app.get("/p/:n", (req, res, next) => void page(req, res).catch(next));
  async function page(req: import("express").Request, res: import("express").Response) {
    const n = Number(req.params.n) % pages.length;
    let body = stored[n]!;
    let encoding: string | null = "br";
    if (how === "compressed") {
      const request = new Request(`http://localhost${req.url}`, { headers: { "accept-encoding": req.get("accept-encoding") ?? "" } });
      ({ body, encoding } = await compressDocument(request, Buffer.from(pages[n]!)));
    }
    res.set({ "Content-Type": "text/html; charset=utf-8", "Content-Length": String(body.length), Vary: "Accept-Encoding" });
    if (encoding) res.set("Content-Encoding", encoding);
    res.end(body);
  }
  app.listen(PORT);
}

async function drive() {
  const seconds = option("duration", 10);
  process.env.NODE_ENV = "production";
  process.env.DATABASE_PATH ??= "bench/data/bench.db";
  if (!existsSync(process.env.DATABASE_PATH)) throw new Error(`No ${process.env.DATABASE_PATH}: run npm run bench:seed first.`);
  if (!existsSync("build/index.js")) spawnSync("npm", ["run", "build"], { stdio: "inherit" });

  // The pages a visitor gets, rendered by the built app.
  const { default: Database } = await import("better-sqlite3");
  const sqlite = new Database(process.env.DATABASE_PATH, { readonly: true });
  const threads = sqlite.prepare("SELECT id FROM threads WHERE post_count >= 50 AND removed_at IS NULL LIMIT ?").all(PAGES) as { id: number }[];
  sqlite.close();
  const { createRequestHandler } = await import("@remix-run/node");
  const handler = createRequestHandler(await import(pathToFileURL(resolve("build/index.js")).href), "production");
  const pages: string[] = [];
  for (const { id } of threads) pages.push(await (await handler(new Request(`http://localhost/threads/${id}`))).text());
  writeFileSync(pagesFile, JSON.stringify(pages));
  const kb = pages.reduce((sum, html) => sum + Buffer.byteLength(html), 0) / pages.length / 1024;

  // The app's own work for such pages, from bench/render.ts.
  const render = spawnSync(process.execPath, ["--import", "tsx", "bench/render.ts", "--only", "thread"], { encoding: "utf8", env: process.env });
  const handlerMs = Number(/thread\s+median ([\d.]+)/.exec(render.stdout)?.[1]);

  const bundled = spawnSync(
    "npx",
    ["esbuild", "bench/floor.ts", "--bundle", "--platform=node", "--format=esm", "--packages=external", `--outfile=${serverFile}`, "--log-level=warning"],
    { stdio: "inherit" },
  );
  if (bundled.status !== 0) throw new Error("esbuild could not bundle bench/floor.ts");
  const { default: autocannon } = await import("autocannon");
  const results: { how: string; rps: number; p99: number; cpu: number; rss: number; pss: number }[] = [];
  for (const how of ["stored", "compressed"]) {
    const server = spawn(process.execPath, [serverFile], { env: { ...process.env, UNCLENCH_FLOOR_SERVE: how }, stdio: "inherit" });
    try {
      await waitFor(`http://localhost:${PORT}/p/0`);
      let n = 0;
      const load = (duration: number) =>
        autocannon({
          url: `http://localhost:${PORT}`,
          connections: 10,
          duration,
          headers: { "accept-encoding": "gzip, deflate, br", accept: "text/html" },
          requests: [{ setupRequest: (req) => ({ ...req, path: `/p/${n++}` }) }],
        });
      await load(3);
      const pids = processTree(server.pid);
      const before = cpuMsOf(pids);
      let peak = memoryOf(pids);
      const sampler = setInterval(() => {
        const now = memoryOf(pids);
        peak = { rss: Math.max(peak.rss, now.rss), pss: Math.max(peak.pss, now.pss) };
      }, 200);
      const result = await load(seconds);
      clearInterval(sampler);
      const cpu = (cpuMsOf(pids) - before) / result.requests.total;
      results.push({ how, rps: result.requests.average, p99: result.latency.p99, cpu, rss: peak.rss, pss: peak.pss });
    } finally {
      server.kill("SIGKILL");
      await new Promise((done) => server.once("exit", done));
    }
  }

  const compressed = results.find((r) => r.how === "compressed")!;
  const floorMs = compressed.cpu + handlerMs;
  const cores = availableParallelism();
  console.log(`\nThread pages of ${kb.toFixed(1)} KB (${pages.length} of them), 10 connections, ${seconds} s; ${cores} cores shared with autocannon.\n`);
  console.log("| Served by Express + compression() | req/s | p99 ms | server CPU ms/req | peak RSS MB | peak PSS MB |");
  console.log("|---|---:|---:|---:|---:|---:|");
  for (const r of results) console.log(`| ${r.how} | ${r.rps.toFixed(0)} | ${r.p99} | ${r.cpu.toFixed(2)} | ${r.rss.toFixed(0)} | ${r.pss.toFixed(0)} |`);
  console.log(`\nThe app's Remix handler for such a page, in one process: ${handlerMs.toFixed(2)} ms of CPU (bench/render.ts).`);
  console.log(
    `Floor for a thread page over HTTP: ${compressed.cpu.toFixed(2)} + ${handlerMs.toFixed(2)} = ${floorMs.toFixed(2)} ms of CPU, ` +
      `so at most ${((cores * 1000) / floorMs).toFixed(0)} req/s on ${cores} cores before autocannon takes its share.`,
  );
}

async function waitFor(url: string) {
  for (let i = 0; i < 300; i++) {
    if ((await fetch(url).catch(() => null))?.ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer`);
}
