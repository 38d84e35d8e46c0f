import { randomBytes } from "node:crypto";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { refreshedSessionCookie } from "./app/utils/auth.server.ts";
import { isSameOriginRequest } from "./app/utils/origin.server.ts";
import { closeDatabase, db, migrateDatabase } from "./db/client.ts";
import { seed } from "./db/seed.ts";

const production = process.env.NODE_ENV === "production";
const port = Number(process.env.PORT ?? 3000);
const MAX_BODY_BYTES = 1024 * 1024;

migrateDatabase();
seed(db);

const build = (await import(new URL("./build/index.js", import.meta.url).href)) as ServerBuild;

const app = express();
app.disable("x-powered-by");
if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
app.use(compression());
// Remix flushes after every chunk React writes; with compression that ends a deflate block
// each time and more than doubles the bytes of a thread page. The response is short-lived.
app.use((_req, res, next) => {
  (res as unknown as { flush?: unknown }).flush = undefined;
  next();
});

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

app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
app.use(express.static("public", { maxAge: "1h" }));

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

app.use(async (req, res, next) => {
  try {
    const cookie = await refreshedSessionCookie(req.get("cookie"));
    if (cookie) res.append("Set-Cookie", cookie);
    next();
  } catch (error) {
    next(error);
  }
});

app.all(
  "*",
  createRequestHandler({
    build,
    mode: production ? "production" : "development",
    getLoadContext: (_req, res) => ({ nonce: res.locals.nonce as string }),
  }),
);

const server = app.listen(port, () => {
  console.log(`Unclench is listening on http://localhost:${port}`);
});

let stopping = false;
function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: finishing requests in flight, then closing the database.`);
  server.close(() => {
    closeDatabase();
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
  }, 10_000).unref();
}
process.on("SIGTERM", () => shutdown("SIGTERM"));
process.on("SIGINT", () => shutdown("SIGINT"));
