// What a server's processes use, read from /proc: shared by bench/run.ts and bench/floor.ts.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const CLOCK_TICKS = Number(spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).stdout.trim()) || 100;

/** A process and its children (a cluster's primary and workers); empty once it has exited. */
export function processTree(pid: number | undefined) {
  if (!pid) return [];
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean);
    return [pid, ...children.map(Number)];
  } catch {
    return [];
  }
}

/**
 * Memory of the processes together, in MB. `rss` adds up each process's resident set, so pages
 * the processes share (node's own code, mapped once) count once per process; `pss` divides each
 * shared page among the processes that map it, so it adds up to what they really hold.
 */
export function memoryOf(pids: number[]) {
  let rssKb = 0;
  let pssKb = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, "utf8");
      rssKb += Number(/^Rss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
      pssKb += Number(/^Pss:\s+(\d+)/m.exec(rollup)?.[1] ?? 0);
    } catch {
      // exited between listing and reading
    }
  }
  return { rss: rssKb / 1024, pss: pssKb / 1024 };
}

/**
 * CPU time (user + system, all threads) the processes have used so far, in ms; NaN when one has
 * exited, unless `skipExited` (a database server's backends come and go: see reapedCpuMsOf).
 */
export function cpuMsOf(pids: number[], { skipExited = false } = {}) {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      if (!skipExited) return NaN;
    }
  }
  return (ticks * 1000) / CLOCK_TICKS;
}

/** CPU time, in ms, of the process's children that have exited and been waited for (cutime + cstime). */
export function reapedCpuMsOf(pid: number) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** Bytes the processes have had read from storage so far (not from the OS page cache). */
export function diskReadBytesOf(pids: number[]) {
  let bytes = 0;
  for (const pid of pids) {
    try {
      bytes += Number(/^read_bytes:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, "utf8"))?.[1] ?? 0);
    } catch {
      // exited between listing and reading
    }
  }
  return bytes;
}
