import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it, vi } from "vitest";

// The patched packages (patches/, docs/decisions/012 to 016). The server's copies of the router packages
// keep what is the same for every request (compiled paths, ranked route lists, the routes a
// document renders with), render a document without a JSON round trip, and hand a loader the
// page's own request when there is nothing to strip; Remix's compiler drops unused stand-ins for
// server modules, and the browser's Remix leaves out single fetch. These check the patches are in
// place, that what is kept never mixes up two requests, and that data comes out as JSON would
// give it.
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

  it("skips routes by their first word only where their RegExps could not match either", () => {
    expect(readFileSync(require.resolve("@remix-run/router"), "utf8")).toContain("function literalFirstSegment(path)");
    const routes = [
      {
        id: "root",
        path: "",
        children: [
          { id: "home", index: true },
          { id: "thread", path: "threads/:threadId" },
          { id: "follow", path: "threads/:threadId/follow" },
          { id: "board", path: "boards/:slug", children: [{ id: "board-index", index: true }] },
          { id: "guidelines", path: "guidelines" },
          { id: "user", path: ":lang?/u/:username" },
          { id: "splat", path: "*" },
        ],
      },
    ];
    const ids = (path: string) => matchRoutes(routes, path)?.map((m) => m.route.id);
    expect(ids("/")).toEqual(["root", "home"]);
    expect(ids("/threads/5/follow")).toEqual(["root", "follow"]);
    // Any ASCII case, and a word written with percent-escapes, as compilePath's RegExps allow.
    expect(ids("/THREADS/5")).toEqual(["root", "thread"]);
    expect(ids("/Guidelines")).toEqual(["root", "guidelines"]);
    expect(ids("/th%72eads/9")).toEqual(["root", "thread"]);
    expect(ids("/boards/fibromyalgia/")).toEqual(["root", "board", "board-index"]);
    // A route starting with a parameter is never skipped.
    expect(matchRoutes(routes, "/en/u/sam")?.[1]?.params).toEqual({ lang: "en", username: "sam" });
    expect(ids("/u/sam")).toEqual(["root", "user"]);
    expect(ids("//threads/5")).toEqual(["root", "splat"]);
    expect(ids("/thréads/5")).toEqual(["root", "splat"]);
  });

  it("renders each request's own matches and params from the same kept routes", async () => {
    const { createStaticHandler, createStaticRouter } = require("react-router-dom/server") as typeof import("react-router-dom/server");
    const routes = [
      {
        id: "root",
        path: "/",
        children: [
          { id: "thread", path: "threads/:threadId" },
          { id: "board", path: "boards/:slug" },
        ],
      },
    ];
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

describe("loader data on the server, without its JSON", () => {
  const { json } = require("@remix-run/node") as typeof import("@remix-run/node");
  const { createStaticHandler } = require("@remix-run/router") as typeof import("@remix-run/router");
  // Everything JSON changes on the way: dates, undefined (in objects and arrays), NaN and -0, a
  // toJSON of its own, a holey array, and a key that must not become a prototype.
  const sample = () => ({
    at: new Date(Date.UTC(2026, 10, 21, 3, 4, 5)),
    gone: undefined,
    list: [1, undefined, () => 1, Number.NaN, -0, Infinity],
    holes: [, 2], // eslint-disable-line no-sparse-arrays
    custom: { toJSON: () => ({ replaced: true }) },
    nested: { bodyHtml: "<p>ok</p>", count: 3, flag: false, none: null },
    ...JSON.parse('{"__proto__": {"polluted": true}}'),
  });

  async function loaded(respond: () => Response) {
    let response: Response | undefined;
    const handler = createStaticHandler([{ id: "page", path: "/", loader: () => (response = respond()) }]);
    const context = await handler.query(new Request("http://localhost/"));
    if (context instanceof Response) throw new Error("unexpected response");
    return { context, response: response! };
  }

  it("is patched, as the server loads it", () => {
    expect(readFileSync(require.resolve("@remix-run/router"), "utf8")).toContain("const jsonResponseData = Symbol(");
    const server = join(dirname(require.resolve("@remix-run/server-runtime")), "server.js");
    expect(readFileSync(server, "utf8")).toContain("set serverHandoffString(value)");
  });

  it("renders from what JSON would have given back, and leaves the body unread", async () => {
    const { context, response } = await loaded(() => json(sample(), { headers: { "Cache-Control": "no-store" } }));
    const data = context.loaderData.page as Record<string, unknown>;
    expect(data).toStrictEqual(JSON.parse(JSON.stringify(sample())));
    expect(data.at).toBe("2026-11-21T03:04:05.000Z");
    expect(Object.getPrototypeOf(data)).toBe(Object.prototype);
    expect(response.bodyUsed).toBe(false);
    expect(context.loaderHeaders.page?.get("Cache-Control")).toBe("no-store");
  });

  it("still writes the JSON for whoever reads the body (a client's ?_data request)", async () => {
    expect(await json(sample()).text()).toBe(JSON.stringify(sample()));
    expect(json(null, 404).status).toBe(404);
    expect(await json(undefined).text()).toBe("");
  });

  it("fails the loader as JSON.stringify would, for a value JSON cannot hold", async () => {
    const { context } = await loaded(() => json({ big: 10n }));
    expect(context.errors?.page).toBeInstanceOf(TypeError);
  });

  it("hands a thrown json() response's data to the error boundary", async () => {
    const handler = createStaticHandler([
      {
        id: "page",
        path: "/",
        loader: () => {
          throw json({ message: "There is no thread at this address." }, 404);
        },
      },
    ]);
    const context = await handler.query(new Request("http://localhost/"));
    if (context instanceof Response) throw new Error("unexpected response");
    expect(context.statusCode).toBe(404);
    expect(context.errors?.page).toMatchObject({ status: 404, data: { message: "There is no thread at this address." } });
  });
});

/** Remix's request handler over a build of one route, its loader and its document entry. */
function oneRouteHandler(
  loader: (args: { request: Request }) => Response,
  entry: (request: Request, status: number, headers: Headers, context: { serverHandoffString?: string }) => Response,
) {
  const { createRequestHandler } = require("@remix-run/server-runtime") as typeof import("@remix-run/server-runtime");
  const build = {
    mode: "production",
    future: {},
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    isSpaMode: false,
    routes: { root: { id: "root", path: "", module: { default: () => null, loader } } },
    assets: {
      version: "1",
      url: "/build/manifest.js",
      entry: { module: "/build/entry.js", imports: [] },
      routes: {
        root: {
          id: "root",
          path: "",
          module: "/build/root.js",
          hasLoader: true,
          hasAction: false,
          hasClientLoader: false,
          hasClientAction: false,
          hasErrorBoundary: false,
        },
      },
    },
    entry: { module: { default: entry } },
  };
  return createRequestHandler(build as never, "production");
}

describe("the document's handoff string", () => {
  const { json } = require("@remix-run/server-runtime") as typeof import("@remix-run/server-runtime");

  /** A one-route build whose entry reads the handoff string, sets it, or leaves it alone. */
  function handler(entry: (context: { serverHandoffString?: string }) => string) {
    return oneRouteHandler(
      () => json({ words: "Stretching helped" }),
      (_request, status, headers, context) => new Response(entry(context), { status, headers }),
    );
  }

  it("is written when read, from the page's data", async () => {
    const response = await handler((context) => context.serverHandoffString ?? "none")(new Request("http://localhost/"));
    expect(await response.text()).toContain('"loaderData":{"root":{"words":"Stretching helped"}}');
  });

  it("is never written when the entry sets it first (a document sent without scripts)", async () => {
    const stringify = vi.spyOn(JSON, "stringify");
    try {
      const response = await handler((context) => {
        context.serverHandoffString = undefined;
        return context.serverHandoffString ?? "none";
      })(new Request("http://localhost/"));
      expect(await response.text()).toBe("none");
      expect(stringify.mock.calls.some(([value]) => typeof value === "object" && value !== null && "state" in value)).toBe(false);
    } finally {
      stringify.mockRestore();
    }
  });
});

describe("the request a loader gets", () => {
  const { json } = require("@remix-run/server-runtime") as typeof import("@remix-run/server-runtime");

  /** A one-route build whose loader records the request it was given. */
  function handler(seen: Request[]) {
    return oneRouteHandler(
      ({ request }) => {
        seen.push(request);
        return json({ url: request.url });
      },
      (_request, status, headers) => new Response("page", { status, headers }),
    );
  }

  it("is the page's own request when there is nothing to strip, with its headers and signal", async () => {
    const seen: Request[] = [];
    const controller = new AbortController();
    const request = new Request("http://localhost/?page=2", { headers: { cookie: "theme=night" }, signal: controller.signal });
    expect((await handler(seen)(request)).status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBe(request);
    expect(seen[0]!.headers.get("cookie")).toBe("theme=night");
    controller.abort();
    expect(seen[0]!.signal.aborted).toBe(true);
  });

  it("still loses Remix's own _data and index parameters, and keeps the rest", async () => {
    const seen: Request[] = [];
    const response = await handler(seen)(new Request("http://localhost/?_data=root&page=2"));
    expect(await response.json()).toEqual({ url: "http://localhost/?page=2" });
    await handler(seen)(new Request("http://localhost/?index&page=3"));
    expect(seen.map((request) => request.url)).toEqual(["http://localhost/?page=2", "http://localhost/?page=3"]);
  });
});

describe("the browser build's stand-ins for server modules", () => {
  // Remix's compiler (the esbuild it runs, and its plugin) replaces each .server module with an
  // empty one in the browser build. An import only a loader used must then vanish, not become a
  // chunk of its own that every page with scripts loads.
  const remixRequire = createRequire(require.resolve("@remix-run/dev/package.json"));
  const esbuild = remixRequire("esbuild") as typeof import("esbuild");
  const { emptyModulesPlugin } = remixRequire("./dist/compiler/plugins/emptyModules.js") as {
    emptyModulesPlugin: (ctx: { config: { appDirectory: string } }, filter: RegExp) => import("esbuild").Plugin;
  };

  it("drops an import of a server module that nothing in the browser uses", async () => {
    const appDirectory = mkdtempSync(join(tmpdir(), "unclench-empty-"));
    writeFileSync(join(appDirectory, "model.server.ts"), "export const secret = () => 'server only';");
    writeFileSync(
      join(appDirectory, "route.tsx"),
      "import { secret } from './model.server.ts';\nexport const loader = () => secret();\nexport default function Page() { return 'page'; }",
    );
    writeFileSync(join(appDirectory, "entry.ts"), "import Page from './route.tsx';\nconsole.log(Page());");
    const result = await esbuild.build({
      entryPoints: [join(appDirectory, "entry.ts")],
      bundle: true,
      format: "esm",
      write: false,
      treeShaking: true,
      plugins: [emptyModulesPlugin({ config: { appDirectory } }, /\.server(\.[jt]sx?)?$/)],
    });
    const code = result.outputFiles[0]!.text;
    expect(code).toContain("page");
    expect(code).not.toContain("server only");
    expect(code).not.toContain("module.exports");
  });
});

describe("the browser's Remix, without single fetch", () => {
  // remix.config.js keeps future.v3_singleFetch off, so the browser never decodes turbo-stream;
  // the patch leaves that code out of every page's scripts (2.6 KB gzipped).
  const remixRequire = createRequire(require.resolve("@remix-run/dev/package.json"));
  const esbuild = remixRequire("esbuild") as typeof import("esbuild");

  it("bundles the browser's RemixBrowser and links without single fetch or turbo-stream", async () => {
    const result = await esbuild.build({
      stdin: {
        contents: "import { RemixBrowser, PrefetchPageLinks } from '@remix-run/react'; console.log(RemixBrowser, PrefetchPageLinks);",
        resolveDir: process.cwd(),
      },
      bundle: true,
      format: "esm",
      platform: "browser",
      write: false,
      metafile: true,
      logLevel: "silent",
    });
    // What the output holds, not every module esbuild read (RemixServer's file still imports it).
    const output = Object.values(result.metafile.outputs)[0]!;
    const inputs = Object.entries(output.inputs).flatMap(([input, { bytesInOutput }]) => (bytesInOutput > 0 ? [input] : []));
    expect(inputs).toContain("node_modules/@remix-run/react/dist/esm/browser.js");
    expect(inputs).toContain("node_modules/@remix-run/react/dist/esm/single-fetch-off.js");
    expect(inputs.filter((input) => /turbo-stream|react\/dist\/esm\/single-fetch\.js/.test(input))).toEqual([]);
  });

  it("fails loudly if single fetch is turned on without removing the patch", async () => {
    const stubs = (await import(join(dirname(require.resolve("@remix-run/react")), "esm", "single-fetch-off.js"))) as Record<string, () => unknown>;
    for (const name of ["decodeViaTurboStream", "getSingleFetchDataStrategy", "singleFetchUrl"]) {
      expect(() => stubs[name]!()).toThrow(/v3_singleFetch is on/);
    }
  });
});
