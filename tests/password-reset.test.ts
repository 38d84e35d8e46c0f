import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { readMailFile } from "./mail-file.ts";

// Set before the app's modules load: the real allowances (the suite's RATE_LIMIT_SCALE is for
// other files; the limiters read it on import) and an outbox of this file's own.
process.env.RATE_LIMIT_SCALE = "1";
const outbox = mkdtempSync(join(tmpdir(), "unclench-outbox-"));
process.env.MAIL_OUTBOX = outbox;
delete process.env.SMTP_URL;
delete process.env.ORIGIN;

const { eq } = await import("drizzle-orm");
const { db, transaction } = await import("../db/client.ts");
const { passwordResets, sessions, users } = await import("../db/schema.ts");
const { deleteAccount } = await import("~/models/account.server.ts");
const { suspendMember } = await import("~/models/moderation-members.server.ts");
const { startMailDelivery, stopMailDelivery } = await import("~/models/mail-outbox.server.ts");
const { checkResetToken, requestPasswordReset, RESET_TTL_MS } = await import("~/models/password-reset.server.ts");
const { verifyLogin } = await import("~/models/users.server.ts");
const forgotRoute = await import("~/routes/password.forgot.tsx");
const resetRoute = await import("~/routes/password.reset.tsx");
const { getUser } = await import("~/utils/auth.server.ts");
const { createLogger, logger, setLoggerForTests } = await import("~/utils/logger.server.ts");
const { verifyPassword } = await import("~/utils/passwords.server.ts");
const { call, member } = await import("./helpers.ts");

const OLD_PASSWORD = "correct horse battery"; // what helpers.member() signs up with
const NEW_PASSWORD = "warm bath before bed";
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

// Mail leaves through the outbox: this file's process sends it, as an app server does.
beforeAll(startMailDelivery);
afterAll(stopMailDelivery);

afterEach(() => {
  delete process.env.ORIGIN;
  delete process.env.LOG_LEVEL;
  setLoggerForTests(logger);
});

/** Sends the forgot form the way server.ts hands it on (with the client IP header when given). */
async function sendForgot(email: string, ip?: string, url = "http://localhost/password/forgot") {
  const headers = new Headers(ip ? { "X-Unclench-Client-IP": ip } : {});
  const request = new Request(url, { method: "POST", headers, body: new URLSearchParams({ email }) });
  return (await forgotRoute.action({ request, params: {}, context: { nonce: "" } })) as Response;
}

type Mail = ReturnType<typeof readMailFile> & { file: string };

/** Every reset email in the outbox (members' confirmation links land there too), oldest first. */
function mails(): Mail[] {
  return readdirSync(outbox)
    .filter((file) => file.endsWith(".eml"))
    .sort()
    .map((file) => ({ file, ...readMailFile(readFileSync(join(outbox, file), "utf8")) }))
    .filter((mail) => mail.subject === "Reset your Unclench password");
}

const mailsTo = (address: string) => mails().filter((m) => m.to === address);

async function waitForMail(address: string, count = 1) {
  return vi.waitFor(
    () => {
      const found = mailsTo(address);
      if (found.length < count) throw new Error(`${found.length} of ${count} emails to ${address}`);
      return found[count - 1]!;
    },
    { timeout: 5000, interval: 20 },
  );
}

function linkIn(mail: Mail) {
  const link = /https?:\/\/\S+\/password\/reset\?token=\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no reset link in:\n${mail.text}`);
  return new URL(link);
}

/** A reset link for the member, straight from the model; returns the token and the email. */
async function issue(email: string) {
  const before = mailsTo(email).length;
  await requestPasswordReset(email, "http://localhost");
  const mail = await waitForMail(email, before + 1);
  return { token: linkIn(mail).searchParams.get("token")!, mail };
}

function submitReset(token: string, password = NEW_PASSWORD, confirm = password) {
  return call(resetRoute.action, "/password/reset", { form: { token, password, confirm } });
}

function openLink(token: string) {
  return call(resetRoute.loader, `/password/reset?${new URLSearchParams({ token })}`);
}

const passwordHashOf = async (id: number) => (await db.select({ h: users.passwordHash }).from(users).where(eq(users.id, id)).limit(1))[0]!.h;
const cookieFrom = (res: Response) => res.headers.get("Set-Cookie")?.split(";")[0] ?? null;
const asRequest = (cookie: string) => new Request("http://localhost/", { headers: { Cookie: cookie } });

describe("asking for a link", () => {
  it("answers the same whether or not an account uses the address, and only a member gets email", async () => {
    const me = await member();
    const email = `${me.username}@example.org`;
    const nobody = `nobody-${me.username}@example.org`;

    const unknown = await sendForgot(nobody);
    const known = await sendForgot(email);
    expect(unknown.status).toBe(200);
    expect(known.status).toBe(200);
    const [a, b] = [await unknown.json(), await known.json()];
    expect(a).toEqual({ values: { email: nobody }, errors: {}, sent: true });
    expect(b).toEqual({ values: { email }, errors: {}, sent: true });

    await waitForMail(email);
    expect(mailsTo(nobody)).toEqual([]);
  });

  it("keeps the typed address and says what is wrong when it isn't an address", async () => {
    const res = await sendForgot("night owl at example");
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      values: { email: "night owl at example" },
      errors: { email: "Enter an email address like name@example.com." },
      sent: false,
    });
  });

  it("matches the address however it was typed (spaces, capitals)", async () => {
    const me = await member();
    await sendForgot(`  ${me.username.toUpperCase()}@Example.ORG `);
    await waitForMail(`${me.username}@example.org`);
  });

  it("emails a calm plain-text message with a working link, and stores only the token's sha-256", async () => {
    const me = await member();
    const email = `${me.username}@example.org`;
    const { token, mail } = await issue(email);

    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    const rows = await db.select().from(passwordResets).where(eq(passwordResets.userId, me.id));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(rows)).not.toContain(token);
    expect(rows[0]!.expiresAt.getTime() - rows[0]!.createdAt.getTime()).toBe(RESET_TTL_MS);
    expect(rows[0]!.usedAt).toBeNull();

    expect(mail.subject).toBe("Reset your Unclench password");
    expect(mail.raw).toMatch(/^Content-Type: text\/plain/m);
    expect(mail.text).toContain(`Hello ${me.username},`);
    expect(mail.text).toContain("one hour");
    expect(mail.text).toContain("If you didn't ask for this, you can ignore this email.");
    expect(mail.raw).not.toContain(rows[0]!.tokenHash);
    expect(linkIn(mail).origin + linkIn(mail).pathname).toBe("http://localhost/password/reset");

    // The link opens the form for this account.
    const page = await openLink(token);
    expect(page.status).toBe(200);
    expect(await page.json()).toEqual({ state: "form", username: me.username, token, errors: {} });
  });

  it("builds the link from ORIGIN when it is set", async () => {
    process.env.ORIGIN = "https://unclench.example";
    const me = await member();
    await sendForgot(`${me.username}@example.org`);
    const mail = await waitForMail(`${me.username}@example.org`);
    expect(linkIn(mail).origin).toBe("https://unclench.example");
  });

  it("never builds the link from the Host a client sent", async () => {
    const me = await member();
    await sendForgot(`${me.username}@example.org`, undefined, "http://attacker.example/password/forgot");
    const mail = await waitForMail(`${me.username}@example.org`);
    expect(linkIn(mail).hostname).toBe("localhost");
    expect(mail.raw).not.toContain("attacker.example");
  });

  it("never logs the token or the link", async () => {
    const lines: string[] = [];
    process.env.LOG_LEVEL = "info";
    setLoggerForTests(createLogger({ write: (line: string) => void lines.push(line) }));
    const me = await member();
    await sendForgot(`${me.username}@example.org`);
    const mail = await waitForMail(`${me.username}@example.org`);
    const token = linkIn(mail).searchParams.get("token")!;
    expect((await submitReset(token)).status).toBe(302);
    await vi.waitFor(() => expect(lines.join("\n")).toContain("mail.sent"));
    const logged = lines.join("\n");
    expect(logged).toContain("password_reset.queued");
    expect(logged).toContain("mail.sent");
    expect(logged).toContain("password_reset.done");
    expect(logged).not.toContain(token);
    expect(logged).not.toContain("/password/reset?");
    expect(logged).not.toContain(me.username + "@");
  });
});

describe("choosing a new password", () => {
  it("sets the password, ends every session and starts a fresh one", async () => {
    const me = await member();
    const before = await passwordHashOf(me.id);
    const { token } = await issue(`${me.username}@example.org`);

    const res = await submitReset(token);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/password/reset?done=1");

    const hash = await passwordHashOf(me.id);
    expect(hash).not.toBe(before);
    expect(await verifyPassword(hash, NEW_PASSWORD)).toBe(true);
    expect(await verifyPassword(hash, OLD_PASSWORD)).toBe(false);
    expect(await verifyLogin(me.username, OLD_PASSWORD)).toBeNull();

    // The session from before is gone; the new cookie is the only session.
    expect(await getUser(asRequest(me.cookie))).toBeNull();
    const fresh = cookieFrom(res)!;
    expect((await getUser(asRequest(fresh)))?.id).toBe(me.id);
    expect(await db.select().from(sessions).where(eq(sessions.userId, me.id))).toHaveLength(1);

    const done = await call(resetRoute.loader, "/password/reset?done=1", { cookie: fresh });
    expect(await done.json()).toEqual({ state: "done", signedIn: true });
  });

  it("works once", async () => {
    const me = await member();
    const { token } = await issue(`${me.username}@example.org`);
    expect((await submitReset(token)).status).toBe(302);
    const hash = await passwordHashOf(me.id);

    const again = await submitReset(token, "someone else's choice");
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ state: "invalid", problem: "used" });
    expect(await passwordHashOf(me.id)).toBe(hash);
    expect((await openLink(token)).status).toBe(410);
    expect((await db.select().from(passwordResets).where(eq(passwordResets.userId, me.id)).limit(1))[0]!.usedAt).toBeInstanceOf(Date);
  });

  it("stops working after an hour", async () => {
    const me = await member();
    const { token } = await issue(`${me.username}@example.org`);
    const before = await passwordHashOf(me.id);
    await transaction((tx) =>
      tx
        .update(passwordResets)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(passwordResets.userId, me.id)),
    );

    const page = await openLink(token);
    expect(page.status).toBe(410);
    expect(await page.json()).toMatchObject({ state: "invalid", problem: "expired" });
    expect((await submitReset(token)).status).toBe(410);
    expect(await passwordHashOf(me.id)).toBe(before);
  });

  it("only the newest link works", async () => {
    const me = await member();
    const email = `${me.username}@example.org`;
    const first = await issue(email);
    const second = await issue(email);
    expect(first.token).not.toBe(second.token);

    expect(await checkResetToken(first.token)).toEqual({ ok: false, problem: "unknown" });
    const res = await submitReset(first.token);
    expect(res.status).toBe(404);
    expect(await verifyPassword(await passwordHashOf(me.id), OLD_PASSWORD)).toBe(true);

    expect((await submitReset(second.token)).status).toBe(302);
    // Using it leaves no other link behind.
    expect(await db.select().from(passwordResets).where(eq(passwordResets.userId, me.id))).toHaveLength(1);
  });

  it("says exactly what is wrong with the new password and never sends it back", async () => {
    const me = await member();
    const { token } = await issue(`${me.username}@example.org`);

    const short = await submitReset(token, "cramp");
    expect(short.status).toBe(400);
    const shortBody = await short.json();
    expect(shortBody).toEqual({ state: "form", username: me.username, token, errors: { password: "Passwords are at least 8 characters." } });

    const mismatch = await submitReset(token, NEW_PASSWORD, "warm bath before bad");
    expect(mismatch.status).toBe(400);
    const text = JSON.stringify(await mismatch.json());
    expect(text).toContain("The two passwords aren't the same.");
    expect(text).not.toContain("warm bath");

    const common = await submitReset(token, "password123");
    expect((await common.json()).errors.password).toBe("That password is one of the most common ones. Please choose another.");

    // Nothing changed, and the link still works.
    expect(await verifyPassword(await passwordHashOf(me.id), OLD_PASSWORD)).toBe(true);
    expect(await checkResetToken(token)).toEqual({ ok: true, username: me.username });
  });

  it("shows a 4xx page for a missing or made-up token", async () => {
    expect((await call(resetRoute.loader, "/password/reset")).status).toBe(404);
    const made = await openLink("A".repeat(43));
    expect(made.status).toBe(404);
    expect(await made.json()).toMatchObject({ state: "invalid", problem: "unknown" });
    expect((await submitReset("not a token")).status).toBe(404);
  });
});

describe("suspended and deleted accounts", () => {
  it("a suspended member can choose a new password but stays suspended and gets no session", async () => {
    const mod = await member(undefined, "moderator");
    const me = await member();
    await suspendMember(mod, me.id, { duration: "7d", reason: "Repeated personal attacks" });
    const { token } = await issue(`${me.username}@example.org`);

    const res = await submitReset(token);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/password/reset?done=1");
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.userId, me.id))).toEqual([]);

    const row = (await db.select().from(users).where(eq(users.id, me.id)).limit(1))[0]!;
    expect(row.suspendedAt).toBeInstanceOf(Date);
    expect(row.suspendReason).toBe("Repeated personal attacks");
    // The new password works, and logging in with it shows the suspension, not the forum.
    expect((await verifyLogin(me.username, NEW_PASSWORD))?.suspension).toMatchObject({ reason: "Repeated personal attacks" });

    const done = await call(resetRoute.loader, "/password/reset?done=1");
    expect(await done.json()).toEqual({ state: "done", signedIn: false });
  });

  it("a deleted account gets nothing, and its earlier link stops working", async () => {
    const me = await member();
    const email = `${me.username}@example.org`;
    const { token } = await issue(email);
    await deleteAccount(me, { password: OLD_PASSWORD, keepPosts: true });

    expect(await db.select().from(passwordResets).where(eq(passwordResets.userId, me.id))).toEqual([]);
    expect((await openLink(token)).status).toBe(404);

    const count = mails().length;
    expect((await sendForgot(email)).status).toBe(200);
    // The erased address the row now holds is no way in either.
    for (const address of [`deleted-${me.id}@unclench.invalid`, email]) {
      await requestPasswordReset(address, "http://localhost");
    }
    expect(mails()).toHaveLength(count);
    expect(await db.select().from(passwordResets).where(eq(passwordResets.userId, me.id))).toEqual([]);
  });
});

describe("rate limits", () => {
  it("refuses a fourth request for one address within the hour, keeping the address", async () => {
    const me = await member();
    const email = `${me.username}@example.org`;
    for (let i = 0; i < 3; i++) expect((await sendForgot(email)).status).toBe(200);
    const refused = await sendForgot(email);
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    const body = await refused.json();
    expect(body.values).toEqual({ email });
    expect(body.errors.form).toMatch(/^That was a lot of requests for a new password in a short time\. Please try again in \d+ minutes\.$/);
    await waitForMail(email, 3);
    // Addresses nobody uses are counted the same way, so a refusal says nothing about membership.
    for (let i = 0; i < 3; i++) await sendForgot("nobody-at-all@example.org");
    expect((await sendForgot("nobody-at-all@example.org")).status).toBe(429);
  });

  it("refuses one IP asking for many addresses", async () => {
    for (let i = 0; i < 10; i++) expect((await sendForgot(`someone${i}@example.net`, "203.0.113.50")).status).toBe(200);
    expect((await sendForgot("someone10@example.net", "203.0.113.50")).status).toBe(429);
    expect((await sendForgot("someone10@example.net", "203.0.113.51")).status).toBe(200);
  });
});
