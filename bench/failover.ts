// A reply load through the proxy during which one app server is killed with SIGKILL, for
// bench/servers.ts. Every reply carries a unique marker, so afterwards the database says exactly
// which were stored: an answer of 302 must always mean the reply is there. Readers load thread
// pages at the same time: a GET caught at the dead server is one nginx may pass on.
import { Agent, request } from "node:http";
import type { AppServer } from "./app-server.ts";
import { type Rng } from "./corpus.ts";
import { storedMarkers } from "./facts.ts";

type Attempt = { marker: string; sentAt: number; answeredAt: number; status: number | null; upstream: string | null; error?: string };

/** A POST of the form `body`, or a GET when there is none. */
function send(agent: Agent, origin: string, path: string, cookie: string, body?: string) {
  return new Promise<{ status: number; upstream: string | null }>((done, fail) => {
    const form = body === undefined ? {} : { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body) };
    const req = request(
      `${origin}${path}`,
      { method: body === undefined ? "GET" : "POST", agent, timeout: 10_000, headers: { cookie, origin, ...form } },
      (res) => {
        res.resume();
        res.on("end", () => done({ status: res.statusCode ?? 0, upstream: (res.headers["x-upstream"] as string | undefined) ?? null }));
        res.on("error", fail);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timed out")));
    req.on("error", fail);
    req.end(body);
  });
}

export type FailoverResult = Awaited<ReturnType<typeof failover>>;

export async function failover(options: {
  db: string;
  origin: string;
  rng: Rng;
  cookies: string[];
  replyThreads: number[];
  threadPages: { id: number; pages: number }[];
  connections: number;
  readers: number;
  seconds: number;
  killAfterSeconds: number;
  victim: AppServer;
  victimPort: number;
  survivorPort: number;
}) {
  const { origin, rng, cookies, replyThreads } = options;
  // Letters and digits only (bench/facts.ts storedMarkers finds them with LIKE), unique per run.
  const prefix = `failover${Date.now().toString(36)}x`;
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const attempts: Attempt[] = [];
  let n = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  let killedAt = Infinity;
  const killer = setTimeout(() => {
    killedAt = performance.now();
    options.victim.child.kill("SIGKILL");
  }, options.killAfterSeconds * 1000);

  async function loop() {
    while (performance.now() < deadline) {
      const marker = `${prefix}${++n}`;
      const body = new URLSearchParams({ intent: "post", body: `Failover reply ${marker}: a warm bath and a slow calf stretch helped me.` }).toString();
      const sentAt = performance.now();
      try {
        const answer = await send(agent, origin, `/threads/${rng.pick(replyThreads)}`, rng.pick(cookies), body);
        attempts.push({ marker, sentAt, answeredAt: performance.now(), ...answer });
      } catch (error) {
        attempts.push({ marker, sentAt, answeredAt: performance.now(), status: null, upstream: null, error: (error as Error).message });
      }
    }
  }
  const reads = new Map<string, number>();
  const readAgent = new Agent({ keepAlive: true, maxSockets: options.readers });
  async function read() {
    while (performance.now() < deadline) {
      const t = rng.pick(options.threadPages);
      const answer = await send(readAgent, origin, `/threads/${t.id}?page=${rng.int(1, t.pages)}`, "").catch((e: Error) => ({ status: e.message }));
      reads.set(String(answer.status), (reads.get(String(answer.status)) ?? 0) + 1);
    }
  }
  await Promise.all([...Array.from({ length: options.connections }, loop), ...Array.from({ length: options.readers }, read)]);
  clearTimeout(killer);
  agent.destroy();
  readAgent.destroy();

  const stored = await storedMarkers(
    options.db,
    prefix,
    attempts.map((a) => a.marker),
  );
  const answered302 = attempts.filter((a) => a.status === 302);
  const failed = attempts.filter((a) => a.status !== 302);
  const victim = `127.0.0.1:${options.victimPort}`;
  const survivor = `127.0.0.1:${options.survivorPort}`;
  // Sent after the kill. The first moments still catch replies nginx had already handed to the dying
  // process; from a second on, every reply must reach the survivor and succeed.
  const afterKill = attempts.filter((a) => a.sentAt > killedAt);
  const settled = attempts.filter((a) => a.sentAt > killedAt + 1000);
  // $upstream_addr lists every server tried, e.g. "127.0.0.1:3302, 127.0.0.1:3301" after a refused connection.
  const last = (a: Attempt) => a.upstream?.split(", ").at(-1);
  const statuses = (list: Attempt[]) => {
    const counts = new Map<string, number>();
    for (const a of list) {
      const key = a.status === null ? `no answer (${a.error})` : String(a.status);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    return Object.fromEntries(counts);
  };
  return {
    connections: options.connections,
    readers: options.readers,
    /** Thread pages read during the whole load, by status. */
    reads: Object.fromEntries(reads),
    seconds: options.seconds,
    killedAtSeconds: Number.isFinite(killedAt) ? Math.round(killedAt - started) / 1000 : null,
    sent: attempts.length,
    answered302: answered302.length,
    answered302NotStored: answered302.filter((a) => !stored.has(a.marker)).map((a) => a.marker),
    failed: failed.length,
    failedStatuses: statuses(failed),
    failedButStored: failed.filter((a) => stored.has(a.marker)).length,
    /** Failures sent before the kill and answered after it: the replies in flight at the victim. */
    failedInFlight: failed.filter((a) => a.sentAt <= killedAt && a.answeredAt >= killedAt).length,
    stored: stored.size,
    beforeKill: {
      victim: attempts.filter((a) => a.sentAt <= killedAt && a.upstream === victim).length,
      survivor: attempts.filter((a) => a.sentAt <= killedAt && a.upstream === survivor).length,
    },
    afterKill: {
      sent: afterKill.length,
      ok: afterKill.filter((a) => a.status === 302).length,
      statuses: statuses(afterKill),
      bySurvivor: afterKill.filter((a) => last(a) === survivor).length,
      passedOn: afterKill.filter((a) => a.upstream?.includes(victim) && last(a) === survivor).length,
      failedAtVictim: afterKill.filter((a) => last(a) === victim).length,
    },
    /** Sent more than a second after the kill: all must be answered 302 by the survivor. */
    settled: { sent: settled.length, ok: settled.filter((a) => a.status === 302 && last(a) === survivor).length },
  };
}
