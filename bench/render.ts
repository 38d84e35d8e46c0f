// CPU time per page through the built app's Remix handler, in this process: no HTTP, no
// compression, no load generator on the same cores. Steadier than req/s on a shared machine,
// so small changes to rendering can be compared (run it on each build, alternating).
//
//   npm run bench:render                       build/ on bench/data/bench.db, visitors' pages
//   npm run bench:render -- --build-dir /elsewhere/build --rounds 7 --requests 300 --only thread,board
//
// Prints, per kind of page, the CPU ms per request of each round and their median.
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { option } from "./model-run.ts";

const at = process.argv.indexOf("--build-dir");
const buildDir = resolve(at > 0 ? process.argv[at + 1]! : "build");
const ROUNDS = option("rounds", 5);
const REQUESTS = option("requests", 300);
process.env.NODE_ENV = "production";
process.env.DATABASE_PATH ??= "bench/data/bench.db";

const { default: Database } = await import("better-sqlite3");
const sqlite = new Database(process.env.DATABASE_PATH, { readonly: true });
const threads = sqlite.prepare("SELECT id, (post_count + 49) / 50 AS pages FROM threads WHERE post_count >= 50 AND removed_at IS NULL LIMIT 200").all() as {
  id: number;
  pages: number;
}[];
const boards = sqlite.prepare("SELECT slug FROM boards").all() as { slug: string }[];
sqlite.close();
if (threads.length === 0) throw new Error(`No 50-post threads in ${process.env.DATABASE_PATH}: run npm run bench:seed first.`);

const { createRequestHandler } = await import("@remix-run/node");
const build = await import(pathToFileURL(`${buildDir}/index.js`).href);
const handler = createRequestHandler(build, "production");

let n = 0;
const kinds: Record<string, () => string> = {
  thread: () => {
    const t = threads[n % threads.length]!;
    return `/threads/${t.id}?page=${(n % t.pages) + 1}`;
  },
  board: () => `/boards/${boards[n % boards.length]!.slug}?page=${(n % 20) + 1}`,
  home: () => "/",
  search: () => `/search?q=${["cramp", "night", "magnesium", "dantrolene", "myokymia"][n % 5]}`,
};

async function round(path: () => string) {
  const before = process.cpuUsage();
  for (let i = 0; i < REQUESTS; i++, n++) {
    const response = await handler(new Request(`http://localhost${path()}`));
    if (response.status !== 200) throw new Error(`${path()}: ${response.status}`);
    await response.arrayBuffer();
  }
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000 / REQUESTS;
}

const onlyAt = process.argv.indexOf("--only");
const only = onlyAt > 0 ? process.argv[onlyAt + 1]!.split(",") : Object.keys(kinds);

console.log(`${buildDir} on ${process.env.DATABASE_PATH}: CPU ms per request, ${ROUNDS} rounds of ${REQUESTS}`);
for (const [kind, path] of Object.entries(kinds).filter(([kind]) => only.includes(kind))) {
  await round(path); // warm-up: JIT and SQLite's page cache
  const rounds: number[] = [];
  for (let r = 0; r < ROUNDS; r++) rounds.push(await round(path));
  const median = [...rounds].sort((a, b) => a - b)[Math.floor(rounds.length / 2)]!;
  console.log(`${kind.padEnd(7)} median ${median.toFixed(2)}  (${rounds.map((ms) => ms.toFixed(2)).join(" ")})`);
}
