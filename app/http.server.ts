import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { createRequestHandler, writeReadableStreamToWritable, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type Request as ExpressRequest, type Response as ExpressResponse } from "express";
import expressStaticGzip from "express-static-gzip";
import getRawBody from "raw-body";
// Types only: the app's modules reach this file through the build, never through its own bundle.
import type * as Entry from "./entry.server.tsx";

/** What the Remix build's entry (app/entry.server.tsx) exports for the HTTP layer and for set-up. */
export type App = typeof Entry;

/** The app's own modules, from the build that also renders its pages: one copy of each per process. */
const appOf = (build: ServerBuild) => build.entry.module as unknown as App;

const production = process.env.NODE_ENV === "production";
const MAX_BODY_BYTES = 1024 * 1024;
// Every route answers GET (and HEAD); forms POST. Nothing else reaches a loader or an action.
const ALLOWED_METHODS = new Set(["GET", "HEAD", "POST"]);
const ALLOW = [...ALLOWED_METHODS].join(", ");

/**
 * The web server one process runs: security headers, static files, the origin check, then Remix.
 * server.ts starts one of these per worker, over build/index.js. Resolves once it is listening.
 */
export async function startHttpServer(port: number, build: ServerBuild): Promise<Server> {
  const {
    BROTLI_OPTIONS,
    answeringUnavailable,
    configuredOrigin,
    isSameOriginRequest,
    isServerPost,
    ping,
    refreshedSessionCookie,
    requestOrigin,
    withSessionMemo,
  } = appOf(build);
  // A malformed ORIGIN stops the server here rather than refusing every form later.
  if (process.env.ORIGIN) configuredOrigin(process.env.ORIGIN);

  const app = express();
  app.disable("x-powered-by");
  // Nothing here reads req.query (Remix parses the URL itself), so Express need not parse it.
  app.set("query parser", false);
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
  // Loader data, feeds and the like. Documents arrive compressed already (entry.server.tsx), and
  // compression() leaves a response alone once it has a Content-Encoding.
  app.use(compression({ brotli: BROTLI_OPTIONS }));

  app.use((req, res, next) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.nonce = nonce;
    res.set({
      "Content-Security-Policy": [
        "default-src 'self'",
        `script-src 'self' 'nonce-${nonce}'`,
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join("; "),
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "strict-origin-when-cross-origin",
      "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
      "Cross-Origin-Opener-Policy": "same-origin",
    });
    if (production) res.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    next();
  });

  app.get("/healthz", (_req, res) => {
    ping().then(
      () => res.type("text").send("ok"),
      () => res.status(503).type("text").send("database unavailable"),
    );
  });

  // The build holds a .br and a .gz of each script and stylesheet (scripts/finish-client-build.mjs);
  // compression() leaves a response alone once it has a Content-Encoding.
  app.use(
    "/build",
    expressStaticGzip("public/build", { enableBrotli: true, orderPreference: ["br", "gz"], index: false, serveStatic: { immutable: true, maxAge: "1y" } }),
  );
  // Only a path with a file extension can name a file in public/; pages never have one, and
  // looking each page up on disk first cost a stat call per request.
  const publicFiles = express.static("public", { maxAge: "1h" });
  app.use((req, res, next) => (/\.\w+$/.test(req.path) ? publicFiles(req, res, next) : next()));

  app.use((req, res, next) => {
    const refuse = (status: number, text: string) => res.status(status).type("text").send(text);
    // An absolute-form target (`GET http://host/path`) is for proxies; a page is always a path.
    if (!req.originalUrl.startsWith("/")) return refuse(400, "The request's target must be a path.");
    // No page's address holds a NUL, and PostgreSQL cannot compare text holding one.
    if (/%00/i.test(req.originalUrl)) return refuse(400, "The address holds a character no page uses (%00).");
    const origin = requestOrigin({
      protocol: req.protocol,
      host: req.get("host"),
      forwardedHost: req.get("x-forwarded-host"),
      trustProxy: Boolean(process.env.TRUST_PROXY),
      configured: process.env.ORIGIN,
    });
    if (!origin) return refuse(400, "The request's Host header is not a valid host name.");
    res.locals.origin = origin;
    if (req.method === "OPTIONS") return res.set("Allow", ALLOW).status(204).end();
    if (!ALLOWED_METHODS.has(req.method)) return res.set("Allow", ALLOW) && refuse(405, `${req.method} is not served here.`);
    const sent = { method: req.method, origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site") };
    if (!isSameOriginRequest({ ...sent, ownOrigin: origin }) && !isServerPost({ ...sent, path: req.path })) {
      return refuse(403, "This form was sent from another website, so it was refused.");
    }
    next();
  });

  // The body is read whole, counting the bytes as they arrive, before any work (or write turn) is
  // spent on it: a chunked upload announces no length, so Content-Length alone cannot be trusted.
  app.use((req, res, next) => {
    if (req.method !== "POST") return next();
    getRawBody(req, { limit: MAX_BODY_BYTES, length: req.get("content-length") }, (error, body) => {
      if (!error) {
        res.locals.body = body;
        return next();
      }
      const tooLarge = (error as { type?: string }).type === "entity.too.large";
      // Closing the connection is what stops the rest of the upload from being read.
      res.set("Connection", "close");
      res.status(tooLarge ? 413 : 400).type("text");
      res.send(tooLarge ? "That was too large to send (the limit is 1 MB)." : "The request's body could not be read.");
    });
  });

  app.use((req, _res, next) => {
    // Rate limits key on this; whatever a client sent under this name is replaced.
    delete req.headers["x-unclench-client-ip"];
    if (req.ip) req.headers["x-unclench-client-ip"] = req.ip;
    next();
  });

  // Express 4 ignores what a middleware returns: every error is handed to next() here.
  app.use((req, res, next) =>
    withSessionMemo(() => {
      refreshedSessionCookie(req.get("cookie")).then((cookie) => {
        if (cookie) res.append("Set-Cookie", cookie);
        next();
      }, next);
    }),
  );

  const remix = createRequestHandler(answeringUnavailable(build), production ? "production" : "development");
  app.all("*", (req, res, next) => void serve(req, res, next));
  async function serve(req: ExpressRequest, res: ExpressResponse, next: (error: unknown) => void) {
    try {
      const response = await remix(remixRequest(req, res), { nonce: res.locals.nonce as string });
      // Remix answers 405 to a POST where a route has no action, without saying what would do.
      if (response.status === 405) res.set("Allow", "GET, HEAD");
      res.statusMessage = response.statusText;
      res.status(response.status);
      for (const [name, value] of response.headers) res.append(name, value);
      if (response.body) await writeReadableStreamToWritable(response.body, res);
      else res.end();
    } catch (error) {
      next(error);
    }
  }

  const server = app.listen(port);
  await new Promise<void>((done) => server.once("listening", done));
  // Every app process sends from the shared mail outbox (docs/decisions/035).
  appOf(build).startMailDelivery();
  appOf(build).startNotificationMail();
  appOf(build).startDigests();
  return server;
}

/**
 * The Request Remix sees, at the origin decided above. Host is rewritten to it so that Remix's own
 * Origin-against-Host check on actions agrees with ours whatever Host or X-Forwarded-Host a proxy
 * sent; the body is the one read above.
 */
function remixRequest(req: ExpressRequest, res: ExpressResponse) {
  const origin = res.locals.origin as string;
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  headers.set("host", new URL(origin).host);
  headers.delete("x-forwarded-host");
  const controller = new AbortController();
  res.on("close", () => res.writableFinished || controller.abort());
  const body = res.locals.body as BodyInit | undefined;
  return new Request(origin + req.originalUrl, { method: req.method, headers, body, signal: controller.signal });
}

/**
 * Stops taking connections, lets requests in flight finish (10 s at most), lets a mail being sent
 * be marked, then closes the database.
 */
export function stopHttpServer(server: Server, build: ServerBuild) {
  const app = appOf(build);
  return new Promise<void>((done) => {
    server.close(() => {
      Promise.all([app.stopNotificationMail(), app.stopMailDelivery(), app.stopDigests()])
        .then(() => app.closeDatabase())
        .then(done, done);
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  });
}
