import { statSync } from "node:fs";
import { expect, test } from "./fixtures.ts";

// The HTTP layer in server.ts, checked against the real production server.
test.describe("web security @js-only", () => {
  test("every response carries the security headers, with a fresh script nonce", async ({ request }) => {
    // A page a visitor fills in (scripts and all) and one they only read (no app scripts: app/utils/scripts.ts).
    const first = await request.get("/login");
    const second = await request.get("/boards/fibromyalgia");
    for (const res of [first, second]) {
      const h = res.headers();
      expect(h["content-security-policy"]).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
      for (const directive of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "form-action 'self'"]) {
        expect(h["content-security-policy"]).toContain(directive);
      }
      expect(h["x-content-type-options"]).toBe("nosniff");
      expect(h["referrer-policy"]).toBe("strict-origin-when-cross-origin");
      expect(h["permissions-policy"]).toContain("camera=()");
      expect(h["strict-transport-security"]).toContain("max-age=");
      expect(h["x-powered-by"]).toBeUndefined();
    }
    const nonce = (res: typeof first) => res.headers()["content-security-policy"]!.match(/nonce-([^']+)/)![1];
    expect(nonce(first)).not.toBe(nonce(second));
    // Remix's inline scripts carry the nonce, so the policy lets them run.
    expect(await first.text()).toContain(`nonce="${nonce(first)}"`);
    // A read-only page's one script is a static file of our own (decision 027): 'self' lets it run.
    const scripts = (await second.text()).match(/<script\b[^>]*>/g);
    expect(scripts).toEqual([expect.stringMatching(/^<script src="\/build\/local-time-\w+\.js" defer="">$/)]);
  });

  test("a state-changing request from another origin is refused before any action runs", async ({ request, baseURL }) => {
    const form = { identifier: "nobody", password: "whatever123" };
    const foreign = await request.post("/login", { form, headers: { Origin: "https://evil.example" }, maxRedirects: 0 });
    expect(foreign.status()).toBe(403);
    expect(await foreign.text()).toContain("sent from another website");
    const crossSite = await request.post("/logout", { form: {}, headers: { Origin: baseURL!, "Sec-Fetch-Site": "cross-site" }, maxRedirects: 0 });
    expect(crossSite.status()).toBe(403);
    const noOrigin = await request.post("/signup", { form: { username: "x" }, headers: { Origin: "" }, maxRedirects: 0 });
    expect(noOrigin.status()).toBe(403);
    // Our own origin reaches the action (here: a wrong login, a 400 with a message, not a 403).
    const own = await request.post("/login", { form, headers: { Origin: baseURL! }, maxRedirects: 0 });
    expect(own.status()).toBe(400);
  });

  test("bad input gets a clear 4xx, never a 500", async ({ request, baseURL }) => {
    const headers = { Origin: baseURL! };
    const big = await request.post("/login", {
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
      data: `identifier=${"a".repeat(1_100_000)}`,
      maxRedirects: 0,
    });
    expect(big.status()).toBe(413);
    const twice = await request.post("/login", {
      headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded" },
      data: "identifier=a&identifier=b&password=x",
      maxRedirects: 0,
    });
    expect(twice.status()).toBe(400);
    const asFile = await request.post("/login", {
      headers,
      multipart: { identifier: { name: "a.txt", mimeType: "text/plain", buffer: Buffer.from("x") }, password: "x" },
      maxRedirects: 0,
    });
    expect(asFile.status()).toBe(400);
    for (const path of [
      "/boards/%00",
      "/boards/ms-spasticity?page=-1",
      "/boards/ms-spasticity?page=abc",
      "/threads/abc",
      "/threads/99999999",
      "/posts/1e3/history",
      "/no/such/page",
    ]) {
      const res = await request.get(path);
      expect(res.status(), path).toBeGreaterThanOrEqual(400);
      expect(res.status(), path).toBeLessThan(500);
    }
    // Logging out is a POST; a GET changes nothing and just goes home.
    const getLogout = await request.get("/logout", { maxRedirects: 0 });
    expect(getLogout.status()).toBe(302);
  });

  test("scripts go out compressed at build time: brotli when the browser takes it, else gzip", async ({ request }) => {
    const html = await (await request.get("/login")).text();
    const scripts = [...html.matchAll(/<link rel="modulepreload" href="([^"]+\.js)"/g)].map((m) => m[1]!);
    let compressed = 0;
    for (const src of scripts) {
      const plain = await request.get(src, { headers: { "Accept-Encoding": "identity" } });
      expect(plain.headers()["content-encoding"], src).toBeUndefined();
      expect(plain.headers()["cache-control"], src).toContain("immutable");
      // A script of a few dozen bytes would only grow, so it has no compressed copy.
      const small = (await plain.body()).length < 1024;
      if (!small) compressed++;
      for (const [accepted, sent] of [
        ["gzip, deflate, br", "br"],
        ["gzip", "gzip"],
      ]) {
        const res = await request.get(src, { headers: { "Accept-Encoding": accepted! } });
        const h = res.headers();
        if (!small) {
          expect(h["content-encoding"], `${src} for ${accepted}`).toBe(sent);
          // The copy made at build time, not one compressed for this request.
          expect(Number(h["content-length"]), src).toBe(statSync(`public${src}.${sent === "br" ? "br" : "gz"}`).size);
        }
        expect(h["content-type"], src).toContain("javascript");
        expect(h["vary"], src).toContain("Accept-Encoding");
        // Playwright decodes the body: it must be the very script sent uncompressed.
        expect((await res.body()).equals(await plain.body()), `${src} for ${accepted}`).toBe(true);
      }
    }
    expect(compressed).toBeGreaterThan(3);
  });

  test("pages go out compressed for the browser that asked: brotli, else gzip, else plain", async ({ request }) => {
    // Pages a visitor only reads: no scripts, so two renders of one are the same bytes.
    for (const path of ["/", "/boards/fibromyalgia", "/guidelines"]) {
      const plain = await request.get(path, { headers: { "Accept-Encoding": "identity" } });
      expect(plain.headers()["content-encoding"], path).toBeUndefined();
      const page = await plain.text();
      expect(page, path).toMatch(/^<!DOCTYPE html>/);
      for (const [accepted, sent] of [
        ["gzip, deflate, br", "br"],
        ["gzip", "gzip"],
      ]) {
        const res = await request.get(path, { headers: { "Accept-Encoding": accepted! } });
        const h = res.headers();
        expect(h["content-encoding"], `${path} for ${accepted}`).toBe(sent);
        expect(h["vary"], path).toContain("Accept-Encoding");
        expect(h["content-type"], path).toContain("text/html");
        // Playwright decodes the body: it must be the very page sent uncompressed.
        expect(await res.text(), `${path} for ${accepted}`).toBe(page);
      }
    }
  });

  test("/healthz answers 200 while the database is reachable", async ({ request }) => {
    const res = await request.get("/healthz");
    expect(res.status()).toBe(200);
    expect(await res.text()).toBe("ok");
  });
});
