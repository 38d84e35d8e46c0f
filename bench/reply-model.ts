// Measures createReply() (the model, no HTTP, one process) and prints the time per reply: the
// write path without the noise of a shared machine's HTTP load.
//
//   npx tsx bench/reply-model.ts            on a copy of bench/data/quick.db (made if missing)
//   ... --replies 2000 --rounds 3
//
// Each round starts from a fresh copy, so rounds and commits compare like for like.
import { performance } from "node:perf_hooks";
import { option, runOnQuickCopy } from "./model-run.ts";

const REPLIES = option("replies", 2000);
const ROUNDS = option("rounds", 3);

if (process.env.REPLY_MODEL_ROUND) {
  const { sqlite: connections } = await import("../db/client.ts");
  const { createReply } = await import("../app/models/posts.server.ts");
  const sqlite = connections.writer;
  sqlite.prepare("UPDATE users SET guidelines_accepted_at = 1").run();
  const members = sqlite
    .prepare("SELECT id, role FROM users WHERE role = 'member' AND suspended_at IS NULL AND silenced_at IS NULL AND deleted_at IS NULL LIMIT 20")
    .all() as { id: number; role: "member" }[];
  const threads = sqlite.prepare("SELECT id FROM threads WHERE locked_at IS NULL AND removed_at IS NULL LIMIT 50").all() as { id: number }[];
  let n = 0;
  const reply = async () => {
    const member = members[n % members.length]!;
    const result = await createReply(
      { ...member, silencedUntil: null },
      threads[n % threads.length]!.id,
      `Reply ${++n}: magnesium and a calf stretch helped tonight.`,
    );
    if (!result.ok) throw new Error(`reply ${n} was refused: ${JSON.stringify(result)}`);
  };
  for (let i = 0; i < 300; i++) await reply();
  const started = performance.now();
  for (let i = 0; i < REPLIES; i++) await reply();
  console.log(`${((performance.now() - started) / REPLIES).toFixed(3)} ms per reply`);
} else {
  for (let round = 1; round <= ROUNDS; round++) {
    console.log(`createReply, round ${round}: ${runOnQuickCopy("bench/reply-model.ts", { REPLY_MODEL_ROUND: String(round) })}`);
  }
}
