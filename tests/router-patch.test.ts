import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";

// The server's copy of the router keeps compiled paths and ranked route lists
// (patches/@remix-run+router+*.patch). These check the kept answers are the right ones.
const require = createRequire(import.meta.url);
const { matchPath, matchRoutes } = require("@remix-run/router") as typeof import("@remix-run/router");

describe("the router with its kept matches", () => {
  it("is patched, as the server loads it", () => {
    expect(readFileSync(require.resolve("@remix-run/router"), "utf8")).toContain("const compiledPaths = new Map()");
  });

  it("tells a path matched to its end from one matched as a prefix, and case-sensitive from not", () => {
    for (let round = 0; round < 2; round++) {
      expect(matchPath({ path: "/threads/:id", end: false }, "/threads/7/edit")?.params).toEqual({ id: "7" });
      expect(matchPath({ path: "/threads/:id", end: true }, "/threads/7/edit")).toBeNull();
      expect(matchPath({ path: "/Guidelines", caseSensitive: true }, "/guidelines")).toBeNull();
      expect(matchPath({ path: "/Guidelines", caseSensitive: false }, "/guidelines")).not.toBeNull();
    }
  });

  it("ranks the same routes the same way every time, and new routes afresh", () => {
    const routes = [{ path: "/threads/:threadId" }, { path: "/threads/new" }, { path: "*" }];
    for (let round = 0; round < 2; round++) {
      expect(matchRoutes(routes, "/threads/new")?.[0]?.route.path).toBe("/threads/new");
      expect(matchRoutes(routes, "/threads/12")?.[0]?.params).toEqual({ threadId: "12" });
      expect(matchRoutes(routes, "/nowhere")?.[0]?.route.path).toBe("*");
    }
    expect(matchRoutes([{ path: "/boards/:slug" }], "/threads/new")).toBeNull();
  });
});
