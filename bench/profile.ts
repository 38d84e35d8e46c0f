// `npx tsx bench/profile.ts bench/data/profiles/CPU.….cpuprofile [top]`
// Summarises a `node --cpu-prof` profile (from `npm run bench -- --profile`): where the server's
// CPU time went, by function and by package/file (self time), so a finding can quote evidence.
import { readFileSync } from "node:fs";

type Node = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};
type Profile = { nodes: Node[]; samples: number[]; timeDeltas: number[] };

const [file, topArg] = process.argv.slice(2);
if (!file) throw new Error("usage: tsx bench/profile.ts <file.cpuprofile> [top]");
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);

/** node_modules/<pkg>, or the project file, or (program)/(gc)/(idle). */
function place(url: string, name: string) {
  if (!url) return `(${name || "native"})`.replace(/^\(\((.*)\)\)$/, "($1)");
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  return url.replace(/^file:\/\//, "").replace(process.cwd() + "/", "");
}

const functions = new Map<string, number>();
const places = new Map<string, number>();
for (const [id, us] of self) {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  const where = place(url, functionName);
  const key = `${functionName || "(anonymous)"}  ${where}${url ? `:${lineNumber + 1}` : ""}`;
  functions.set(key, (functions.get(key) ?? 0) + us);
  places.set(where, (places.get(where) ?? 0) + us);
}

// Inclusive time: each sample counts once for every distinct function on its stack.
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const keyOf = (id: number) => {
  const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
  return `${functionName || "(anonymous)"}  ${place(url, functionName)}${url ? `:${lineNumber + 1}` : ""}`;
};
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) seen.add(keyOf(at));
  for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
}

const print = (title: string, map: Map<string, number>) => {
  console.log(`\n${title}`);
  for (const [key, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${key}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(1)} s sampled`);
print("Self time by package / file", places);
print("Self time by function", functions);
print(
  "Inclusive time by function (project code and selected libraries)",
  new Map([...inclusive].filter(([k]) => /\sapp\/|\sbuild\/|server\.ts|renderToPipeableStream|compression|processChunk|drizzle-orm|react-dom/.test(k))),
);
