import { describe, expect, it } from "vitest";
import * as acceptRoute from "~/routes/guidelines.accept.tsx";
import * as login from "~/routes/login.tsx";
import * as signup from "~/routes/signup.tsx";
import { safeRedirect } from "~/utils/http.server.ts";
import { call, member } from "./helpers.ts";

const SITE = "https://unclench.example";

// Each of these, handed to a browser as a Location on our site, must not leave it.
const HOSTILE: string[] = [
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  "/\r\n/evil.example",
  "\t//evil.example",
  "//evil.example",
  "///evil.example",
  "/\\evil.example",
  "/\\/evil.example",
  "\\/evil.example",
  "\\\\evil.example",
  "/.//evil.example",
  "/..//evil.example",
  "/a/..//evil.example",
  "/.\\/evil.example",
  "/%09/evil.example",
  "%2F%2Fevil.example",
  "/%2F%2Fevil.example",
  "/%5C%5Cevil.example",
  "／／evil.example",
  "/／evil.example",
  "＼＼evil.example",
  "/\u3000/x",
  "/\u00a0/x",
  "/\u2028/x",
  "/\u0000/x",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  " javascript:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "https://evil.example",
  "https://evil.example/path?q=1#h",
  "http:evil.example",
  "https:evil.example",
  "http:/evil.example",
  "http:\\\\evil.example",
  "/ /evil.example",
  " //evil.example",
  "  /\t/evil.example",
  "\u0001//evil.example",
  "//evil.example@unclench.example",
  "https://unclench.example@evil.example",
  "/\ud800/x",
  "/x?next=//evil.example#\n//evil.example",
  `/${"a".repeat(5000)}`,
  `//${"a".repeat(5000)}`,
];

/** A path a browser on our site resolves to our site, and that a Location header can carry. */
function expectLocal(path: string) {
  expect(path).toMatch(/^\/(?![/\\])/);
  expect(path).toMatch(/^[\x21-\x7e]*$/);
  expect(new URL(path, SITE).origin).toBe(SITE);
  expect(new URL(path, "http://localhost:3000").origin).toBe("http://localhost:3000");
}

describe("safeRedirect", () => {
  it.each(HOSTILE.map((target) => [JSON.stringify(target).slice(0, 60), target]))("keeps %s on the site", (_, target) => {
    expectLocal(safeRedirect(target));
    expectLocal(safeRedirect(target, "/guidelines"));
  });

  it("sends the cases browsers read as another site to the fallback", () => {
    for (const target of [
      "/\t/evil.example",
      "/\n/evil.example",
      "//evil.example",
      "/\\evil.example",
      "/.//evil.example",
      "https://evil.example",
      "javascript:alert(1)",
    ]) {
      expect(safeRedirect(target, "/guidelines")).toBe("/guidelines");
    }
  });

  it("keeps a path of ours with its query and hash", () => {
    expect(safeRedirect("/threads/5?page=2#post-9")).toBe("/threads/5?page=2#post-9");
    expect(safeRedirect("/settings")).toBe("/settings");
    expect(safeRedirect("/search?q=leg%20cramps")).toBe("/search?q=leg%20cramps");
    // Odd characters stay on our site, percent-encoded so the header is valid.
    expect(safeRedirect("/u/\u3000x")).toBe("/u/%E3%80%80x");
  });

  it("falls back for anything that is not text", () => {
    const file = new File(["//evil.example"], "x.txt");
    expect(safeRedirect(file)).toBe("/");
    expect(safeRedirect(null, "/guidelines")).toBe("/guidelines");
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect("")).toBe("/");
  });
});

// What the issue reported: after a real login, signup or acceptance the Location stays local.
const ROUTE_TARGETS = [
  "/\t/evil.example",
  "/\n/x",
  "/\r/x",
  "/\u3000/x",
  "／／evil.example",
  "/.//evil.example",
  "http:evil.example",
  " //evil.example",
  "/\\/evil.example",
];

describe("routes that return somewhere after a form", () => {
  it.each(ROUTE_TARGETS)("login answers %j with a 302 to a local path", async (redirectTo) => {
    const who = await member();
    const res = await call(login.action, "/login", { form: { identifier: who.username, password: "correct horse battery", redirectTo } });
    expect(res.status).toBe(302);
    expectLocal(res.headers.get("Location")!);
    expect(res.headers.get("Set-Cookie")).toMatch(/^unclench_session=/);
  });

  let n = 0;
  it.each(ROUTE_TARGETS)("signup answers %j with a 302 to a local path", async (redirectTo) => {
    const username = `redirected${++n}`;
    const res = await call(signup.action, "/signup", { form: { username, email: `${username}@example.org`, password: "correct horse battery", redirectTo } });
    expect(res.status).toBe(302);
    expectLocal(res.headers.get("Location")!);
  });

  it.each(ROUTE_TARGETS)("accepting the guidelines answers %j with a 302 to a local path", async (redirectTo) => {
    const who = await member();
    const res = await call(acceptRoute.action, "/guidelines/accept", { form: { redirectTo }, cookie: who.cookie });
    expect(res.status).toBe(302);
    expectLocal(res.headers.get("Location")!);
  });

  it.each(ROUTE_TARGETS)("the login page sends a signed-in member on %j to a local path", async (redirectTo) => {
    const who = await member();
    const res = await call(login.loader, `/login?${new URLSearchParams({ redirectTo })}`, { cookie: who.cookie });
    expect(res.status).toBe(302);
    expectLocal(res.headers.get("Location")!);
  });

  it("still returns a member to the page they came from", async () => {
    const who = await member();
    const res = await call(login.action, "/login", {
      form: { identifier: who.username, password: "correct horse battery", redirectTo: "/threads/1?page=2#reply-heading" },
    });
    expect(res.headers.get("Location")).toBe("/threads/1?page=2#reply-heading");
  });
});
