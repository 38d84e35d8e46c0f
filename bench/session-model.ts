// Measures what one session validation costs (getSession: lucia's lookup of the session and its
// member, no HTTP, one process): what a request saves for each validation it no longer repeats.
//
//   npx tsx bench/session-model.ts          on a copy of bench/data/quick.db (made if missing)
//   ... --calls 5000 --rounds 3
import { performance } from "node:perf_hooks";
import { option, runOnQuickCopy } from "./model-run.ts";

const CALLS = option("calls", 5000);
const ROUNDS = option("rounds", 3);

if (process.env.SESSION_MODEL_COPY) {
  const { getSession, startSession } = await import("../app/utils/auth.server.ts");
  const { sqlite } = await import("../db/client.ts");
  const member = sqlite.reader.prepare("SELECT id FROM users WHERE role = 'member' AND suspended_at IS NULL LIMIT 1").get() as { id: number };
  const cookie = (await startSession(member.id, new Request("http://localhost/"))).split(";")[0]!;
  const request = new Request("http://localhost/", { headers: { Cookie: cookie } });
  if (!(await getSession(request))) throw new Error("the session did not validate");
  for (let round = 1; round <= ROUNDS; round++) {
    const started = performance.now();
    for (let i = 0; i < CALLS; i++) await getSession(request);
    console.log(`getSession, round ${round}: ${(((performance.now() - started) / CALLS) * 1000).toFixed(0)} µs per validation`);
  }
} else {
  console.log(runOnQuickCopy("bench/session-model.ts", { SESSION_MODEL_COPY: "1" }));
}
