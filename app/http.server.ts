import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import expressStaticGzip from "express-static-gzip";
import { closeDatabase, db } from "../db/client.ts";
import { refreshedSessionCookie, withSessionMemo } from "./utils/auth.server.ts";
import { BROTLI_OPTIONS } from "./utils/compress.server.ts";
import { isSameOriginRequest } from "./utils/origin.server.ts";
import { endingWriteTurns, withWriteTurns } from "./utils/write-turn.server.ts";

const production = process.env.NODE_ENV === "production";
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * The web server one process runs: security headers, static files, the origin check, then Remix.
 * server.ts starts one of these per worker. Resolves once it is listening.
 */
export async function startHttpServer(port: number): Promise<Server> {
  // Relative to the project root, where npm runs us, whether this runs from source or from build/.
  const build = (await import(pathToFileURL(resolve("build/index.js")).href)) as ServerBuild;

  const app = express();
  app.disable("x-powered-by");
  // Nothing here reads req.query (Remix parses the URL itself); Express's parsing of it cost
  // 0.07-0.1 ms of CPU per request (bench/RESULTS.md, thirteenth pass).
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
    try {
      db.$client.prepare("select 1").get();
      res.type("text").send("ok");
    } catch {
      res.status(503).type("text").send("database unavailable");
    }
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
    const ownOrigin = process.env.ORIGIN ?? `${req.protocol}://${req.get("host")}`;
    if (!isSameOriginRequest({ method: req.method, origin: req.get("origin"), secFetchSite: req.get("sec-fetch-site"), ownOrigin })) {
      res.status(403).type("text").send("This form was sent from another website, so it was refused.");
      return;
    }
    if (Number(req.get("content-length") ?? 0) > MAX_BODY_BYTES) {
      res.status(413).type("text").send("That was too large to send (the limit is 1 MB).");
      return;
    }
    next();
  });

  app.use((req, _res, next) => {
    // Rate limits key on this; whatever a client sent under this name is replaced.
    delete req.headers["x-unclench-client-ip"];
    if (req.ip) req.headers["x-unclench-client-ip"] = req.ip;
    next();
  });

  app.use((req, res, next) => {
    if (req.method === "GET" || req.method === "HEAD") return next();
    withWriteTurns((finish) => {
      res.locals.finishWriteTurn = finish;
      // Also when the request ends some other way (an error, a client that went away).
      res.once("close", finish);
      next();
    });
  });

  app.use((req, res, next) =>
    withSessionMemo(async () => {
      try {
        const cookie = await refreshedSessionCookie(req.get("cookie"));
        if (cookie) res.append("Set-Cookie", cookie);
        next();
      } catch (error) {
        next(error);
      }
    }),
  );

  const remix = createRequestHandler({
    build: endingWriteTurns(build),
    mode: production ? "production" : "development",
    getLoadContext: (_req, res) => ({ nonce: res.locals.nonce as string }),
  });
  app.all("*", async (req, res, next) => {
    await remix(req, res, next);
    // For a request no action answered: the response is computed, nothing more will be written.
    (res.locals.finishWriteTurn as (() => void) | undefined)?.();
  });

  const server = app.listen(port);
  await new Promise<void>((done) => server.once("listening", done));
  return server;
}

/** Stops taking connections, lets requests in flight finish (10 s at most), then closes the database. */
export function stopHttpServer(server: Server) {
  return new Promise<void>((done) => {
    server.close(() => {
      closeDatabase();
      done();
    });
    server.closeIdleConnections();
    setTimeout(() => server.closeAllConnections(), 10_000).unref();
  });
}
