import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { withoutRenderedBodies } from "./utils/hydration.server.ts";
import { NonceProvider } from "./utils/nonce.tsx";
import { ScriptsProvider, sendsScripts } from "./utils/scripts.ts";

// No route defers data or suspends, so nothing is gained by streaming. One finished string is
// compressed in one call; a stream of React's 2 KB chunks cost a compression call each, several
// milliseconds of CPU per thread page (bench/RESULTS.md).
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.nonce;
  // A page that sends scripts embeds its data for hydration, minus the rendered posts it shows.
  const { loaderData, matches } = remixContext.staticHandlerContext;
  const signedIn = !!(loaderData.root as { user?: unknown } | undefined)?.user;
  const scripts = sendsScripts(signedIn, matches.map((match) => remixContext.routeModules[match.route.id]?.handle));
  if (scripts) remixContext.serverHandoffString = withoutRenderedBodies(remixContext.serverHandoffString);
  const html = renderToString(
    <NonceProvider value={nonce}>
      <ScriptsProvider value={scripts}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </ScriptsProvider>
    </NonceProvider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { headers: responseHeaders, status: responseStatusCode });
}
