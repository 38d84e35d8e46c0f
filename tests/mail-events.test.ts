// Bounces and complaints reported by the mail provider (docs/decisions/041): POST /hooks/mail-events
// with a bearer token. A bounce stops notification mail to the address; a complaint turns every kind
// to "site only". The member is told on the site, and the answer never says who is a member.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailFile } from "./mail-file.ts";

const outbox = mkdtempSync(join(tmpdir(), "unclench-outbox-"));
process.env.MAIL_OUTBOX = outbox;
delete process.env.SMTP_URL;
process.env.ORIGIN = "https://unclench.example";
const TOKEN = "provider-token-0123456789abcdef";
process.env.MAIL_EVENTS_TOKEN = TOKEN;

const { eq } = await import("drizzle-orm");
const { db, transaction } = await import("../db/client.ts");
const { usesPostgres } = await import("../db/dialect.ts");
const { users } = await import("../db/schema.ts");
const { confirmEmail, mailableAddress, resendConfirmation } = await import("~/models/email-address.server.ts");
const { MAIL_EVENTS_MAX, MAIL_EVENTS_MAX_BYTES } = await import("~/models/mail-events.server.ts");
const { deliverDueMail } = await import("~/models/mail-outbox.server.ts");
const { getMailSettings, setDelivery } = await import("~/models/mail-preferences.server.ts");
const hook = await import("~/routes/hooks.mail-events.tsx");
const notificationsRoute = await import("~/routes/notifications.tsx");
const settingsPage = await import("~/routes/settings._index.tsx");
const { remixHandler } = await import("./document.ts");
const { member } = await import("./helpers.ts");
const { listening, startServer } = await import("./server-process.ts");

const handle = remixHandler({
  "routes/notifications": { path: "notifications", module: notificationsRoute },
  "routes/settings._index": { path: "settings", module: settingsPage },
});

async function page(path: string, cookie: string) {
  const { response, text } = await handle(path, { cookie });
  expect(response.status).toBe(200);
  return text.replaceAll("&#x27;", "'");
}

/** The hook's action with a real Request, as a provider would send it. */
async function report(body: BodyInit, headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` }) {
  const request = new Request("http://localhost/hooks/mail-events", { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });
  return hook.action({ request, params: {}, context: { nonce: "" } });
}
const events = (...list: Array<{ type: string; address: string }>) => JSON.stringify({ events: list });
const userRow = async (id: number) => (await db.select().from(users).where(eq(users.id, id)).limit(1))[0]!;
const addressOf = (me: { username: string }) => `${me.username}@example.org`;

/** Confirms the member's address the way they would: the link in the newest email to it. */
async function confirmByLink(me: Awaited<ReturnType<typeof member>>) {
  await resendConfirmation(me);
  await deliverDueMail();
  const mails = readdirSync(outbox)
    .sort()
    .map((file) => readMailFile(readFileSync(join(outbox, file), "utf8")))
    .filter((mail) => mail.to === addressOf(me));
  const token = /token=([A-Za-z0-9_-]+)/.exec(mails.at(-1)!.text)![1]!;
  expect(await confirmEmail(token)).toMatchObject({ ok: true });
}

describe("who may report", () => {
  it("is nobody while MAIL_EVENTS_TOKEN is unset: 404", async () => {
    delete process.env.MAIL_EVENTS_TOKEN;
    try {
      expect((await report(events({ type: "bounce", address: "a@example.org" }))).status).toBe(404);
    } finally {
      process.env.MAIL_EVENTS_TOKEN = TOKEN;
    }
  });

  it.each([
    ["no Authorization", {}],
    ["a wrong token", { Authorization: "Bearer not-the-token" }],
    ["the token with a character more", { Authorization: `Bearer ${TOKEN}x` }],
    ["another scheme", { Authorization: `Basic ${TOKEN}` }],
    ["an empty bearer", { Authorization: "Bearer " }],
  ])("refuses %s with 401 and changes nothing", async (_label, headers) => {
    const me = await member();
    const res = await report(events({ type: "bounce", address: addressOf(me) }), headers);
    expect(res.status).toBe(401);
    expect(res.headers.get("WWW-Authenticate")).toBe("Bearer");
    expect((await userRow(me.id)).emailBouncedAt).toBeNull();
  });
});

describe("what a report must look like", () => {
  it.each([
    ["not JSON", "{events:"],
    ["not UTF-8", new Uint8Array([0x7b, 0xff, 0x7d])],
    ["no events", JSON.stringify({ events: [] })],
    ["events that are not a list", JSON.stringify({ events: { type: "bounce" } })],
    ["an unknown type", events({ type: "delivered", address: "a@example.org" })],
    ["an address too long", events({ type: "bounce", address: `${"a".repeat(300)}@example.org` })],
    ["too many events", events(...Array.from({ length: MAIL_EVENTS_MAX + 1 }, () => ({ type: "bounce", address: "a@example.org" })))],
    ["a bare list", JSON.stringify([{ type: "bounce", address: "a@example.org" }])],
    ["__proto__ games", '{"__proto__": {"events": []}}'],
  ])("answers %s with 400", async (_label, body) => {
    const res = await report(body);
    expect(res.status).toBe(400);
    expect(await res.json()).toHaveProperty("error");
  });

  it("refuses a body over the limit with 413", async () => {
    const big = events({ type: "bounce", address: "a@example.org" }).padEnd(MAIL_EVENTS_MAX_BYTES + 1, " ");
    expect((await report(big)).status).toBe(413);
  });
});

describe("a bounce", () => {
  it("stops notification mail to the address and tells the member on the site, until an address is confirmed", async () => {
    const me = await member();
    await confirmByLink(me);
    expect(await mailableAddress(me.id)).toBe(addressOf(me));
    expect(await page("/notifications", me.cookie)).not.toContain("was refused");

    // Providers send addresses as they like: case and spaces don't matter.
    const res = await report(events({ type: "bounce", address: ` ${addressOf(me).toUpperCase()} ` }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1 });
    expect((await userRow(me.id)).emailBouncedAt).toBeInstanceOf(Date);
    expect(await mailableAddress(me.id)).toBeNull();

    for (const path of ["/notifications", "/settings"]) {
      const text = await page(path, me.cookie);
      expect(text).toMatch(/Mail to your address was refused on <time[^>]*>[^<]+<\/time>, so we've stopped emailing you\./);
      expect(text).toContain('href="/settings#email"');
    }

    await confirmByLink(me);
    expect((await userRow(me.id)).emailBouncedAt).toBeNull();
    expect(await page("/notifications", me.cookie)).not.toContain("was refused");
  });
});

describe("a complaint", () => {
  it("turns every kind to site only, records it and says so, until the member chooses again", async () => {
    const me = await member();
    const res = await report(events({ type: "complaint", address: addressOf(me) }));
    expect(res.status).toBe(200);
    const settings = await getMailSettings(me.id);
    expect(Object.values(settings!.deliveries)).toEqual(Array(6).fill("site"));
    expect((await userRow(me.id)).emailComplainedAt).toBeInstanceOf(Date);

    for (const path of ["/notifications", "/settings"]) {
      const text = await page(path, me.cookie);
      expect(text).toContain("your email provider told us you marked our mail as unwanted, so we turned off all email notifications");
      expect(text).toContain('href="/settings/notifications"');
    }

    await transaction((tx) => setDelivery(tx, me.id, "replies", "now", new Date(Date.now() + 1000)));
    expect(await page("/notifications", me.cookie)).not.toContain("marked our mail as unwanted");
  });
});

describe("an address that is nobody's", () => {
  it("gets the very same answer as a member's, and changes nothing", async () => {
    const me = await member();
    const known = await report(events({ type: "complaint", address: addressOf(me) }));
    const unknown = await report(events({ type: "complaint", address: "nobody-here@example.org" }));
    expect(unknown.status).toBe(known.status);
    expect(await unknown.text()).toBe(await known.text());
    expect([...unknown.headers].filter(([name]) => name !== "date")).toEqual([...known.headers].filter(([name]) => name !== "date"));
  });

  it("is skipped inside a batch; the rest still applies", async () => {
    const me = await member();
    const res = await report(events({ type: "bounce", address: "nobody@example.org" }, { type: "bounce", address: addressOf(me) }));
    expect(await res.json()).toEqual({ received: 2 });
    expect((await userRow(me.id)).emailBouncedAt).toBeInstanceOf(Date);
  });
});

describe("through the web server", () => {
  let running: ReturnType<typeof startServer>;
  let base: string;
  beforeAll(async () => {
    const env = { WEB_CONCURRENCY: "1", ORIGIN: "", MAIL_EVENTS_TOKEN: TOKEN };
    running = startServer(usesPostgres() ? { env } : { databasePath: process.env.DATABASE_PATH!, env });
    base = `http://localhost:${running.port}`;
    await listening(running);
  }, 90_000);
  afterAll(async () => {
    running.server.kill("SIGTERM");
    await running.exited;
  });

  const post = (body: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/hooks/mail-events`, { method: "POST", headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json", ...headers }, body });

  it("takes the provider's POST, which names no origin", async () => {
    const me = await member();
    const res = await post(events({ type: "bounce", address: addressOf(me) }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ received: 1 });
    expect((await userRow(me.id)).emailBouncedAt).toBeInstanceOf(Date);
  });

  it("refuses a browser's cross-site POST even with the token", async () => {
    const me = await member();
    const res = await post(events({ type: "bounce", address: addressOf(me) }), { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" });
    expect(res.status).toBe(403);
    expect((await userRow(me.id)).emailBouncedAt).toBeNull();
  });

  it("answers a GET with 404", async () => {
    expect((await fetch(`${base}/hooks/mail-events`)).status).toBe(404);
  });
});
