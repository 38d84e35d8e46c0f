import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { STREAK } from "../app/utils/write-turn.server.ts";

// Workers take turns to write (app/utils/write-turn.server.ts): the real module, in a real
// node:cluster, with the steps each "request" took written to a log in the order they happened.
function run(scenario: "all" | "die" | "gone") {
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

describe("write turns", { timeout: 60_000 }, () => {
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

  it("gives the turn on as soon as an action returns, while its response is still being made", () => {
    const lines = run("all");
    for (const worker of ["a", "b"]) {
      const ended = lines.indexOf(`end ${worker}3`);
      const sent = lines.indexOf(`sent ${worker}3`);
      expect(ended).toBeGreaterThan(-1);
      expect(lines.slice(ended, sent).some((line) => line.startsWith("start"))).toBe(true);
    }
  });

  it("hands the turn to the worker's own waiting requests, but never more than STREAK in a row while the other waits", () => {
    const lines = run("all");
    const starts = lines.filter((line) => line.startsWith("start ")).map((line) => line.slice(6, 7));
    const runs: number[] = [];
    for (const [i, worker] of starts.entries()) {
      // Only while the other worker still has requests left to start does a run count.
      const otherLeft = starts.slice(i + 1).some((later) => later !== worker);
      if (!otherLeft) break;
      if (i > 0 && starts[i - 1] === worker) runs[runs.length - 1]!++;
      else runs.push(1);
    }
    expect(Math.max(...runs)).toBeLessThanOrEqual(STREAK);
    // Handing on within a worker happens: some run is longer than one.
    expect(Math.max(...runs)).toBeGreaterThan(1);
  });

  it("lets a request whose client went away while it waited go on, and the others still write one at a time", () => {
    const lines = run("gone");
    expect(lines).toContain("gone a5");
    expect(lines).not.toContain("start a5");
    expect(holders(lines.filter((line) => !line.endsWith(" a5")))).toBe(1);
    for (const worker of ["a", "b"]) {
      for (const i of [0, 1, 2, 3, 4, 6, 7, 8, 9]) expect(lines).toContain(`end ${worker}${i}`);
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
