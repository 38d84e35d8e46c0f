// The request mixes the benchmarks send and one timed autocannon run of a mix: shared by
// bench/run.ts and bench/servers.ts.
import autocannon from "autocannon";
import { drain, type Meter } from "./app-server.ts";
import { COMMON_TERMS, RARE_TERMS, replyBody, type Rng } from "./corpus.ts";
import type { Facts } from "./facts.ts";

export type Req = { method?: "GET" | "POST"; path: string; headers?: Record<string, string>; body?: string };
export type Scenario = { key: string; name: string; expect: number; next: () => Req };

// Sent by every browser; the server's compression middleware then does its real work.
export const BROWSER_HEADERS = { "accept-encoding": "gzip, deflate, br", accept: "text/html" };

/** The name of the search form's query field, or null when there is no /search page. */
export async function searchParam(origin: string): Promise<string | null> {
  const res = await fetch(`${origin}/search`);
  if (res.status === 404) return null;
  const html = await res.text();
  const input = /<input[^>]*type="search"[^>]*>/.exec(html)?.[0] ?? "";
  return /name="([^"]+)"/.exec(input)?.[1] ?? "q";
}

export function scenarios(options: {
  facts: Facts;
  rng: Rng;
  cookies: string[];
  /** The Origin a browser on this site sends with a form (the proxy's, behind one). */
  origin: string;
  search: string | null;
  only?: string[];
}): Scenario[] {
  const { facts, rng, cookies, origin, search, only } = options;
  let replies = 0;
  const list: Scenario[] = [
    {
      key: "thread",
      name: "Thread page (50 posts)",
      expect: 200,
      next: () => {
        const t = rng.pick(facts.threadPages);
        return { path: `/threads/${t.id}?page=${rng.int(1, t.pages)}` };
      },
    },
    {
      key: "board",
      name: "Board page (pages 1–20)",
      expect: 200,
      next: () => {
        const b = rng.pick(facts.boardPages);
        return { path: `/boards/${b.slug}?page=${rng.int(1, b.pages)}` };
      },
    },
    { key: "home", name: "Home page", expect: 200, next: () => ({ path: "/" }) },
  ];
  if (search) {
    const q = (term: string) => `/search?${new URLSearchParams({ [search]: term })}`;
    list.push(
      { key: "search-common", name: "Search, common term", expect: 200, next: () => ({ path: q(rng.pick(COMMON_TERMS)) }) },
      { key: "search-rare", name: "Search, rare term", expect: 200, next: () => ({ path: q(rng.pick(RARE_TERMS)) }) },
    );
  }
  list.push({
    key: "reply",
    name: "Reply POST (logged in)",
    expect: 302,
    next: () => ({
      method: "POST",
      path: `/threads/${rng.pick(facts.replyThreads)}`,
      headers: { cookie: rng.pick(cookies), origin, "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ intent: "post", body: replyBody(++replies) }).toString(),
    }),
  });
  return list.filter((s) => !only || only.includes(s.key));
}

export type Run = {
  engine: string;
  scenario: string;
  connections: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  bad: number;
  ok: number;
  peakRss: number;
  peakPss: number;
  /** CPU ms per response: app and database server together, and the database server's share. */
  cpuPerRequest: number;
  dbCpuPerRequest: number;
  diskKbPerRequest: number;
};

export const round = (ms: number) => Math.round(ms * 10) / 10;

export function percentile(sorted: number[], p: number) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : NaN;
}

/** One run of a scenario: `connections` clients for `seconds`, measured on `meter`. */
export async function cannon(target: { origin: string; engine: string; meter: Meter }, s: Scenario, connections: number, seconds: number): Promise<Run> {
  const { origin, meter } = target;
  await drain(origin);
  const cpuBefore = meter.cpuMs();
  const diskBefore = meter.diskReadBytes();
  const latencies: number[] = [];
  let ok = 0;
  let bad = 0;
  let { rss: peakRss, pss: peakPss } = meter.memory();
  const sampler = setInterval(() => {
    const now = meter.memory();
    peakRss = Math.max(peakRss, now.rss);
    peakPss = Math.max(peakPss, now.pss);
  }, 200);
  const options: autocannon.Options = {
    url: origin,
    connections,
    duration: seconds,
    headers: BROWSER_HEADERS,
    requests: [
      {
        setupRequest: (req) => {
          const next = s.next();
          return { ...req, method: next.method ?? "GET", path: next.path, headers: { ...req.headers, ...next.headers }, body: next.body };
        },
      },
    ],
  };
  const result = await new Promise<autocannon.Result>((done, fail) => {
    const instance = autocannon(options, (error, result) => (error ? fail(error) : done(result)));
    instance.on("response", (_client, status, _bytes, time) => {
      latencies.push(time);
      if (status === s.expect) ok++;
      else bad++;
    });
  });
  clearInterval(sampler);
  // Includes the backlog the server finishes after autocannon stops, so it is charged here.
  await drain(origin);
  const cpuAfter = meter.cpuMs();
  const answered = Math.max(1, latencies.length);
  const dbCpu = cpuAfter.db - cpuBefore.db;
  latencies.sort((a, b) => a - b);
  return {
    engine: target.engine,
    scenario: s.name,
    connections,
    rps: ok / result.duration,
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    errors: result.errors,
    bad,
    ok,
    peakRss,
    peakPss,
    cpuPerRequest: round((cpuAfter.app - cpuBefore.app + dbCpu) / answered),
    dbCpuPerRequest: round(dbCpu / answered),
    diskKbPerRequest: round((meter.diskReadBytes() - diskBefore) / 1024 / answered),
  };
}

/** One line per run on the console. */
export function describeRun(run: Run) {
  return (
    `${run.engine.padEnd(10)} ${run.scenario.padEnd(26)} ${String(run.connections).padStart(3)} conn: ${run.rps.toFixed(0).padStart(6)} req/s  ` +
    `p50 ${run.p50} ms  p99 ${run.p99} ms  errors ${run.errors}  unexpected status ${run.bad}  ` +
    `CPU ${run.cpuPerRequest} ms/req (db ${run.dbCpuPerRequest})  disk ${run.diskKbPerRequest} KB/req  RSS ${run.peakRss.toFixed(0)} MB  PSS ${run.peakPss.toFixed(0)} MB`
  );
}
