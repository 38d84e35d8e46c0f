import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import * as entry from "~/entry.server.tsx";
import * as root from "~/root.tsx";

type RouteModule = Record<string, unknown>;

/**
 * Remix's own request handling over the real entry.server.tsx and root.tsx, for the routes
 * given (id → path, module): what a browser gets for a page or a form sent without JavaScript
 * (headers, status, the whole document), or with it (`?_data=`), short of Express.
 */
export function remixHandler(routes: Record<string, { path: string; module: RouteModule }>) {
  const all: Record<string, { id: string; parentId?: string; path: string; module: RouteModule }> = { root: { id: "root", path: "", module: root } };
  for (const [id, route] of Object.entries(routes)) all[id] = { id, parentId: "root", ...route };
  const manifest = Object.fromEntries(
    Object.values(all).map((r) => [
      r.id,
      {
        id: r.id,
        parentId: r.parentId,
        path: r.path,
        hasAction: !!r.module.action,
        hasLoader: !!r.module.loader,
        hasClientAction: false,
        hasClientLoader: false,
        hasErrorBoundary: !!r.module.ErrorBoundary,
        module: `/build/${r.id}.js`,
        imports: [],
      },
    ]),
  );
  const build = {
    mode: "production",
    entry: { module: entry },
    routes: all,
    assets: { entry: { imports: [], module: "/build/entry.js" }, routes: manifest, url: "/build/manifest.js", version: "test" },
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    future: {},
    isSpaMode: false,
  } as unknown as ServerBuild;
  const handle = createRequestHandler(build, "production");
  return async (path: string, options: { form?: Record<string, string>; cookie?: string; headers?: Record<string, string> } = {}) => {
    const headers = new Headers(options.headers);
    if (options.cookie) headers.set("Cookie", options.cookie);
    const request = new Request(`http://localhost${path}`, {
      method: options.form ? "POST" : "GET",
      headers,
      body: options.form ? new URLSearchParams(options.form) : undefined,
    });
    const response = await handle(request, { nonce: "" });
    // React's markers between adjacent text parts are not what anyone reads.
    return {
      response,
      text: Buffer.from(await response.arrayBuffer())
        .toString()
        .replaceAll("<!-- -->", ""),
    };
  };
}
