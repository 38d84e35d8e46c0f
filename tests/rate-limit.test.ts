import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { eq } from "drizzle-orm";
import { db } from "../db/client.ts";
import { rateLimits } from "../db/schema.ts";

// The real allowances, whatever a suite-wide RATE_LIMIT_SCALE says; the module reads it on import.
process.env.RATE_LIMIT_SCALE = "1";
type RateLimit = typeof import("~/utils/rate-limit.server.ts");
let rl: RateLimit;
beforeAll(async () => {
  rl = await import("~/utils/rate-limit.server.ts");
});

afterEach(() => {
  vi.useRealTimers();
});

function at(ms: number) {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(ms);
}

const T0 = Date.UTC(2030, 0, 1, 3, 0, 0);
const MIN = 60_000;

describe("failed logins", () => {
  it("allows 10 attempts per account in 15 minutes, then says when to come back, then lets them in again", async () => {
    at(T0);
    for (let i = 0; i < 10; i++) expect(await rl.beginLoginAttempt("Night_Owl", null)).toEqual({ ok: true });
    const refused = await rl.beginLoginAttempt("night_owl", null);
    expect(refused).toEqual({ ok: false, retryAfterSeconds: 15 * 60 });
    // Hammering on does not push the window back: no lockout longer than the window.
    at(T0 + 10 * MIN);
    for (let i = 0; i < 20; i++) await rl.beginLoginAttempt("night_owl", null);
    expect(await rl.beginLoginAttempt("night_owl", null)).toEqual({ ok: false, retryAfterSeconds: 5 * 60 });
    at(T0 + 15 * MIN + 1000);
    expect(await rl.beginLoginAttempt("night_owl", null)).toEqual({ ok: true });
  });

  it("starts the account's count over after a successful login", async () => {
    at(T0);
    for (let i = 0; i < 9; i++) await rl.beginLoginAttempt("sore-calves", null);
    await rl.loginSucceeded("sore-calves", null);
    for (let i = 0; i < 10; i++) expect((await rl.beginLoginAttempt("sore-calves", null)).ok).toBe(true);
    expect((await rl.beginLoginAttempt("sore-calves", null)).ok).toBe(false);
  });

  it("limits one IP trying many accounts, and counts only its failures", async () => {
    at(T0);
    for (let i = 0; i < 9; i++) expect((await rl.beginLoginAttempt(`victim${i}`, "203.0.113.9")).ok).toBe(true);
    // The 10th succeeds: it gets its point back.
    expect((await rl.beginLoginAttempt("rightful", "203.0.113.9")).ok).toBe(true);
    await rl.loginSucceeded("rightful", "203.0.113.9");
    expect((await rl.beginLoginAttempt("victim10", "203.0.113.9")).ok).toBe(true);
    expect(await rl.beginLoginAttempt("victim11", "203.0.113.9")).toMatchObject({ ok: false });
    // Another address is unaffected.
    expect((await rl.beginLoginAttempt("victim12", "198.51.100.1")).ok).toBe(true);
  });

  it("keeps counting across a restart, because the counts live in SQLite", async () => {
    at(T0);
    for (let i = 0; i < 11; i++) await rl.beginLoginAttempt("restart-me", null);
    const rows = await db.select({ points: rateLimits.points }).from(rateLimits).where(eq(rateLimits.key, "login-account:restart-me"));
    expect(rows).toEqual([{ points: 11 }]);
    vi.resetModules();
    const fresh: RateLimit = await import("~/utils/rate-limit.server.ts");
    expect(fresh.limiters).not.toBe(rl.limiters);
    expect(await fresh.beginLoginAttempt("restart-me", null)).toMatchObject({ ok: false });
  });
});

describe("sign-ups, posts and reports", () => {
  it("allows 5 sign-ups per IP an hour, and skips the IP rule when no IP is known", async () => {
    at(T0);
    for (let i = 0; i < 5; i++) expect((await rl.limitSignup("192.0.2.4")).ok).toBe(true);
    expect(await rl.limitSignup("192.0.2.4")).toEqual({ ok: false, retryAfterSeconds: 3600 });
    for (let i = 0; i < 10; i++) expect((await rl.limitSignup(null)).ok).toBe(true);
  });

  it("gives accounts under a day old 3 posts per 10 minutes, and older ones 10", async () => {
    at(T0);
    const fresh = { id: 9001, createdAt: new Date(T0 - 2 * 3_600_000) };
    const settled = { id: 9002, createdAt: new Date(T0 - 30 * 3_600_000) };
    for (let i = 0; i < 3; i++) expect((await rl.limitPosting(fresh)).ok).toBe(true);
    expect(await rl.limitPosting(fresh)).toEqual({ ok: false, retryAfterSeconds: 600 });
    for (let i = 0; i < 10; i++) expect((await rl.limitPosting(settled)).ok).toBe(true);
    expect((await rl.limitPosting(settled)).ok).toBe(false);
  });

  it("allows 20 reports per member an hour", async () => {
    at(T0);
    for (let i = 0; i < 20; i++) expect((await rl.limitReport(77)).ok).toBe(true);
    expect((await rl.limitReport(77)).ok).toBe(false);
    expect((await rl.limitReport(78)).ok).toBe(true);
  });
});

describe("the 429 response", () => {
  it("keeps the member's text, says when to retry and sets Retry-After", async () => {
    const res = rl.tooManyRequests(14 * 60 + 5, { title: "Cramps again", body: "My long post…" });
    expect(res.status).toBe(429);
    expect(res.headers.get("Retry-After")).toBe("845");
    const data = await res.json();
    expect(data.values).toEqual({ title: "Cramps again", body: "My long post…" });
    expect(data.errors.form).toMatch(/try again in 15 minutes/);
    expect(rl.retryMessage(20)).toMatch(/try again in a minute/);
  });

  it("reads the client IP only from the header server.ts sets", () => {
    const withIp = new Request("http://localhost/", { headers: { "X-Unclench-Client-IP": "203.0.113.7" } });
    expect(rl.clientIp(withIp)).toBe("203.0.113.7");
    expect(rl.clientIp(new Request("http://localhost/", { headers: { "X-Forwarded-For": "1.2.3.4" } }))).toBeNull();
  });
});
