import { readFileSync } from "node:fs";
import { expect, it } from "vitest";

// What the browser build is made of, by Remix's own account: each chunk in public/build and the
// modules (by path) whose code it holds.
const { outputs } = JSON.parse(readFileSync("build/metafile.js.json", "utf8")) as { outputs: Record<string, { inputs: Record<string, unknown> }> };
const modulesIn = (matching: RegExp) =>
  Object.entries(outputs).flatMap(([file, { inputs }]) =>
    Object.keys(inputs)
      .filter((input) => matching.test(input))
      .map((input) => `${file}: ${input}`),
  );

it("no browser chunk carries the validation or markdown libraries, or a .server module", () => {
  // A module-level `z.object(...)` in a route file is kept in the route's browser chunk (the call
  // could have side effects), and it pulled all of zod into /saved. Validation and markdown belong
  // on the server.
  expect(Object.keys(outputs).length).toBeGreaterThan(10);
  expect(modulesIn(/(^|\/)node_modules\/react-dom\//), "the metafile names packages as this test expects").not.toEqual([]);
  expect(modulesIn(/(^|\/)node_modules\/(zod|marked|sanitize-html)\//)).toEqual([]);
  expect(modulesIn(/^(?!empty-module:).*\.server(\.[cm]?[jt]sx?$|\/)/)).toEqual([]);
});

it("no browser chunk keeps a stand-in for a server module", () => {
  // A stand-in is left only when browser code uses what a .server module exports, and there it
  // is undefined: a page once showed a limit from a server module in its markup, and lost it on
  // client-side navigation. Such values belong in app/utils/limits.ts.
  expect(modulesIn(/^empty-module:/)).toEqual([]);
});
