import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listening, rawRequest, startServer } from "./server-process.ts";

// What reaches the server before any route runs: careless clients, broken headers and
// proxies. Every one of these must get a clear 4xx, never a 500 or a frozen worker.
let running: ReturnType<typeof startServer>;
let base: string;
const post = (path: string, init: RequestInit = {}) =>
  fetch(`${base}${path}`, {
    method: "POST",
    redirect: "manual",
    ...init,
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded", ...init.headers },
  });

beforeAll(async () => {
  running = startServer({ env: { WEB_CONCURRENCY: "1" } });
  base = `http://localhost:${running.port}`;
  await listening(running);
}, 90_000);

afterAll(async () => {
  running.server.kill("SIGTERM");
  await running.exited;
});

describe("cookies", () => {
  it.each(["_ga=%", "_ga=%E0%A4%A", "a=%zz; unclench_session=%", "=; ;;"])("serves pages with a malformed cookie: %s", async (cookie) => {
    const response = await fetch(`${base}/`, { headers: { Cookie: cookie } });
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Night &amp; leg cramps");
  });
});

describe("methods", () => {
  it.each(["PUT", "PATCH", "DELETE"])("answers %s with 405 and the methods it serves, without running an action", async (method) => {
    const response = await fetch(`${base}/logout`, { method, headers: { Origin: base } });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
  });

  it("answers a POST to a page without a form with 405 and Allow: GET, HEAD", async () => {
    const response = await post("/transparency", { body: "a=b" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
  });

  it("answers OPTIONS with what is allowed", async () => {
    const response = await fetch(`${base}/`, { method: "OPTIONS" });
    expect(response.status).toBe(204);
    expect(response.headers.get("allow")).toBe("GET, HEAD, POST");
  });
});

describe("request targets and hosts", () => {
  it.each([
    ["an absolute-form target", "GET http://evil.example/ HTTP/1.1\r\nHost: localhost\r\n\r\n"],
    ["a port out of range", "GET / HTTP/1.1\r\nHost: localhost:99999\r\n\r\n"],
    ["a space in the host", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n"],
    ["a path in the host", "GET / HTTP/1.1\r\nHost: localhost/evil\r\n\r\n"],
    ["credentials in the host", "GET / HTTP/1.1\r\nHost: user@localhost\r\n\r\n"],
  ])("answers %s with 400", async (_label, text) => {
    expect((await rawRequest(running.port, text)).status).toBe(400);
  });

  it.each(["/u/%00", "/boards/fibromyalgia%00", "/articles/a%00b", "/search?q=%00cramp"])("answers an address holding a NUL (%s) with 400", async (path) => {
    const response = await fetch(`${base}${path}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/character no page uses/);
  });

  it("keeps a path that starts with two slashes on this site", async () => {
    const response = await fetch(`${base}//evil.example/x`, { redirect: "manual" });
    expect(response.status).toBe(404);
  });
});

describe("request bodies", () => {
  it("refuses a declared body over 1 MB with 413", async () => {
    const response = await post("/login", { body: "a=" + "x".repeat(1024 * 1024) });
    expect(response.status).toBe(413);
  });

  it("refuses a chunked body with 413 once it passes 1 MB, without reading the rest", async () => {
    let sent = 0;
    // 64 MB offered in 64 KB chunks; a server that read it all would take the whole stream.
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 64 * 1024 * 1024) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024).fill(120));
      },
    });
    const response = await post("/login", { body, duplex: "half" } as RequestInit).catch((error: Error) => error);
    // The server answers and closes; depending on timing the client sees the 413 or the closed socket.
    if (response instanceof Response) expect(response.status).toBe(413);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe("behind a reverse proxy", () => {
  it("accepts a form whose Origin matches the Host when the proxy adds X-Forwarded-Host", async () => {
    const response = await post("/login", { headers: { "X-Forwarded-Host": "localhost" }, body: "identifier=nobody&password=wrong" });
    // A refused login, rendered: the form answered, Remix's own origin check did not throw.
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("match. Please try again");
  });
});
