import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpsRequest } from "node:https";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INSTALL_HELP, findNginx } from "../scripts/ensure-nginx.mjs";
import { listening, startServer } from "./server-process.ts";

// The README's reverse-proxy setup, proven with Debian's nginx terminating TLS in front of the
// production server: the location block is read from README.md, so the two cannot drift.
const nginx = findNginx();
const required = Boolean(process.env.CI);
if (!nginx && !required) console.warn(`Skipping tests/proxy.test.ts.\n${INSTALL_HELP}`);

/** The fenced block between the README's nginx markers. */
function readmeSnippet() {
  const readme = readFileSync("README.md", "utf8");
  const inside = readme.split("<!-- nginx-begin -->")[1]?.split("<!-- nginx-end -->")[0];
  if (!inside) throw new Error("README.md has no <!-- nginx-begin --> … <!-- nginx-end --> block");
  return inside
    .trim()
    .replace(/^```nginx\n/, "")
    .replace(/\n```$/, "");
}

/** A port the kernel just handed out, so nginx and the app never collide. */
function unusedPort() {
  return new Promise<number>((resolve, reject) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
    probe.on("error", reject);
  });
}

async function accepting(port: number, proxy: ChildProcess, log: { text: string }, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => socket.end(() => resolve(true)));
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (proxy.exitCode !== null || Date.now() > deadline) throw new Error(`nginx did not start:\n${log.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

let app: ReturnType<typeof startServer> | undefined;
let proxy: ChildProcess | undefined;
let proxyExited: Promise<unknown> | undefined;
let dir: string;
let proxyOrigin: string;
let tlsPort: number;
let cert: string;

type Answer = { status: number; location: string | undefined; setCookies: string[]; text: string };
const jar = new Map<string, string>();
/** Every response, as "POST /path → 302", so a 500 anywhere names its request. */
const seen: string[] = [];
const sessionCookies: string[] = [];

/** A browser in miniature: HTTPS to the proxy with our CA, a cookie jar, and the Origin a form would send. */
function send(method: "GET" | "POST", path: string, form?: Record<string, string>, origin = proxyOrigin) {
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const headers: Record<string, string> = { Host: `localhost:${tlsPort}`, "Accept-Encoding": "br, gzip" };
  if (jar.size) headers.Cookie = [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
  if (body !== undefined)
    Object.assign(headers, { Origin: origin, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(Buffer.byteLength(body)) });
  return new Promise<Answer>((resolve, reject) => {
    const req = httpsRequest(
      { host: "127.0.0.1", port: tlsPort, servername: "localhost", ca: cert, method, path, headers, agent: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () => {
          const raw = Buffer.concat(chunks);
          const encoding = res.headers["content-encoding"];
          const text = (encoding === "br" ? brotliDecompressSync(raw) : encoding === "gzip" ? gunzipSync(raw) : raw).toString("utf8");
          const setCookies = res.headers["set-cookie"] ?? [];
          for (const cookie of setCookies) {
            const [pair = ""] = cookie.split(";");
            const name = pair.slice(0, pair.indexOf("="));
            const value = pair.slice(pair.indexOf("=") + 1);
            if (name === "unclench_session") sessionCookies.push(cookie);
            if (value && !/max-age=0/i.test(cookie)) jar.set(name, value);
            else jar.delete(name);
          }
          seen.push(`${method} ${path} → ${res.statusCode}`);
          resolve({ status: res.statusCode ?? 0, location: res.headers.location, setCookies, text });
        });
      },
    );
    req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on("error", reject);
    req.end(body);
  });
}

/** A redirect that keeps the member on the proxy's origin, never on the app's own address. */
function expectRedirectHere(answer: Answer, path: string | RegExp) {
  expect(answer.status).toBe(302);
  const target = new URL(answer.location ?? "", proxyOrigin);
  expect(target.origin).toBe(proxyOrigin);
  expect(target.pathname + target.search).toMatch(path);
  return target.pathname + target.search;
}

describe.skipIf(!nginx && !required)("behind nginx terminating TLS, as the README sets it up", () => {
  beforeAll(async () => {
    if (!nginx) throw new Error(INSTALL_HELP);
    dir = mkdtempSync(join(tmpdir(), "unclench-proxy-"));
    tlsPort = await unusedPort();
    proxyOrigin = `https://localhost:${tlsPort}`;
    execFileSync(
      "openssl",
      [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1"],
        ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"],
      ],
      { stdio: "pipe" },
    );
    cert = readFileSync(join(dir, "cert.pem"), "utf8");

    app = startServer({ env: { WEB_CONCURRENCY: "1", ORIGIN: proxyOrigin, TRUST_PROXY: "loopback", RATE_LIMIT_SCALE: "1000" } });
    const snippet = readmeSnippet();
    expect(snippet).toContain("proxy_pass http://127.0.0.1:3000;");
    // Workers drop to `nobody` when the master is root, and nobody cannot read this temp dir.
    const asRoot = process.getuid?.() === 0 ? "user root;" : "";
    writeFileSync(
      join(dir, "nginx.conf"),
      `${asRoot}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log stderr;
events { worker_connections 64; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${tlsPort} ssl;
    server_name localhost;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
${snippet.replace("http://127.0.0.1:3000", `http://127.0.0.1:${app.port}`)}
  }
}
`,
    );
    proxy = spawn(nginx, ["-p", `${dir}/`, "-c", join(dir, "nginx.conf"), "-g", "daemon off;"], { stdio: ["ignore", "pipe", "pipe"] });
    const proxyLog = { text: "" };
    proxy.stdout?.on("data", (chunk) => (proxyLog.text += chunk));
    proxy.stderr?.on("data", (chunk) => (proxyLog.text += chunk));
    proxyExited = new Promise((resolve) => proxy?.on("exit", resolve));
    await Promise.all([listening(app), accepting(tlsPort, proxy, proxyLog)]);
  }, 90_000);

  afterAll(async () => {
    if (proxy?.exitCode === null) proxy.kill("SIGTERM");
    if (app?.server.exitCode === null) app.server.kill("SIGTERM");
    await Promise.all([proxyExited, app?.exited]);
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 20_000);

  it("carries a member from sign-up through a thread and a reply to logging out, on Secure cookies", async () => {
    const signupPage = await send("GET", "/signup");
    expect(signupPage.status).toBe(200);
    expect(signupPage.text).toContain("Join Unclench");

    const signedUp = await send("POST", "/signup", {
      leave_blank: "",
      redirectTo: "/",
      username: "proxy_member",
      email: "proxy@example.org",
      password: "knotted-calf-at-3am",
    });
    expectRedirectHere(signedUp, /^\/welcome$/);
    expect(jar.has("unclench_session")).toBe(true);

    const board = "/boards/night-leg-cramps/new";
    const gate = await send("GET", board);
    expect(gate.status).toBe(200);
    expect(gate.text).toContain("Before your first post");
    expectRedirectHere(await send("POST", "/guidelines/accept", { redirectTo: board }), board);

    const composer = await send("GET", board);
    expect(composer.text).toContain("Post thread");
    const thread = expectRedirectHere(
      await send("POST", board, { intent: "post", title: "Calf cramps behind the proxy", body: "Stretching the calf before bed helps me most nights." }),
      /^\/threads\/\d+$/,
    );

    const replied = await send("POST", thread, { intent: "post", body: "Same here; a warm shower first makes the stretch easier." });
    expectRedirectHere(replied, new RegExp(`^${thread}\\?page=1$`));
    expect(replied.location).toMatch(/#post-\d+$/);

    const page = await send("GET", thread);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Calf cramps behind the proxy");
    expect(page.text).toContain("Stretching the calf before bed helps me most nights.");
    expect(page.text).toContain("Same here; a warm shower first makes the stretch easier.");
    expect(page.text).toContain("proxy_member");

    const loggedOut = await send("POST", "/logout", {});
    expectRedirectHere(loggedOut, /^\/$/);
    expect(jar.has("unclench_session")).toBe(false);
    expectRedirectHere(await send("GET", "/settings"), /^\/login\?redirectTo=%2Fsettings/);

    // One from signing up, one blank one from logging out, at least.
    expect(sessionCookies.length).toBeGreaterThanOrEqual(2);
    for (const cookie of sessionCookies) {
      expect(cookie).toMatch(/;\s*Secure(;|$)/i);
      expect(cookie).toMatch(/;\s*HttpOnly(;|$)/i);
    }
    expect(seen.filter((line) => / → 5\d\d$/.test(line))).toEqual([]);
  });

  it("refuses a form sent through the proxy from another website", async () => {
    const refused = await send(
      "POST",
      "/signup",
      { leave_blank: "", username: "evil_twin", email: "evil@example.org", password: "knotted-calf-at-3am" },
      "https://evil.example",
    );
    expect(refused.status).toBe(403);
    expect(refused.text).toContain("sent from another website");
    expect(refused.setCookies).toEqual([]);
  });
});
