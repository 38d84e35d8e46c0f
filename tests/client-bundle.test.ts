import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";

// A module-level `z.object(...)` in a route file is kept in the route's browser chunk (the call
// could have side effects), and it pulled all of zod — 93 KB gzipped — into /saved. Validation and
// markdown belong on the server; these strings are each library's own.
const SERVER_ONLY = {
  zod: "ZodError",
  marked: "input parameter is undefined or null",
  "sanitize-html": "allowedSchemesByTag",
};

it("no browser chunk carries the validation or markdown libraries", () => {
  const files = readdirSync("public/build", { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".js"));
  expect(files.length).toBeGreaterThan(10);
  const carrying = files.flatMap((file) => {
    const code = readFileSync(join("public/build", file), "utf8");
    return Object.entries(SERVER_ONLY)
      .filter(([, marker]) => code.includes(marker))
      .map(([library]) => `${file}: ${library}`);
  });
  expect(carrying).toEqual([]);
}, 120_000);

it("no browser chunk keeps a stand-in for a server module", () => {
  // A stand-in is left only when browser code uses what a .server module exports, and there it
  // is undefined: a page once showed a limit from a server module in its markup, and lost it on
  // client-side navigation. Such values belong in app/utils/limits.ts.
  const { outputs } = JSON.parse(readFileSync("build/metafile.js.json", "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
  expect(Object.keys(outputs).length).toBeGreaterThan(10);
  const standIns = Object.entries(outputs).flatMap(([file, { inputs }]) =>
    Object.keys(inputs)
      .filter((input) => input.startsWith("empty-module:"))
      .map((input) => `${file}: ${input}`),
  );
  expect(standIns).toEqual([]);
}, 120_000);
