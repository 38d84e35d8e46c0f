// `npm run bench:seed -- [--threads 100000] [--posts 1000000] [--members N] [--seed 42]
//   [--db bench/data/bench.db] [--quick]`
//
// Builds a big, realistic forum for the load benchmark, deterministically (same seed, same forum;
// only the argon2 salt differs). The app's own migrations and seed run first, so the schema is the
// app's; the bulk rows go in with raw better-sqlite3 statements in big transactions (a million
// posts through the models would take hours), so it fills every column and counter the models keep
// (thread/board counters, last poster, reply counts that skip deleted/removed posts).
import { rmSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { AUTHOR_SKEW, BENCH_EMAIL_DOMAIN, BENCH_PASSWORD, bodyLength, makeBody, makeTitle, RARE_TERMS, Rng, usernameFor } from "./corpus.ts";

const { values: args } = parseArgs({
  options: {
    threads: { type: "string" },
    posts: { type: "string" },
    members: { type: "string" },
    seed: { type: "string", default: "42" },
    db: { type: "string" },
    quick: { type: "boolean", default: false },
  },
});

const quick = args.quick;
const threadCount = Number(args.threads ?? (quick ? 300 : 100_000));
const postTarget = Math.max(threadCount, Number(args.posts ?? (quick ? 3_000 : 1_000_000)));
const memberCount = Number(args.members ?? Math.max(100, Math.round(threadCount / 20)));
const seedValue = Number(args.seed);
const dbPath = resolve(args.db ?? (quick ? "bench/data/quick.db" : "bench/data/bench.db"));
// Distinct bodies rendered once; each post reuses one (rendering 1M bodies would take ~20 min).
const POOL_SIZE = quick ? 400 : 5_000;
const MAX_REPLIES = 200;
const STAFF = 11; // member 0 is an admin, 1–10 moderators
// A fixed "now" keeps the forum identical between runs; activity spans the four years before it.
const END = Date.UTC(2026, 10, 1);
const SPAN = 4 * 365 * 24 * 3600_000;
for (const [name, value] of Object.entries({ threadCount, postTarget, memberCount, seedValue })) {
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} must be a positive whole number`);
}

const started = performance.now();
for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(dbPath + suffix, { force: true });

process.env.DATABASE_PATH = dbPath;
const { sqlite: connections, migrateDatabase, closeDatabase } = await import("../db/client.ts");
const { seed } = await import("../db/seed.ts");
const { renderMarkdown } = await import("../app/utils/markdown.server.ts");
const { hashPassword } = await import("../app/utils/passwords.server.ts");
await migrateDatabase();
await seed();

// The bulk load changes the journal mode, which needs the file to itself: everything below goes
// through the write connection, and the read connection is closed.
connections.reader.close();
const sqlite = connections.writer;
const rng = new Rng(seedValue);
const scalar = (sql: string) => Number(Object.values(sqlite.prepare(sql).get() as object)[0] ?? 0);

// ---------------------------------------------------------------------------------------------
// Plan everything in memory first (typed arrays: ~25 bytes a post), then write.
// ---------------------------------------------------------------------------------------------
const boardRows = sqlite.prepare("select id from boards order by position, id").all() as { id: number }[];
const boardWeights = boardRows.map((_, i) => [0.2, 0.22, 0.14, 0.24, 0.12, 0.08][i] ?? 0.1);
const userBase = scalar("select coalesce(max(id), 0) from users");
const threadBase = scalar("select coalesce(max(id), 0) from threads");
const postBase = scalar("select coalesce(max(id), 0) from posts");
const userId = (i: number) => userBase + 1 + i;

const author = () => userId(Math.floor(memberCount * Math.pow(rng.next(), AUTHOR_SKEW)));

function pickBoard() {
  const total = boardWeights.reduce((a, b) => a + b, 0);
  let x = rng.next() * total;
  for (let i = 0; i < boardWeights.length; i++) if ((x -= boardWeights[i]!) <= 0) return i;
  return boardWeights.length - 1;
}

// Replies per thread: a Lomax (long-tail) draw, capped at 200 and scaled so the total is exact.
const replyTarget = postTarget - threadCount;
const raw = Float64Array.from({ length: threadCount }, () => Math.pow(1 - rng.next(), -1 / 1.2) - 1);
let lo = 0;
let hi = 1e6;
const sumFor = (c: number) => raw.reduce((sum, x) => sum + Math.min(MAX_REPLIES, Math.floor(c * x)), 0);
for (let i = 0; i < 60; i++) {
  const mid = (lo + hi) / 2;
  if (sumFor(mid) < replyTarget) lo = mid;
  else hi = mid;
}
const replies = Uint16Array.from(raw, (x) => Math.min(MAX_REPLIES, Math.floor(lo * x)));
let missing = replyTarget - replies.reduce((a, b) => a + b, 0);
if (missing > threadCount * MAX_REPLIES) throw new Error("--posts is more than 201 posts per thread");
while (missing > 0) {
  const t = Math.floor(rng.next() * threadCount);
  if (replies[t]! < MAX_REPLIES) {
    replies[t]!++;
    missing--;
  }
}

// More activity in recent years: start times skew towards END.
const threadStart = Float64Array.from({ length: threadCount }, () => Math.round(END - SPAN * (1 - Math.pow(rng.next(), 0.6)))).sort();
const threadBoard = Uint8Array.from({ length: threadCount }, pickBoard);
const threadAuthor = Int32Array.from({ length: threadCount }, author);

const postThread = new Int32Array(postTarget);
const postNumber = new Uint16Array(postTarget);
const postAuthor = new Int32Array(postTarget);
const postTime = new Float64Array(postTarget);
const postBody = new Uint16Array(postTarget);
// 1 = deleted by author, 2 = removed by a moderator, 4 = edited once
const postFlags = new Uint8Array(postTarget);
const threadLast = new Float64Array(threadCount);
const threadLastPoster = new Int32Array(threadCount);
const threadVisibleReplies = new Uint16Array(threadCount);

let p = 0;
for (let t = 0; t < threadCount; t++) {
  const n = replies[t]! + 1;
  // Reply gaps: exponential, each thread with its own pace (minutes to days); squeezed into
  // the time left before END when a recent thread would run past it.
  const pace = 60_000 * Math.pow(10, rng.next() * 3.5);
  const offsets = [0];
  for (let k = 1; k < n; k++) offsets.push(offsets[k - 1]! + 1000 + rng.exp(pace));
  const room = END - threadStart[t]! - 1000;
  const squeeze = offsets[n - 1]! > room ? room / offsets[n - 1]! : 1;
  for (let k = 0; k < n; k++, p++) {
    postThread[p] = t;
    postNumber[p] = k + 1;
    postAuthor[p] = k === 0 ? threadAuthor[t]! : author();
    postTime[p] = Math.round(threadStart[t]! + offsets[k]! * squeeze);
    postBody[p] = Math.floor(rng.next() * POOL_SIZE);
    const roll = rng.next();
    if (k > 0 && roll < 0.005) postFlags[p] = 1;
    else if (roll < 0.006) postFlags[p] = 2;
    else if (roll < 0.016) postFlags[p] = 4;
    if (k > 0 && postFlags[p] !== 1 && postFlags[p] !== 2) threadVisibleReplies[t]!++;
  }
  threadLast[t] = postTime[p - 1]!;
  threadLastPoster[t] = postAuthor[p - 1]!;
}
// Posts get ids in time order, as on a live forum (a thread's posts are spread over the file).
const postOrder = Uint32Array.from({ length: postTarget }, (_, i) => i).sort((a, b) => postTime[a]! - postTime[b]! || a - b);
const postIdOf = new Int32Array(postTarget);
postOrder.forEach((p, rank) => (postIdOf[p] = postBase + 1 + rank));
const threadFirstPost = new Int32Array(threadCount);
for (let i = 0, t = 0; i < postTarget; i++) if (postNumber[i] === 1) threadFirstPost[t++] = i;

// ---------------------------------------------------------------------------------------------
// Progress: one bar over all the work, in "row" units (rendering a body costs about 40 rows).
// ---------------------------------------------------------------------------------------------
const RENDER_COST = 40;
const estimated = {
  reactions: Math.round(postTarget * 0.45),
  reads: threadCount * 3,
  follows: Math.round(threadCount * 1.6),
  notifications: Math.round(postTarget * 0.25),
};
const bar = new SingleBar(
  {
    format: "{phase} [{bar}] {percentage}% | ETA {eta_formatted} | {duration_formatted} elapsed",
    etaBuffer: 200,
    fps: 5,
    // Logs (CI) are not terminals: print a line every 10 s instead of redrawing.
    noTTYOutput: true,
    notTTYSchedule: 10_000,
  },
  Presets.shades_classic,
);
const totalWork = POOL_SIZE * RENDER_COST + memberCount + threadCount + postTarget * 2 + Object.values(estimated).reduce((a, b) => a + b, 0);
bar.start(totalWork, 0, { phase: "password hash".padEnd(16) });
const phase = (name: string) => bar.update({ phase: name.padEnd(16) });

// Bulk-load settings: rollback journal in memory (WAL would write every page twice; OFF is
// refused by better-sqlite3's defensive mode), no fsync, no FK checks (the plan is consistent
// by construction; foreign_key_check runs at the end).
sqlite.pragma("journal_mode = MEMORY");
sqlite.pragma("synchronous = OFF");
sqlite.pragma("foreign_keys = OFF");
sqlite.pragma("cache_size = -1000000");
sqlite.pragma("temp_store = MEMORY");

// FTS5 external-content tables kept in step by triggers (migrations/0001_search.sql): a trigger
// per row is slower than one 'rebuild' at the end, so drop those triggers while loading and
// put them back afterwards. Only what exists is touched.
const ftsTables = (
  sqlite.prepare("select name, sql from sqlite_master where type = 'table' and sql like 'CREATE VIRTUAL TABLE%fts5%'").all() as { name: string; sql: string }[]
).filter((t) => /content\s*=\s*'[^']+'/i.test(t.sql));
const loaded = ["users", "threads", "posts", "post_revisions", "moderation_log", "reactions", "thread_reads", "follows", "notifications"];
const triggers = (
  sqlite.prepare("select name, tbl_name, sql from sqlite_master where type = 'trigger'").all() as {
    name: string;
    tbl_name: string;
    sql: string;
  }[]
).filter((tr) => loaded.includes(tr.tbl_name) && ftsTables.some((f) => tr.sql.includes(f.name)));
for (const tr of triggers) sqlite.exec(`drop trigger "${tr.name}"`);

const passwordHash = await hashPassword(BENCH_PASSWORD);
const tx = <T>(fn: () => T) => sqlite.transaction(fn)();

// ---- Post body pool --------------------------------------------------------------------------
phase("rendering bodies");
const pool: { md: string; html: string }[] = [];
for (let i = 0; i < POOL_SIZE; i++) {
  // Each rare term lives in exactly one pooled body, so it matches ~posts/POOL_SIZE posts.
  const md = makeBody(rng, bodyLength(rng), i % 500 === 7 ? RARE_TERMS[Math.floor(i / 500)] : undefined);
  pool.push({ md, html: renderMarkdown(md) });
  bar.increment(RENDER_COST);
}

// ---- Members ---------------------------------------------------------------------------------
phase("members");
tx(() => {
  const insert = sqlite.prepare(
    `insert into users (id, username, email, password_hash, role, created_at, guidelines_accepted_at, time_zone)
     values (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const conditions = sqlite.prepare("insert or ignore into user_conditions (user_id, board_id) values (?, ?)");
  for (let i = 0; i < memberCount; i++) {
    const name = usernameFor(i);
    const joined = END - SPAN - Math.floor(rng.next() * 90 * 86_400_000);
    const role = i === 0 ? "admin" : i < STAFF ? "moderator" : "member";
    insert.run(userId(i), name, `${name}@${BENCH_EMAIL_DOMAIN}`, passwordHash, role, joined, joined, rng.chance(0.3) ? "Europe/London" : null);
    for (let k = rng.int(0, 2); k > 0; k--) conditions.run(userId(i), boardRows[pickBoard()]!.id);
    bar.increment();
  }
});

// ---- Threads (with their final counters) ------------------------------------------------------
phase("threads");
const boardStats = boardRows.map(() => ({ threads: 0, posts: 0, last: 0 }));
tx(() => {
  const insert = sqlite.prepare(
    `insert into threads (id, board_id, author_id, title, created_at, last_post_at, last_poster_id, post_count,
       reply_count, pin_position, locked_at, lock_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const pinned = boardRows.map(() => 0);
  for (let t = 0; t < threadCount; t++) {
    const b = threadBoard[t]!;
    // A couple of pinned threads per board, and a few locked ones.
    const pin = pinned[b]! < 2 && t > threadCount / 10 ? ++pinned[b]! : null;
    const locked = rng.chance(0.002) ? threadLast[t]! + 3_600_000 : null;
    insert.run(
      threadBase + 1 + t,
      boardRows[b]!.id,
      threadAuthor[t],
      makeTitle(rng),
      threadStart[t],
      threadLast[t],
      threadLastPoster[t],
      replies[t]! + 1,
      threadVisibleReplies[t],
      pin,
      locked,
      locked ? "This thread ran its course." : null,
    );
    const s = boardStats[b]!;
    s.threads++;
    s.posts += threadVisibleReplies[t]! + (postFlags[threadFirstPost[t]!] === 2 ? 0 : 1);
    s.last = Math.max(s.last, threadLast[t]!);
    bar.increment();
  }
});
tx(() => {
  const update = sqlite.prepare("update boards set thread_count = ?, post_count = ?, last_post_at = ? where id = ?");
  boardStats.forEach((s, b) => update.run(s.threads, s.posts, s.last || null, boardRows[b]!.id));
});

// ---- Posts, in id (time) order, plus their revisions and moderation entries ---------------------
phase("posts");
const CHUNK = 50_000;
const insertPost = sqlite.prepare(
  `insert into posts (id, thread_id, author_id, number, body_markdown, body_html, created_at, edited_at, deleted_at,
     removed_at, removed_by_id, removal_reason) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
);
const insertRevision = sqlite.prepare(
  "insert into post_revisions (post_id, title, body_markdown, body_html, written_at, created_at) values (?, ?, ?, ?, ?, ?)",
);
const insertLog = sqlite.prepare(
  `insert into moderation_log (actor_id, action, target_type, target_id, subject_user_id, reason, created_at)
   values (?, 'remove_post', 'post', ?, ?, ?, ?)`,
);
for (let start = 0; start < postTarget; start += CHUNK) {
  tx(() => {
    for (let rank = start; rank < Math.min(postTarget, start + CHUNK); rank++) {
      const i = postOrder[rank]!;
      const flags = postFlags[i]!;
      const body = pool[postBody[i]!]!;
      const at = postTime[i]!;
      const later = at + 3_600_000;
      const moderator = flags === 2 ? userId(rng.int(1, STAFF - 1)) : null;
      insertPost.run(
        postIdOf[i],
        threadBase + 1 + postThread[i]!,
        postAuthor[i],
        postNumber[i],
        body.md,
        body.html,
        at,
        flags === 4 ? later : null,
        flags === 1 ? later : null,
        flags === 2 ? later : null,
        moderator,
        flags === 2 ? "Removed: this advice could be unsafe." : null,
      );
      if (flags === 4) {
        const old = pool[(postBody[i]! + 1) % POOL_SIZE]!;
        insertRevision.run(postIdOf[i], postNumber[i] === 1 ? "Earlier title" : null, old.md, old.html, at, later);
      }
      if (flags === 2) insertLog.run(moderator, postIdOf[i], postAuthor[i], "Removed: this advice could be unsafe.", later);
    }
  });
  bar.increment(Math.min(CHUNK, postTarget - start));
}

// ---- Reactions, reads, follows, notifications -----------------------------------------------------
const visible = (i: number) => postFlags[i] !== 1 && postFlags[i] !== 2;
const kinds = ["helpful", "me-too", "support"] as const;

phase("reactions");
tx(() => {
  const insert = sqlite.prepare("insert or ignore into reactions (post_id, kind, user_id, created_at) values (?, ?, ?, ?)");
  let done = 0;
  for (let i = 0; i < postTarget; i++) {
    if (!visible(i) || !rng.chance(0.25)) continue;
    for (let k = Math.ceil(Math.pow(rng.next(), 2) * 4); k > 0; k--, done++) {
      insert.run(postIdOf[i], rng.pick(kinds), userId(rng.int(0, memberCount - 1)), postTime[i]! + rng.int(60_000, 86_400_000));
    }
  }
  bar.increment(done);
});

phase("reads");
tx(() => {
  const insert = sqlite.prepare("insert or ignore into thread_reads (user_id, thread_id, last_read_number, created_at) values (?, ?, ?, ?)");
  for (let k = 0; k < estimated.reads; k++) {
    const t = Math.floor(rng.next() * threadCount);
    const count = replies[t]! + 1;
    // Most readers are caught up; some stopped part-way.
    const upTo = rng.chance(0.7) ? count : rng.int(1, count);
    insert.run(author(), threadBase + 1 + t, upTo, threadLast[t]);
    bar.increment();
  }
});

phase("follows");
tx(() => {
  const insert = sqlite.prepare("insert or ignore into follows (user_id, thread_id, created_at) values (?, ?, ?)");
  let done = 0;
  for (let t = 0; t < threadCount; t++, done++) {
    insert.run(threadAuthor[t], threadBase + 1 + t, threadStart[t]);
    const first = threadFirstPost[t]!;
    for (let k = 1; k <= replies[t]!; k++) {
      if (rng.chance(0.06)) {
        insert.run(postAuthor[first + k], threadBase + 1 + t, postTime[first + k]);
        done++;
      }
    }
  }
  bar.increment(done);
});

phase("notifications");
tx(() => {
  const insert = sqlite.prepare(
    `insert or ignore into notifications (user_id, kind, actor_id, thread_id, post_id, created_at, read_at)
     values (?, 'reply', ?, ?, ?, ?, ?)`,
  );
  let done = 0;
  for (let i = 0; i < postTarget; i++) {
    const t = postThread[i]!;
    if (postNumber[i] === 1 || !visible(i) || postAuthor[i] === threadAuthor[t] || !rng.chance(0.28)) continue;
    const at = postTime[i]!;
    insert.run(threadAuthor[t], postAuthor[i], threadBase + 1 + t, postIdOf[i], at, rng.chance(0.9) ? at + 7_200_000 : null);
    done++;
  }
  bar.increment(done);
});

// ---- Search index, then back to the app's normal settings ------------------------------------------
phase("search index");
for (const tr of triggers) sqlite.exec(tr.sql);
for (const fts of ftsTables) sqlite.exec(`insert into "${fts.name}"("${fts.name}") values ('rebuild')`);
bar.update(totalWork, { phase: "done".padEnd(16) });
bar.stop();

sqlite.pragma("foreign_keys = ON");
const problems = sqlite.pragma("foreign_key_check") as unknown[];
if (problems.length) throw new Error(`foreign key problems: ${JSON.stringify(problems.slice(0, 5))}`);
sqlite.pragma("journal_mode = WAL");
const count = (table: string) => (sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
const summary = `${count("users")} members, ${count("threads")} threads, ${count("posts")} posts, ${count("reactions")} reactions, ${count("thread_reads")} reads, ${count("follows")} follows, ${count("notifications")} notifications`;
await closeDatabase();

const seconds = ((performance.now() - started) / 1000).toFixed(1);
const rebuilt = ftsTables.length ? `; rebuilt ${ftsTables.map((f) => f.name).join(", ")}` : "";
console.log(`Wrote ${dbPath} in ${seconds} s (seed ${seedValue}): ${summary}${rebuilt}.`);
console.log(`Every bench member's password is "${BENCH_PASSWORD}".`);
