// One-click unsubscribe (docs/decisions/040): a signed link per member and kinds, no login. Opening
// it changes nothing; pressing the button (or a provider's RFC 8058 POST) turns those kinds to
// "site only", once. Forged, altered, expired and spent links change nothing and say so.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailFile } from "./mail-file.ts";

const outbox = mkdtempSync(join(tmpdir(), "unclench-outbox-"));
process.env.MAIL_OUTBOX = outbox;
delete process.env.SMTP_URL;
delete process.env.UNSUBSCRIBE_SECRET;
process.env.ORIGIN = "https://unclench.example";

const { and, eq } = await import("drizzle-orm");
const { db, transaction } = await import("../db/client.ts");
const { usesPostgres } = await import("../db/dialect.ts");
const { mailOutbox, mailPreferences, siteSecrets } = await import("../db/schema.ts");
const { deleteAccount } = await import("~/models/account.server.ts");
const { deliverDueMail, enqueueMail } = await import("~/models/mail-outbox.server.ts");
const { getMailSettings, setDelivery } = await import("~/models/mail-preferences.server.ts");
const { UNSUBSCRIBE_TTL_MS, unsubscribeUrl } = await import("~/models/unsubscribe.server.ts");
const route = await import("~/routes/unsubscribe.$token.tsx");
const { passwordResetMail } = await import("~/utils/mail-templates.server.ts");
const { remixHandler } = await import("./document.ts");
const { call, member } = await import("./helpers.ts");
const { listening, startServer } = await import("./server-process.ts");

const handle = remixHandler({ "routes/unsubscribe.$token": { path: "unsubscribe/:token", module: route } });

/** A page as a browser gets it, its apostrophes read as such. */
async function page(path: string, options: Parameters<typeof handle>[1] = {}) {
  const { response, text } = await handle(path, options);
  return { response, text: text.replaceAll("&#x27;", "'") };
}

const tokenOf = (url: string) => url.slice("https://unclench.example/unsubscribe/".length);
const open = (token: string) => call(route.loader, `/unsubscribe/${token}`, { params: { token } });
const press = (token: string) => call(route.action, `/unsubscribe/${token}`, { params: { token }, form: {} });
const deliveries = async (userId: number) => (await getMailSettings(userId))!.deliveries;
const rows = (userId: number) => db.select().from(mailPreferences).where(eq(mailPreferences.userId, userId));
const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 60 * 60 * 1000);

describe("the link", () => {
  it("is an absolute address on ORIGIN, signed with a key the database makes once", async () => {
    const me = await member();
    const first = await unsubscribeUrl(me.id, ["mentions", "replies"]);
    expect(first).toMatch(/^https:\/\/unclench\.example\/unsubscribe\/\d+\.replies-mentions\.[0-9a-z]+\.[A-Za-z0-9_-]{43}$/);
    await unsubscribeUrl(me.id, ["messages"]);
    expect(await db.select().from(siteSecrets)).toHaveLength(1);
    expect((await open(tokenOf(first))).status).toBe(200);
  });

  it("opens a page saying what it turns off, without the member's address, and changes nothing", async () => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies", "mentions"]));
    // A mail scanner opening it twice.
    for (let i = 0; i < 2; i++) {
      const { response, text } = await page(`/unsubscribe/${token}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("Cache-Control")).toBe("no-store");
      expect(text).toContain("This turns off <strong>email about replies to your posts and mentions of you</strong>");
      expect(text).toContain("Turn off these emails");
      expect(text).not.toContain(`${me.username}@example.org`);
      expect(text).not.toContain(me.username);
    }
    expect(await rows(me.id)).toEqual([]);
  });

  it("turns its kinds to site only when the button is pressed, then says so", async () => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies", "mentions"]));
    const res = await press(token);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/unsubscribe/${token}?done=1`);
    expect(await deliveries(me.id)).toMatchObject({ replies: "site", mentions: "site", messages: "now" });
    const done = await page(`/unsubscribe/${token}?done=1`);
    expect(done.response.status).toBe(200);
    expect(done.text).toContain("Turned off: email about replies to your posts and mentions of you; you still see them on the site");
    expect(done.text).toContain('href="/settings/notifications"');
  });

  it("works once: used again it changes nothing and says it was used", async () => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies"], daysAgo(1)));
    expect((await press(token)).status).toBe(302);
    const before = await rows(me.id);
    const again = await press(token);
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ state: "invalid", problem: "spent" });
    expect(await rows(me.id)).toEqual(before);
    const { text } = await page(`/unsubscribe/${token}`);
    expect(text).toContain("This link has already been used, or your email settings changed after we sent it");
  });

  it("is spent by a later change in settings, and leaves that choice alone", async () => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies", "mentions"], daysAgo(2)));
    await transaction((tx) => setDelivery(tx, me.id, "mentions", "daily", daysAgo(1)));
    expect((await open(token)).status).toBe(410);
    expect((await press(token)).status).toBe(410);
    expect(await deliveries(me.id)).toMatchObject({ replies: "now", mentions: "daily" });
    // Even "?done=1" doesn't claim it turned anything off.
    expect((await page(`/unsubscribe/${token}?done=1`)).response.status).toBe(410);
  });

  it("still works after a change made before it was sent", async () => {
    const me = await member();
    await transaction((tx) => setDelivery(tx, me.id, "followed", "now", daysAgo(3)));
    const token = tokenOf(await unsubscribeUrl(me.id, ["followed"], daysAgo(2)));
    expect((await press(token)).status).toBe(302);
    expect((await deliveries(me.id)).followed).toBe("site");
  });

  it("expires after 90 days", async () => {
    const me = await member();
    const old = tokenOf(await unsubscribeUrl(me.id, ["replies"], new Date(Date.now() - UNSUBSCRIBE_TTL_MS - 1000)));
    const res = await press(old);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ problem: "expired", about: "replies to your posts" });
    expect(await rows(me.id)).toEqual([]);
    expect((await page(`/unsubscribe/${old}`)).text).toContain("more than 90 days old");
    const recent = tokenOf(await unsubscribeUrl(me.id, ["replies"], daysAgo(89)));
    expect((await press(recent)).status).toBe(302);
  });
});

describe("links that were not ours", () => {
  it("refuses a forged signature, and altered kinds, member or time, with 404 and no change", async () => {
    const me = await member();
    const other = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies"]));
    const [id, kinds, issued, signature] = token.split(".") as [string, string, string, string];
    const forged = [
      `${id}.${kinds}.${issued}.${"A".repeat(43)}`,
      `${id}.replies-mentions-messages.${issued}.${signature}`,
      `${id}.mentions.${issued}.${signature}`,
      `${other.id}.${kinds}.${issued}.${signature}`,
      `${id}.${kinds}.${(parseInt(issued, 36) + 1).toString(36)}.${signature}`,
      `${id}.${kinds}.${issued}.${signature.slice(0, -1)}`,
    ];
    for (const bad of forged) {
      const res = await press(bad);
      expect(res.status, bad).toBe(404);
      expect(await res.json()).toMatchObject({ state: "invalid", problem: "invalid", about: "" });
    }
    expect(await rows(me.id)).toEqual([]);
    expect(await rows(other.id)).toEqual([]);
    const { text } = await page(`/unsubscribe/${forged[0]}`);
    expect(text).toContain("This isn't a valid unsubscribe link");
  });

  it.each([
    ["junk", "hello"],
    ["an unknown kind", "1.everything.abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a repeated kind", "1.replies-replies.abc.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"],
    ["a long token", `1.replies.abc.${"A".repeat(100_000)}`],
    ["odd Unicode", "1.réplies.abc.\u202eAAAA"],
    ["a NUL", "1.replies.abc.A\u0000"],
  ])("answers %s with a 404 page, never a 500", async (_label, token) => {
    expect((await open(token)).status).toBe(404);
    expect((await press(token)).status).toBe(404);
  });

  it("refuses a link signed with another key: UNSUBSCRIBE_SECRET replaces the database's", async () => {
    const me = await member();
    const fromDatabaseKey = tokenOf(await unsubscribeUrl(me.id, ["replies"]));
    process.env.UNSUBSCRIBE_SECRET = "an operator's secret of at least thirty-two characters";
    try {
      expect((await open(fromDatabaseKey)).status).toBe(404);
      const fromEnv = tokenOf(await unsubscribeUrl(me.id, ["replies"]));
      expect((await press(fromEnv)).status).toBe(302);
    } finally {
      delete process.env.UNSUBSCRIBE_SECRET;
    }
  });

  it("refuses the link of a deleted account", async () => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies"]));
    expect(await deleteAccount(me, { password: "correct horse battery", keepPosts: true })).toMatchObject({ ok: true });
    expect((await press(token)).status).toBe(404);
  });
});

describe("the headers in the message", () => {
  it("carries List-Unsubscribe and List-Unsubscribe-Post when queued with a link, and neither without", async () => {
    const me = await member();
    const mail = passwordResetMail({ username: me.username, link: "https://unclench.example/x", origin: "https://unclench.example" });
    // Made inside the unit of work that queues the message, as a mailer does.
    const url = await transaction(async (tx) => {
      const url = await unsubscribeUrl(me.id, ["replies", "mentions"]);
      await enqueueMail(tx, { ...mail, to: "with-link@example.org", userId: me.id, unsubscribeUrl: url });
      await enqueueMail(tx, { ...mail, to: "without-link@example.org", userId: me.id });
      return url;
    });
    const [stored] = await db
      .select()
      .from(mailOutbox)
      .where(and(eq(mailOutbox.userId, me.id), eq(mailOutbox.recipient, "with-link@example.org")));
    expect(stored!.unsubscribeUrl).toBe(url);
    await deliverDueMail();
    const mails = readdirSync(outbox).map((file) => readMailFile(readFileSync(join(outbox, file), "utf8")));
    const withLink = mails.find((m) => m.to === "with-link@example.org")!;
    expect(withLink.listUnsubscribe).toBe(`<${url}>`);
    expect(withLink.listUnsubscribePost).toBe("List-Unsubscribe=One-Click");
    const withoutLink = mails.find((m) => m.to === "without-link@example.org")!;
    expect(withoutLink.listUnsubscribe).toBe("");
    expect(withoutLink.listUnsubscribePost).toBe("");
  });
});

describe("through the web server", () => {
  let running: ReturnType<typeof startServer>;
  let base: string;
  beforeAll(async () => {
    const env = { WEB_CONCURRENCY: "1", ORIGIN: "", UNSUBSCRIBE_SECRET: "" };
    running = startServer(usesPostgres() ? { env } : { databasePath: process.env.DATABASE_PATH!, env });
    base = `http://localhost:${running.port}`;
    await listening(running);
  }, 90_000);
  afterAll(async () => {
    running.server.kill("SIGTERM");
    await running.exited;
  });

  const post = (token: string, headers: Record<string, string>, body = "List-Unsubscribe=One-Click") =>
    fetch(`${base}/unsubscribe/${token}`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", ...headers },
      body,
    });

  it("takes a mail provider's one-click POST: no cookies, no Origin, no Sec-Fetch-Site", async () => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies", "mentions"]));
    const res = await post(token, {});
    expect(res.status).toBe(200);
    expect((await res.text()).replaceAll("<!-- -->", "")).toContain("Turned off: email about replies to your posts and mentions of you");
    expect(await deliveries(me.id)).toMatchObject({ replies: "site", mentions: "site" });
    expect((await post(token, {})).status).toBe(410);
  });

  it("takes the same POST as multipart form data, as RFC 8058 prefers", async () => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["watched"]));
    const form = new FormData();
    form.set("List-Unsubscribe", "One-Click");
    const res = await fetch(`${base}/unsubscribe/${token}`, { method: "POST", redirect: "manual", body: form });
    expect(res.status).toBe(200);
    expect((await deliveries(me.id)).watched).toBe("site");
  });

  it.each([
    ["another site's form", { Origin: "https://evil.example" }],
    ["a cross-site fetch", { "Sec-Fetch-Site": "cross-site" }],
    ["both", { Origin: "https://evil.example", "Sec-Fetch-Site": "cross-site" }],
  ])("refuses a browser's cross-site POST (%s), changing nothing", async (_label, headers) => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies"]));
    const res = await post(token, headers);
    expect(res.status).toBe(403);
    expect(await rows(me.id)).toEqual([]);
  });

  it("takes the page's own form from the browser, and redirects", async () => {
    const me = await member();
    const token = tokenOf(await unsubscribeUrl(me.id, ["replies"]));
    const res = await post(token, { Origin: base, "Sec-Fetch-Site": "same-origin" }, "");
    expect(res.status).toBe(302);
    expect((await deliveries(me.id)).replies).toBe("site");
  });

  it("still refuses a headerless POST to any other page", async () => {
    const res = await fetch(`${base}/logout`, { method: "POST", redirect: "manual" });
    expect(res.status).toBe(403);
  });
});
