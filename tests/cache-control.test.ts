import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import * as entry from "~/entry.server.tsx";
import * as root from "~/root.tsx";
import * as admin from "~/routes/admin.users.tsx";
import * as drafts from "~/routes/drafts.tsx";
import * as login from "~/routes/login.tsx";
import * as modReports from "~/routes/mod.reports.tsx";
import * as notifications from "~/routes/notifications.tsx";
import * as saved from "~/routes/saved.tsx";
import * as settings from "~/routes/settings._index.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import { MEMBER_CACHE_CONTROL, markPrivateForMembers } from "~/utils/cache-control.server.ts";
import { createThread, member } from "./helpers.ts";

// The app's own entry and route modules behind Remix's request handler, as the compiler would
// wire them (without a build, so the browser assets are names only).
const ROUTES: [id: string, path: string, module: object][] = [
  ["routes/settings._index", "settings", settings],
  ["routes/notifications", "notifications", notifications],
  ["routes/drafts", "drafts", drafts],
  ["routes/saved", "saved", saved],
  ["routes/mod.reports", "mod/reports", modReports],
  ["routes/admin.users", "admin/users", admin],
  ["routes/threads.$threadId", "threads/:threadId", thread],
  ["routes/login", "login", login],
];

const manifestEntry = (id: string, path: string, parentId?: string) => ({
  id,
  path,
  parentId,
  module: `/build/${id}.js`,
  imports: [],
  hasLoader: true,
  hasAction: false,
  hasClientLoader: false,
  hasClientAction: false,
  hasErrorBoundary: id === "root",
});

const build = {
  mode: "production",
  entry: { module: entry },
  routes: Object.fromEntries([
    ["root", { id: "root", path: "", module: root }],
    ...ROUTES.map(([id, path, module]) => [id, { id, parentId: "root", path, module }]),
  ]),
  assets: {
    entry: { module: "/build/entry.client.js", imports: [] },
    routes: Object.fromEntries([["root", manifestEntry("root", "")], ...ROUTES.map(([id, path]) => [id, manifestEntry(id, path, "root")])]),
    url: "/build/manifest-test.js",
    version: "test",
  },
  publicPath: "/build/",
  assetsBuildDirectory: "public/build",
  future: {},
  isSpaMode: false,
} as unknown as ServerBuild;

const handle = createRequestHandler(build, "production");
const get = (path: string, cookie?: string) => handle(new Request(`http://localhost${path}`, { headers: cookie ? { Cookie: cookie } : {} }));

describe("pages and data made for a signed-in member", () => {
  it.each(["/settings", "/notifications", "/drafts", "/saved"])("%s is private and never stored, as a page and as data", async (path) => {
    const who = await member();
    const page = await get(path, who.cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
    expect(page.headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
    const routeId = ROUTES.find(([, p]) => `/${p}` === path)![0];
    const data = await get(`${path}?_data=${encodeURIComponent(routeId)}`, who.cookie);
    expect(data.status).toBe(200);
    expect(data.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(data.headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
    expect((await get(`${path}?_data=root`, who.cookie)).headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
  });

  it.each([
    ["/mod/reports", "routes/mod.reports"],
    ["/admin/users", "routes/admin.users"],
  ])("%s is private for the staff who see it", async (path, routeId) => {
    const staff = await member(undefined, "admin");
    const page = await get(path, staff.cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
    expect((await get(`${path}?_data=${encodeURIComponent(routeId)}`, staff.cookie)).headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
    // A member turned away still sees their own name in the header of the page saying so.
    const plain = await member();
    const refused = await get(path, plain.cookie);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
  });

  it("covers public pages shown to a member, their error pages and their redirects", async () => {
    const who = await member();
    const { threadId } = await createThread(who, "fibromyalgia", { title: "Night cramps and heat", body: "Heat helps me." });
    const page = await get(`/threads/${threadId}`, who.cookie);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
    const missing = await get("/threads/999999", who.cookie);
    expect(missing.status).toBe(404);
    expect(missing.headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
    // Already signed in: the login page's data sends the member on.
    const onward = await get("/login?_data=routes%2Flogin", who.cookie);
    expect(onward.headers.get("X-Remix-Redirect")).toBe("/");
    expect(onward.headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
  });

  it("leaves visitors' pages alone, and sends visitors of member pages to log in", async () => {
    const who = await member();
    const { threadId } = await createThread(who, "neuropathy", { title: "Tingling at night", body: "Socks help." });
    const page = await get(`/threads/${threadId}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toBeNull();
    const settingsPage = await get("/settings");
    expect(settingsPage.status).toBe(302);
    expect(settingsPage.headers.get("Location")).toBe("/login?redirectTo=%2Fsettings");
    // A cookie whose session has ended is a visitor's.
    const gone = await get(`/threads/${threadId}`, "unclench_session=not-a-live-session");
    expect(gone.headers.get("Cache-Control")).toBeNull();
  });
});

describe("markPrivateForMembers", () => {
  it("keeps a route's own no-store and replaces anything looser", async () => {
    const who = await member();
    const request = new Request("http://localhost/", { headers: { Cookie: who.cookie } });
    const strict = new Headers({ "Cache-Control": "no-store" });
    await markPrivateForMembers(request, strict);
    expect(strict.get("Cache-Control")).toBe("no-store");
    for (const loose of ["public, max-age=300", "private, max-age=60", "no-cache"]) {
      const headers = new Headers({ "Cache-Control": loose });
      await markPrivateForMembers(request, headers);
      expect(headers.get("Cache-Control")).toBe(MEMBER_CACHE_CONTROL);
    }
    const visitor = new Headers({ "Cache-Control": "public, max-age=300" });
    await markPrivateForMembers(new Request("http://localhost/"), visitor);
    expect(visitor.get("Cache-Control")).toBe("public, max-age=300");
  });
});
