import type { AppLoadContext, EntryContext, HandleDataRequestFunction } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { markPrivateForMembers } from "./utils/cache-control.server.ts";
import { compressDocument } from "./utils/compress.server.ts";
import { withoutRenderedBodies } from "./utils/hydration.server.ts";
import { NonceProvider } from "./utils/nonce.tsx";
import { localTimeScriptSrc } from "./utils/local-time-script.server.ts";
import { LocalTimeScriptProvider, ScriptsProvider, sendsScripts } from "./utils/scripts.ts";

// What server.ts and app/http.server.ts take from the app, read from this build's `entry.module`:
// their own bundle holds only the HTTP layer, so a process has one copy of each module (one
// database handle, one session memo, one logger).
export { closeDatabase, migrateDatabase, ping } from "../db/client.ts";
export { seed } from "../db/seed.ts";
export { startDigests, stopDigests } from "./models/digests.server.ts";
export { startMailDelivery, stopMailDelivery } from "./models/mail-outbox.server.ts";
export { startNotificationMail, stopNotificationMail } from "./models/notification-mail.server.ts";
export { refreshedSessionCookie, withSessionMemo } from "./utils/auth.server.ts";
export { BROTLI_OPTIONS } from "./utils/compress.server.ts";
export { configuredOrigin, isSameOriginRequest, isServerPost, requestOrigin } from "./utils/origin.server.ts";
export { answeringUnavailable } from "./utils/unavailable.server.ts";

// No route defers data or suspends, so the document is rendered whole and compressed in one call
// rather than once per streamed chunk (docs/decisions/010). It is made bytes first: a string body
// would be scanned for lone surrogates by the Fetch API, then encoded in JavaScript.
export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext?.nonce;
  // A page that sends scripts embeds its data for hydration, minus the rendered posts it shows.
  // One without has no use for it, and our patch of Remix (patches/) writes it only when read.
  const { loaderData, matches } = remixContext.staticHandlerContext;
  const signedIn = !!(loaderData.root as { user?: unknown } | undefined)?.user;
  const scripts = sendsScripts(
    signedIn,
    matches.map((match) => remixContext.routeModules[match.route.id]?.handle),
  );
  remixContext.serverHandoffString = scripts ? withoutRenderedBodies(remixContext.serverHandoffString) : undefined;
  const html = renderToString(
    <NonceProvider value={nonce}>
      <ScriptsProvider value={scripts}>
        <LocalTimeScriptProvider value={scripts ? undefined : localTimeScriptSrc()}>
          <RemixServer context={remixContext} url={request.url} nonce={nonce} />
        </LocalTimeScriptProvider>
      </ScriptsProvider>
    </NonceProvider>,
  );
  // An action's headers reach a page only through a route `headers` export; the Retry-After of a
  // 429 (rateLimited) is carried for every route here, so a form sent without JavaScript keeps it.
  for (const headers of Object.values(remixContext.staticHandlerContext.actionHeaders ?? {})) {
    const retryAfter = headers.get("Retry-After");
    if (retryAfter) responseHeaders.set("Retry-After", retryAfter);
  }
  await markPrivateForMembers(request, responseHeaders);
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  responseHeaders.append("Vary", "Accept-Encoding");
  const { body, encoding } = await compressDocument(request, Buffer.from(`<!DOCTYPE html>${html}`));
  if (encoding) responseHeaders.set("Content-Encoding", encoding);
  responseHeaders.set("Content-Length", String(body.length));
  return new Response(body, { headers: responseHeaders, status: responseStatusCode });
}

// Loader and action data fetched by the browser's router: the same data as the page, kept as private.
export const handleDataRequest: HandleDataRequestFunction = async (response, { request }) => {
  await markPrivateForMembers(request, response.headers);
  return response;
};
