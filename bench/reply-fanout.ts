// A reply in threads that 10,000 members follow, with and without notification mail (issue 27):
// the reply POST's latency through the production server, and how long the mail then took to leave.
//
//   npm run build && npm run bench:fanout -- [--followers 10000] [--threads 5] [--replies 200] [--pause 50]
//
// Each mode starts from its own copy of one seeded database. "mail": every follower takes replies
// in followed threads by email at once, so the first reply in each thread queues a mail to each of
// them while the later replies are being measured; "site": the same fan-out, delivery on the site only.
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import Database from "better-sqlite3";
import { logIn, startAppServer } from "./app-server.ts";
import { replyBody } from "./corpus.ts";
import { option } from "./model-run.ts";

const FOLLOWERS = option("followers", 10_000);
const THREADS = option("threads", 5);
const REPLIES = option("replies", 200);
const PAUSE_MS = option("pause", 50);
const PORT = option("port", 3471);

const dir = mkdtempSync(join(tmpdir(), "unclench-fanout-"));
process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
const seeded = join(dir, "seed.db");

console.log(`Seeding ${FOLLOWERS} members and ${THREADS} threads they all follow...`);
const seed = spawnSync(process.execPath, ["--import", "tsx", "bench/seed.ts", "--quick", "--members", String(FOLLOWERS + 50), "--db", seeded], {
  stdio: ["ignore", "ignore", "inherit"],
});
if (seed.status !== 0) throw new Error("bench/seed.ts failed");
const prepared = new Database(seeded);
// Confirmed addresses, and no quiet hours, so that mail may leave whatever the clock says.
prepared.prepare("update users set email_verified_at = 1, quiet_from = 0, quiet_until = 0").run();
const busy = prepared.prepare("select id from threads where removed_at is null and locked_at is null order by id limit ?").all(THREADS) as { id: number }[];
const followers = prepared.prepare("select id from users where role = 'member' and deleted_at is null order by id limit ?").all(FOLLOWERS) as { id: number }[];
const poster = prepared.prepare("select username from users where role = 'member' order by id desc limit 1").get() as { username: string };
prepared.transaction(() => {
  const follow = prepared.prepare("insert or ignore into follows (user_id, thread_id, created_at) values (?, ?, ?)");
  for (const t of busy) for (const f of followers) follow.run(f.id, t.id, Date.now());
})();
prepared.close();

type Result = { mode: string; latencies: number[]; mails: number; drainSeconds: number };

async function run(mode: "site" | "mail", round: number): Promise<Result> {
  const db = join(dir, `${mode}-${round}.db`);
  copyFileSync(seeded, db);
  if (mode === "mail") {
    const file = new Database(db);
    file.prepare("insert into mail_preferences (user_id, kind, delivery, updated_at) select id, 'followed', 'now', 0 from users").run();
    file.close();
  }
  // Another server on the port would answer for ours.
  if (
    await fetch(`http://localhost:${PORT}/healthz`).then(
      () => true,
      () => false,
    )
  )
    throw new Error(`Port ${PORT} is in use; pass --port`);
  const outbox = join(dir, `outbox-${mode}-${round}`);
  const server = startAppServer({
    db,
    port: PORT,
    logFile: join(dir, `${mode}-${round}.log`),
    env: { MAIL_OUTBOX: outbox, MAIL_POLL_SECONDS: "1", NOTIFICATION_MAIL_DELAY_SECONDS: "0" },
  });
  try {
    await server.ready();
    const cookie = await logIn(server.origin, poster.username);
    let n = 0;
    const reply = async () => {
      const threadId = busy[n % busy.length]!.id;
      const started = performance.now();
      const res = await fetch(`${server.origin}/threads/${threadId}`, {
        method: "POST",
        redirect: "manual",
        headers: { Cookie: cookie, Origin: server.origin, "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ intent: "post", body: replyBody(++n) }),
      });
      await res.arrayBuffer();
      if (res.status !== 302 && res.status !== 303) throw new Error(`reply ${n}: HTTP ${res.status}`);
      return performance.now() - started;
    };
    // The first reply in each thread starts every follower's group (and, with mail, their mail).
    for (let i = 0; i < busy.length; i++) await reply();
    const latencies: number[] = [];
    for (let i = 0; i < REPLIES; i++) {
      latencies.push(await reply());
      await new Promise((r) => setTimeout(r, PAUSE_MS));
    }
    const drainStarted = performance.now();
    await waitForQuiet(db);
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    return { mode, latencies, mails: countFiles(outbox), drainSeconds };
  } finally {
    await server.stop();
  }
}

/** Until no notification waits for the mail sweep and no mail waits in the outbox. */
async function waitForQuiet(db: string) {
  const file = new Database(db, { readonly: true });
  try {
    for (;;) {
      const due = file.prepare("select count(*) as n from notifications where mail_due_at is not null").get() as { n: number };
      const queued = file.prepare("select count(*) as n from mail_outbox where sent_at is null and failed_at is null").get() as { n: number };
      if (due.n === 0 && queued.n === 0) return;
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    file.close();
  }
}

function countFiles(folder: string) {
  try {
    return readdirSync(folder).filter((f) => f.endsWith(".eml")).length;
  } catch {
    return 0;
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const results: Result[] = [];
for (const [round, mode] of (["site", "mail", "site", "mail"] as const).entries()) {
  const result = await run(mode, round);
  results.push(result);
  const sorted = [...result.latencies].sort((a, b) => a - b);
  console.log(
    `${mode.padEnd(4)}: reply POST p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p90 ${quantile(sorted, 0.9).toFixed(1)} ms, ` +
      `p99 ${quantile(sorted, 0.99).toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms over ${sorted.length} replies; ` +
      `${result.mails} mails written, all sent ${result.drainSeconds.toFixed(1)} s after the last reply`,
  );
}
