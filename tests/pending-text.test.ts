// Text kept for a writer whose session ended, until they log in again: what is kept, for how
// long, and how much one client (or everyone together) may leave.
import { eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { createStaticHandler, createStaticRouter, StaticRouterProvider } from "react-router-dom/server.js";
import { describe, expect, it, vi } from "vitest";
import { ErrorPage } from "~/components/error-page.tsx";
import { ScriptsProvider } from "~/utils/scripts.ts";
import { db, transaction } from "../db/client.ts";
import { drafts, pendingDrafts } from "../db/schema.ts";
import {
  claimPendingDraft,
  getDraft,
  keepPendingText,
  PENDING_MAX,
  PENDING_SWEEP_MS,
  PENDING_TTL_MS,
  sweepPendingText,
  threadDraftKey,
  type PendingKept,
} from "~/models/drafts.server.ts";
import * as newThread from "~/routes/boards.$slug.new.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import { CLIENT_IP_HEADER, consume, limiters } from "~/utils/rate-limit.server.ts";
import { call, createThread, member } from "./helpers.ts";

const SLUG = "night-leg-cramps";

function draftRows(userId: number) {
  return db.select({ key: drafts.key, title: drafts.title, body: drafts.body }).from(drafts).where(eq(drafts.userId, userId));
}

async function threadBy() {
  const author = await member();
  return createThread(author, SLUG, { title: "Cramps at 3 a.m.", body: "Every night this week." });
}

function tokenOf(kept: PendingKept) {
  if (!kept.ok) throw new Error("the text was not kept");
  return kept.token;
}

/** The page a refusal thrown by an action becomes: the error boundary's HTML for that Response. */
async function errorPageFor(thrown: Response) {
  const handler = createStaticHandler([
    {
      path: "/",
      loader: () => {
        throw thrown;
      },
      errorElement: createElement(ErrorPage),
    },
  ]);
  const context = await handler.query(new Request("http://localhost/"));
  if (context instanceof Response) throw new Error("expected a page");
  const router = createStaticRouter(handler.dataRoutes, context);
  return renderToStaticMarkup(createElement(ScriptsProvider, { value: false }, createElement(StaticRouterProvider, { router, context, hydrate: false })));
}

const waiting = async () => (await db.select().from(pendingDrafts)).length;
const clearWaiting = () => transaction((tx) => tx.delete(pendingDrafts));

/** A logged-out post of the new-thread form, from a client IP as server.ts reports it. */
async function postAsVisitor(ip: string, form: Record<string, string>) {
  const request = new Request(`http://localhost/boards/${SLUG}/new`, { method: "POST", headers: { [CLIENT_IP_HEADER]: ip }, body: new URLSearchParams(form) });
  try {
    return (await newThread.action({ request, params: { slug: SLUG }, context: { nonce: "" } })) as Response;
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

// First in the file: the sweeping timer starts with the first text kept in this process.
describe("expired text", () => {
  it("is deleted by a timer every PENDING_SWEEP_MS, even when nobody keeps or claims text again", async () => {
    await clearWaiting();
    vi.useFakeTimers({ toFake: ["setInterval"] });
    try {
      const longAgo = new Date(Date.now() - PENDING_TTL_MS - 60_000);
      tokenOf(await keepPendingText(threadDraftKey(SLUG), { body: "Never claimed" }, longAgo));
      expect(await waiting()).toBe(1);
      await vi.advanceTimersByTimeAsync(PENDING_SWEEP_MS);
      expect(await waiting()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe("text posted after the session expired", () => {
  it("is kept under a token, sent to log in, and becomes the member's draft after login (once)", async () => {
    const hal = await member();
    const { threadId } = await threadBy();
    const res = await call(thread.action, `/threads/${threadId}?page=1`, {
      params: { threadId: String(threadId) },
      form: { intent: "post", body: "Written before my session ran out." },
    });
    expect(res.status).toBe(302);
    const login = new URL(res.headers.get("Location")!, "http://localhost");
    expect(login.pathname).toBe("/login");
    const back = new URL(login.searchParams.get("redirectTo")!, "http://localhost");
    expect(back.pathname).toBe(`/threads/${threadId}`);
    const token = back.searchParams.get("restore")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // Only a hash of the token is stored.
    expect((await db.select().from(pendingDrafts)).some((row) => row.tokenHash === token)).toBe(false);

    // The link alone is not enough: opened in another member's browser it plants nothing there.
    const ivy = await member();
    const elsewhere = await call(thread.loader, `/threads/${threadId}?page=1&restore=${token}`, { cookie: ivy.cookie, params: { threadId: String(threadId) } });
    expect(elsewhere.headers.get("Location")).toBe(`/threads/${threadId}?page=1#reply-heading`);
    expect(await draftRows(ivy.id)).toEqual([]);

    // The browser that left the text holds its token in a cookie, and gets it back after login.
    const restoreCookie = res.headers.get("Set-Cookie")!.split(";")[0]!;
    expect(restoreCookie).toBe(`unclench_restore=${token}`);
    const afterLogin = await call(thread.loader, `/threads/${threadId}?page=1&restore=${token}`, {
      cookie: `${hal.cookie}; ${restoreCookie}`,
      params: { threadId: String(threadId) },
    });
    expect(afterLogin.status).toBe(302);
    expect(afterLogin.headers.get("Location")).toBe(`/threads/${threadId}?page=1#reply-heading`);
    const page = await (await call(thread.loader, `/threads/${threadId}?page=1`, { cookie: hal.cookie, params: { threadId: String(threadId) } })).json();
    expect(page.draft).toMatchObject({ body: "Written before my session ran out." });

    // Single use: claimed once, the token is gone.
    expect(await claimPendingDraft(ivy, token)).toBeNull();
    expect(await draftRows(ivy.id)).toEqual([]);
  });

  it("keeps a new thread's title too, and expires after an hour", async () => {
    const jo = await member();
    const t0 = new Date("2030-01-01T10:00:00Z");
    const token = tokenOf(await keepPendingText(threadDraftKey(SLUG), { title: "A title", body: "A body" }, t0));
    expect(await claimPendingDraft(jo, token, new Date(t0.getTime() + PENDING_TTL_MS + 1))).toBeNull();
    const fresh = tokenOf(await keepPendingText(threadDraftKey(SLUG), { title: "A title", body: "A body" }, t0));
    expect(await claimPendingDraft(jo, fresh, new Date(t0.getTime() + PENDING_TTL_MS - 1000))).toBe(threadDraftKey(SLUG));
    expect(await getDraft(jo, threadDraftKey(SLUG))).toMatchObject({ title: "A title", body: "A body" });
  });

  it("the new-thread form sends a visitor to log in with the text kept", async () => {
    const res = await call(newThread.action, `/boards/${SLUG}/new`, { params: { slug: SLUG }, form: { intent: "post", title: "Lost?", body: "Not lost." } });
    const back = new URL(new URL(res.headers.get("Location")!, "http://localhost").searchParams.get("redirectTo")!, "http://localhost");
    expect(back.pathname).toBe(`/boards/${SLUG}/new`);
    const kay = await member();
    const restoreCookie = res.headers.get("Set-Cookie")!.split(";")[0]!;
    const claimed = await call(newThread.loader, `${back.pathname}${back.search}`, { cookie: `${kay.cookie}; ${restoreCookie}`, params: { slug: SLUG } });
    expect(claimed.headers.get("Location")).toBe(`/boards/${SLUG}/new`);
    expect(await getDraft(kay, threadDraftKey(SLUG))).toMatchObject({ title: "Lost?", body: "Not lost." });
  });
});

describe("how much text visitors may leave", () => {
  const text = { intent: "post", title: "Written at 3 a.m.", body: "Every word of this took a while to type." };

  it("is limited per client IP: past the limit the visitor gets a 429 page with their whole text, and nothing is stored", async () => {
    await clearWaiting();
    const ip = "203.0.113.7";
    await consume(limiters.pendingTextByIp, ip, limiters.pendingTextByIp.points);
    const refused = await postAsVisitor(ip, text);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const page = await refused.json();
    expect(page.message).toMatch(/couldn't keep your text.*try again in \d+ minutes.*log in/);
    expect(page.notKept).toEqual({ title: text.title, body: text.body });
    expect(page.login).toBe(`/login?${new URLSearchParams({ redirectTo: `/boards/${SLUG}/new` })}`);
    expect(await waiting()).toBe(0);
    // What the visitor sees: why, when to try again, their title and text to copy, and a way to log in.
    const html = await errorPageFor(new Response(JSON.stringify(page), { status: 429, headers: { "Content-Type": "application/json" } }));
    expect(html).toContain("<h1>Please wait a little</h1>");
    expect(html).toMatch(/We couldn&#x27;t keep your text while you log in.*Please try again in \d+ minutes\. Or copy your text now/);
    expect(html).toContain(`value="${text.title}"`);
    expect(html).toContain(`>${text.body}</textarea>`);
    expect(html).toContain(`<a href="/login?redirectTo=%2Fboards%2F${SLUG}%2Fnew">Log in</a>`);

    // Another client is not held up by that one.
    const other = await postAsVisitor("198.51.100.9", text);
    expect(other.status).toBe(302);
    expect(new URL(other.headers.get("Location")!, "http://localhost").searchParams.get("redirectTo")).toMatch(/[?&]restore=/);
    expect(await waiting()).toBe(1);
  });

  it("is bounded overall: when PENDING_MAX texts wait, new text is refused until the oldest expires", async () => {
    await clearWaiting();
    const t0 = new Date();
    const rows = Array.from({ length: PENDING_MAX }, (_, i) => ({
      tokenHash: `filler-${i}`,
      key: threadDraftKey(SLUG),
      body: "x",
      createdAt: new Date(t0.getTime() - i * 1000),
    }));
    await transaction((tx) => tx.insert(pendingDrafts).values(rows));
    try {
      const refused = await postAsVisitor("192.0.2.44", text);
      expect(refused.status).toBe(429);
      expect((await refused.json()).notKept).toEqual({ title: text.title, body: text.body });
      expect(await waiting()).toBe(PENDING_MAX);
      // The oldest filler was written PENDING_MAX - 1 seconds before t0: room comes when it expires.
      const kept = await keepPendingText(threadDraftKey(SLUG), { body: "later" }, t0);
      expect(kept).toEqual({ ok: false, retryAfterSeconds: PENDING_TTL_MS / 1000 - (PENDING_MAX - 1) });
      const afterwards = await keepPendingText(threadDraftKey(SLUG), { body: "later" }, new Date(t0.getTime() + PENDING_TTL_MS - 500_000));
      expect(afterwards.ok).toBe(true);
    } finally {
      await clearWaiting();
    }
  });

  it("expired is deleted by sweepPendingText, and by every claim", async () => {
    await clearWaiting();
    const t0 = new Date("2031-05-01T02:00:00Z");
    const token = tokenOf(await keepPendingText(threadDraftKey(SLUG), { body: "Unclaimed" }, t0));
    expect(await sweepPendingText(new Date(t0.getTime() + PENDING_TTL_MS - 1))).toBe(0);
    expect(await waiting()).toBe(1);
    expect(await sweepPendingText(new Date(t0.getTime() + PENDING_TTL_MS + 1))).toBe(1);
    expect(await waiting()).toBe(0);
    const ann = await member();
    expect(await claimPendingDraft(ann, token, t0)).toBeNull();

    // A claim sweeps too: an expired text goes even when the claim is for another.
    tokenOf(await keepPendingText(threadDraftKey(SLUG), { body: "Old" }, t0));
    const fresh = tokenOf(await keepPendingText(threadDraftKey(SLUG), { body: "New" }, new Date(t0.getTime() + PENDING_TTL_MS)));
    expect(await claimPendingDraft(ann, fresh, new Date(t0.getTime() + PENDING_TTL_MS + 1))).toBe(threadDraftKey(SLUG));
    expect(await waiting()).toBe(0);
  });
});
