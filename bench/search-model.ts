// Measures searchForum() (the model, no HTTP) on a big forum and prints p50/p95 per query.
//
//   npx tsx bench/search-model.ts            builds (once) and reuses $TMPDIR/unclench-search-bench.db
//   DATABASE_PATH=big.db npx tsx bench/...   uses an existing database (migrated first)
//   ... --db big.db | --db postgres://…      the same, for a SQLite file or a PostgreSQL database
//                                            (migrated first: on a big forum without the search
//                                            migration, that is minutes of indexing)
//   ... --rebuild                            throws the cached synthetic database away first
//   ... --threads 100000 --posts 1000000 --runs 200
//
// The synthetic forum is written with plain SQL (the FTS triggers run as they would in
// production). Word frequencies are chosen so that "cramp" is in about a fifth of all posts,
// like on the real forum, and the long tail is Zipf-distributed made-up words.
import { count as countRows, sql } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { option } from "./model-run.ts";

const THREADS = option("threads", 100_000);
const POSTS = option("posts", 1_000_000);
const RUNS = option("runs", 200);
const dbAt = process.argv.indexOf("--db");
const target = dbAt > 0 ? process.argv[dbAt + 1] : undefined;
// The database client picks its engine from the environment when loaded, so set it first.
const onPostgres = /^postgres(ql)?:\/\//.test(target ?? "");
if (onPostgres) process.env.DATABASE_URL = target;
else if (target) process.env.DATABASE_PATH = target;
const given = process.env.DATABASE_PATH;
const path = onPostgres ? target!.replace(/\/\/[^@/]*@/, "//") : (given ?? join(tmpdir(), "unclench-search-bench.db"));
if (!onPostgres && !given && process.argv.includes("--rebuild")) for (const suffix of ["", "-wal", "-shm"]) rmSync(path + suffix, { force: true });
if (!onPostgres) process.env.DATABASE_PATH = path;

const { db, sqlite: connections, migrateDatabase, closeDatabase } = await import("../db/client.ts");
const { boards, posts } = await import("../db/schema.ts");
const { seed } = await import("../db/seed.ts");
const { searchForum } = await import("../app/models/search.server.ts");

let started = performance.now();
await migrateDatabase();
await seed();
const count = async () => (await db.select({ n: countRows() }).from(posts))[0]!.n;
const sizeMiB = async () => {
  if (!onPostgres) return statSync(path).size / 2 ** 20;
  const pg = db as unknown as NodePgDatabase;
  const { rows } = await pg.execute(sql`select pg_database_size(current_database())::float8 as size`);
  return (rows[0] as { size: number }).size / 2 ** 20;
};

// Deterministic, fast pseudo-random numbers (mulberry32), so every build is the same forum.
let state = 0x9e3779b9;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)]!;

const FUNCTION_WORDS = "the and i to a of my it is in that for with but at on was have this me be so not when they".split(" ");
// [word, share of posts that contain it]
const TOPICAL: [string, number][] = [
  ["cramp", 0.12],
  ["cramps", 0.08],
  ["cramping", 0.03],
  ["leg", 0.15],
  ["calf", 0.08],
  ["night", 0.12],
  ["stretch", 0.05],
  ["stretching", 0.03],
  ["magnesium", 0.04],
  ["baclofen", 0.03],
  ["spasticity", 0.03],
  ["spasms", 0.05],
  ["fibromyalgia", 0.03],
  ["neuropathy", 0.02],
  ["gabapentin", 0.02],
  ["tizanidine", 0.01],
  ["sleep", 0.08],
  ["pain", 0.1],
  ["doctor", 0.05],
  ["water", 0.04],
  ["potassium", 0.01],
  ["quinine", 0.002],
  ["dantrolene", 0.0005],
  ["botox", 0.005],
  ["physio", 0.02],
  ["tonic", 0.003],
];
const SYLLABLES = "ka lo mi ra te su no vi pe da zo fu ri ma ke ho ne bi sa to ly qu ex".split(" ");
const TAIL = Array.from({ length: 30_000 }, (_, i) => {
  let word = "";
  for (let n = i + 7; n > 0; n = Math.floor(n / SYLLABLES.length)) word += SYLLABLES[n % SYLLABLES.length];
  return word;
});
// Zipf: word k is chosen with probability ∝ 1/k, by inverting the harmonic CDF approximately.
const zipf = () => TAIL[Math.min(TAIL.length - 1, Math.floor(Math.exp(random() * Math.log(TAIL.length)) - 1))]!;

function text(words: number) {
  const out: string[] = [];
  for (let i = 0; i < words; i++) out.push(random() < 0.45 ? pick(FUNCTION_WORDS) : zipf());
  for (const [word, share] of TOPICAL) {
    if (random() < share) out.splice(Math.floor(random() * out.length), 0, word);
  }
  if (random() < 0.05) out.splice(Math.floor(random() * out.length), 0, "leg", "cramps");
  return out.join(" ");
}

function build() {
  const sqlite = connections.writer;
  console.log(`Building a synthetic forum: ${THREADS.toLocaleString("en")} threads, ${POSTS.toLocaleString("en")} posts…`);
  const users = 2_000;
  const boards = (sqlite.prepare("SELECT id FROM boards").all() as { id: number }[]).map((b) => b.id);
  const insertUser = sqlite.prepare("INSERT INTO users (username, email, password_hash) VALUES (?, ?, 'x')");
  const insertThread = sqlite.prepare(
    "INSERT INTO threads (board_id, author_id, title, created_at, last_post_at, post_count, reply_count, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  const insertPost = sqlite.prepare(
    "INSERT INTO posts (thread_id, author_id, number, body_markdown, body_html, created_at, deleted_at, removed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  );
  sqlite.transaction(() => {
    for (let i = 1; i <= users; i++) insertUser.run(`bench${i}`, `bench${i}@example.org`);
  })();
  const start = Date.UTC(2020, 0, 1);
  let written = 0;
  const batch = sqlite.transaction((from: number, to: number) => {
    for (let t = from; t < to; t++) {
      // Spread the posts: every thread gets at least one, the rest at random (mean POSTS/THREADS).
      const left = POSTS - written;
      const threadsLeft = THREADS - t;
      const postsHere = t === THREADS - 1 ? left : Math.max(1, Math.min(left - (threadsLeft - 1), Math.round(random() * 2 * (left / threadsLeft))));
      const created = start + t * 60_000;
      const removed = random() < 0.005 ? created : null;
      const id = insertThread.run(
        pick(boards),
        1 + Math.floor(random() * users),
        text(3 + Math.floor(random() * 6)),
        created,
        created,
        postsHere,
        postsHere - 1,
        removed,
      ).lastInsertRowid;
      for (let n = 1; n <= postsHere; n++) {
        const body = text(20 + Math.floor(random() * 60));
        const gone = random() < 0.01 ? created : null;
        insertPost.run(id, 1 + Math.floor(random() * users), n, body, `<p>${body}</p>`, created + n * 1000, gone, null);
      }
      written += postsHere;
    }
  });
  for (let t = 0; t < THREADS; t += 5_000) {
    batch(t, Math.min(THREADS, t + 5_000));
    process.stdout.write(`\r  ${written.toLocaleString("en")} posts`);
  }
  process.stdout.write("\n");
  sqlite.exec("INSERT INTO posts_fts(posts_fts) VALUES ('optimize'); INSERT INTO threads_fts(threads_fts) VALUES ('optimize'); ANALYZE;");
}

if ((await count()) === 0) {
  // The synthetic forum is written with SQLite's own statements; a PostgreSQL forum is brought in with db:copy.
  if (onPostgres) throw new Error("That PostgreSQL database has no posts: copy a forum into it first (npm run db:copy).");
  build();
}
console.log(
  `Database: ${path} — ${(await count()).toLocaleString("en")} posts, ${((await sizeMiB()) | 0).toLocaleString("en")} MiB (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
);
// On PostgreSQL the queries run in the server's processes: "cpu" below is this process only
// (building queries, reading rows, cutting snippets), and wall time is the figure to compare.
if (onPostgres) console.log("PostgreSQL: cpu is this Node process only; the server's work shows in wall time.");

const boardSlug = (await db.select({ slug: boards.slug }).from(boards).orderBy(boards.position).limit(1).offset(3))[0]!.slug;
const cases: { label: string; kind: "common" | "rare"; q: string; board?: string; page?: number }[] = [
  { label: "cramp", kind: "common", q: "cramp" },
  { label: "leg cramps", kind: "common", q: "leg cramps" },
  { label: '"leg cramps" (phrase)', kind: "common", q: '"leg cramps"' },
  { label: "stretch* (prefix)", kind: "common", q: "stretch*" },
  { label: "the (in most posts)", kind: "common", q: "the" },
  { label: "cramp, one board", kind: "common", q: "cramp", board: boardSlug },
  { label: "cramp, page 5", kind: "common", q: "cramp", page: 5 },
  { label: "magnesium night sleep", kind: "common", q: "magnesium night sleep" },
  { label: "quinine", kind: "rare", q: "quinine" },
  { label: "dantrolene", kind: "rare", q: "dantrolene" },
  { label: "quinine tonic", kind: "rare", q: "quinine tonic" },
  { label: "tail word", kind: "rare", q: TAIL[20_000]! },
  { label: "no match", kind: "rare", q: "xylophonic" },
  { label: "1,000-char hostile", kind: "rare", q: 'NEAR( "cramp * -leg OR '.repeat(50).slice(0, 1000) },
];

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const ms = (n: number) => n.toFixed(2).padStart(7);
// Wall time is what a visitor waits; CPU time (this process's user+system) is the work the query
// did, and stays honest when other programs share the machine. Both are printed.
const all: Record<string, { wall: number[]; cpu: number[] }> = { common: { wall: [], cpu: [] }, rare: { wall: [], cpu: [] } };
console.log(
  `\n${"query".padEnd(26)} ${"ranking".padEnd(9)} ${"threads".padStart(7)}  ${"wall p50".padStart(8)} ${"p95".padStart(7)}  ${"cpu p50".padStart(7)} ${"p95".padStart(7)}  (ms)`,
);
for (const c of cases) {
  const run = () => searchForum({ q: c.q, boardSlug: c.board, page: c.page ?? 1 });
  for (let i = 0; i < 5; i++) await run();
  const wall: number[] = [];
  const cpu: number[] = [];
  let outcome = await run();
  for (let i = 0; i < RUNS; i++) {
    const cpuStart = process.cpuUsage();
    started = performance.now();
    outcome = await run();
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuStart);
    cpu.push((used.user + used.system) / 1000);
  }
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  all[c.kind]!.wall.push(...wall);
  all[c.kind]!.cpu.push(...cpu);
  const ranking = outcome.status === "ok" ? outcome.ranking : "-";
  const found = outcome.status === "ok" ? `${outcome.total}${outcome.capped ? "+" : ""}` : "0";
  console.log(
    `${c.label.padEnd(26)} ${ranking.padEnd(9)} ${found.padStart(7)}  ${ms(quantile(wall, 0.5)).padStart(8)} ${ms(quantile(wall, 0.95))}  ${ms(quantile(cpu, 0.5))} ${ms(quantile(cpu, 0.95))}`,
  );
}
for (const kind of ["common", "rare"]) {
  const { wall, cpu } = all[kind]!;
  wall.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  console.log(
    `All ${kind} queries (${wall.length} runs): wall p50 ${ms(quantile(wall, 0.5))} p95 ${ms(quantile(wall, 0.95))} · cpu p50 ${ms(quantile(cpu, 0.5))} p95 ${ms(quantile(cpu, 0.95))}`,
  );
}
console.log(
  `Load average while measuring: ${(await import("node:os"))
    .loadavg()
    .map((n) => n.toFixed(1))
    .join(" ")} on ${(await import("node:os")).availableParallelism()} CPUs`,
);
await closeDatabase();
