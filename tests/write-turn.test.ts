import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Workers take turns to write (app/utils/write-turn.server.ts): the real module, in a real
// node:cluster, with the steps each "request" took written to a log in the order they happened.
function run(scenario: "all" | "die") {
  const log = join(mkdtempSync(join(tmpdir(), "unclench-turns-")), "turns.log");
  const result = spawnSync(process.execPath, ["--import", "tsx", "tests/fixtures/write-turn-cluster.ts"], {
    env: { ...process.env, TURN_LOG: log, SCENARIO: scenario },
    timeout: 30_000,
  });
  expect(result.status, String(result.stderr)).toBe(0);
  return readFileSync(log, "utf8").trim().split("\n");
}

/** Who held the turn after each step: a request between its start and end, unless it stepped out. */
function holders(lines: string[]) {
  const holding = new Set<string>();
  const most = { count: 0 };
  for (const line of lines) {
    const [step, request] = line.split(" ") as [string, string];
    if (step === "start" || step === "back") holding.add(request);
    else holding.delete(request);
    most.count = Math.max(most.count, holding.size);
  }
  return most.count;
}

describe("write turns", () => {
  it("lets one request at a time write, across workers, and every request gets its turn", () => {
    const lines = run("all");
    expect(holders(lines)).toBe(1);
    for (const worker of ["a", "b"]) {
      for (let i = 0; i < 10; i++) expect(lines).toContain(`end ${worker}${i}`);
    }
  });

  it("gives the turn to others while a request waits outside it, then takes it back", () => {
    const lines = run("all");
    for (const worker of ["a", "b"]) {
      const out = lines.indexOf(`out ${worker}2`);
      const back = lines.indexOf(`back ${worker}2`);
      expect(out).toBeGreaterThan(-1);
      // Somebody else started writing while this request was out.
      expect(lines.slice(out, back).some((line) => line.startsWith("start"))).toBe(true);
    }
  });

  it("hands the turn on when a worker dies holding it", () => {
    const lines = run("die");
    expect(lines).toContain("start a4");
    expect(lines).not.toContain("end a4");
    // a4 never ends; apart from it, still one at a time.
    expect(holders(lines.filter((line) => !line.endsWith(" a4")))).toBe(1);
    for (let i = 0; i < 10; i++) expect(lines).toContain(`end b${i}`);
  });
});
