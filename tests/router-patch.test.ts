import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";

// The server's copies of the router packages keep what is the same for every request: compiled
// paths, ranked route lists, and the routes a document renders with (patches/, docs/decisions/005).
// These check the patches are in place and that what is kept never mixes up two requests.
const require = createRequire(import.meta.url);
const { matchPath, matchRoutes } = require("@remix-run/router") as typeof import("@remix-run/router");

describe("the router with its kept matches", () => {
  it("is patched, as the server loads it", () => {
    expect(readFileSync(require.resolve("@remix-run/router"), "utf8")).toContain("const compiledPaths = new Map()");
    expect(readFileSync(require.resolve("react-router-dom/server"), "utf8")).toContain("const convertedRoutes = new WeakMap()");
    const remixServer = join(dirname(require.resolve("@remix-run/react")), "server.js");
    expect(readFileSync(remixServer, "utf8")).toContain("const serverRoutes = new WeakMap()");
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

  it("renders each request's own matches and params from the same kept routes", async () => {
    const { createStaticHandler, createStaticRouter } = require("react-router-dom/server") as typeof import("react-router-dom/server");
    const routes = [{ id: "root", path: "/", children: [{ id: "thread", path: "threads/:threadId" }, { id: "board", path: "boards/:slug" }] }];
    const handler = createStaticHandler(routes);
    const context = async (path: string) => {
      const result = await handler.query(new Request(`http://localhost${path}`));
      if (result instanceof Response) throw new Error("unexpected response");
      return result;
    };
    const thread = createStaticRouter(routes, await context("/threads/7"));
    const board = createStaticRouter(routes, await context("/boards/fibromyalgia"));
    expect(board.routes).toBe(thread.routes);
    expect(thread.state.matches.map((m) => [m.route.id, m.params])).toEqual([
      ["root", { threadId: "7" }],
      ["thread", { threadId: "7" }],
    ]);
    expect(board.state.matches.map((m) => [m.route.id, m.params])).toEqual([
      ["root", { slug: "fibromyalgia" }],
      ["board", { slug: "fibromyalgia" }],
    ]);
    // Each match points at the kept data route, as it did when the routes were made per request.
    expect(board.state.matches[1]!.route).toBe(board.routes[0]!.children![1]);
  });
});
