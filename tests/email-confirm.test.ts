// Verified email (docs/decisions/036): sign-up sends a link that confirms the address; opening it
// shows a button and changes nothing until it is pressed; links are single use, 48 hours, newest
// only; a change keeps the old address until the new one is confirmed, and tells the old one.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readMailFile } from "./mail-file.ts";

// The real allowances (the suite's scale is for other files), an outbox of this file's own, and a public origin.
process.env.RATE_LIMIT_SCALE = "1";
const outbox = mkdtempSync(join(tmpdir(), "unclench-outbox-"));
process.env.MAIL_OUTBOX = outbox;
delete process.env.SMTP_URL;
process.env.ORIGIN = "https://unclench.example";

const { eq } = await import("drizzle-orm");
const { db, transaction } = await import("../db/client.ts");
const { emailConfirmations, mailOutbox, users } = await import("../db/schema.ts");
const { deleteAccount } = await import("~/models/account.server.ts");
const { exportUserData } = await import("~/models/account-export.server.ts");
const { CONFIRM_TTL_MS, getEmailStatus, mailableAddress } = await import("~/models/email-address.server.ts");
const { deliverDueMail } = await import("~/models/mail-outbox.server.ts");
const { requestPasswordReset, resetPassword } = await import("~/models/password-reset.server.ts");
const confirmRoute = await import("~/routes/email.confirm.tsx");
const settingsPage = await import("~/routes/settings._index.tsx");
const emailRoute = await import("~/routes/settings.email.tsx");
const linkRoute = await import("~/routes/settings.email-link.tsx");
const signupRoute = await import("~/routes/signup.tsx");
const { remixHandler } = await import("./document.ts");
const { call, member } = await import("./helpers.ts");

const PASSWORD = "correct horse battery"; // what helpers.member() signs up with
const handle = remixHandler({
  "routes/email.confirm": { path: "email/confirm", module: confirmRoute },
  "routes/settings._index": { path: "settings", module: settingsPage },
  "routes/settings.email-link": { path: "settings/email-link", module: linkRoute },
});

/** A page as a browser gets it, its apostrophes read as such. */
async function send(...args: Parameters<typeof handle>) {
  const { response, text } = await handle(...args);
  return { response, text: text.replaceAll("&#x27;", "'") };
}

type Mail = ReturnType<typeof readMailFile>;

/** Sends what is due, then every email to `address` so far, oldest first. */
async function mailsTo(address: string): Promise<Mail[]> {
  await deliverDueMail();
  return readdirSync(outbox)
    .filter((file) => file.endsWith(".eml"))
    .sort()
    .map((file) => readMailFile(readFileSync(join(outbox, file), "utf8")))
    .filter((mail) => mail.to === address);
}

function tokenIn(mail: Mail | undefined) {
  const link = /https:\/\/unclench\.example\/email\/confirm\?token=([A-Za-z0-9_-]+)/.exec(mail?.text ?? "");
  if (!link) throw new Error(`no confirmation link in:\n${mail?.text}`);
  return link[1]!;
}

const latestToken = async (address: string) => tokenIn((await mailsTo(address)).at(-1));
const openLink = (token: string) => call(confirmRoute.loader, `/email/confirm?${new URLSearchParams({ token })}`);
const pressConfirm = (token: string) => call(confirmRoute.action, `/email/confirm?${new URLSearchParams({ token })}`, { form: { token } });
const userRow = async (id: number) => (await db.select().from(users).where(eq(users.id, id)).limit(1))[0]!;

describe("signing up", () => {
  it("queues a confirmation link to the new address; the account works at once but gets no notification mail", async () => {
    const res = await call(signupRoute.action, "/signup", { form: { username: "newcomer", email: "newcomer@example.org", password: "quiet calves at dawn" } });
    expect(res.status).toBe(302);
    const [row] = await db.select().from(users).where(eq(users.username, "newcomer"));
    expect(row!.emailVerifiedAt).toBeNull();
    expect(await mailableAddress(row!.id)).toBeNull();

    const [mail] = await mailsTo("newcomer@example.org");
    expect(mail!.subject).toBe("Confirm your email address for Unclench");
    expect(mail!.text).toContain("Hello newcomer,");
    expect(mail!.text).toContain("we send you no notifications until the address is confirmed");
    expect(mail!.html).toContain(`<a href="https://unclench.example/email/confirm?token=${tokenIn(mail)}">`);
    expect(mail!.html).not.toMatch(/<img|<script|style=["'][^"']*url\(/i);
    // Only the token's hash is stored.
    const [stored] = await db.select().from(emailConfirmations).where(eq(emailConfirmations.userId, row!.id));
    expect(JSON.stringify(stored)).not.toContain(tokenIn(mail));
    expect(stored!.expiresAt.getTime() - stored!.createdAt.getTime()).toBe(CONFIRM_TTL_MS);
  });
});

describe("opening the link", () => {
  it("shows a button naming the address, and only the POST confirms it", async () => {
    const me = await member();
    const address = `${me.username}@example.org`;
    const token = await latestToken(address);

    const page = await send(`/email/confirm?token=${token}`);
    expect(page.response.status).toBe(200);
    expect(page.response.headers.get("Cache-Control")).toBe("no-store");
    expect(page.text).toContain(`Is <strong>${address}</strong> the email address of the Unclench account <strong>${me.username}</strong>?`);
    expect(page.text).toContain("Yes, confirm this address");
    // A mail scanner opening the link, twice, changes nothing.
    await openLink(token);
    expect((await userRow(me.id)).emailVerifiedAt).toBeNull();

    const res = await pressConfirm(token);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/email/confirm?done=1");
    expect((await userRow(me.id)).emailVerifiedAt).toBeInstanceOf(Date);
    expect(await mailableAddress(me.id)).toBe(address);
    const done = await send("/email/confirm?done=1", { cookie: me.cookie });
    expect(done.text).toContain("Your email address is confirmed");
  });

  it("refuses a reused link, and changes nothing", async () => {
    const me = await member();
    const token = await latestToken(`${me.username}@example.org`);
    expect((await pressConfirm(token)).status).toBe(302);
    const confirmedAt = (await userRow(me.id)).emailVerifiedAt;
    const again = await pressConfirm(token);
    expect(again.status).toBe(410);
    expect(await again.json()).toMatchObject({ state: "invalid", problem: "used" });
    expect((await userRow(me.id)).emailVerifiedAt).toEqual(confirmedAt);
  });

  it("refuses an expired link", async () => {
    const me = await member();
    const token = await latestToken(`${me.username}@example.org`);
    await transaction((tx) =>
      tx
        .update(emailConfirmations)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(emailConfirmations.userId, me.id)),
    );
    expect((await openLink(token)).status).toBe(410);
    const res = await pressConfirm(token);
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ problem: "expired" });
    expect((await userRow(me.id)).emailVerifiedAt).toBeNull();
  });

  it("refuses forged, malformed and oversized tokens with a 404 that says how to get a new link", async () => {
    const me = await member();
    for (const forged of ["A".repeat(43), "", "not a token", `${"x".repeat(42)}=`, "ä".repeat(43), "A".repeat(100_000)]) {
      expect((await openLink(forged)).status).toBe(404);
      expect((await pressConfirm(forged)).status).toBe(404);
    }
    const page = await send(`/email/confirm?token=${"B".repeat(43)}`);
    expect(page.response.status).toBe(404);
    expect(page.text).toContain("This link doesn't work");
    expect(page.text).toContain("Send the link again");
    expect((await userRow(me.id)).emailVerifiedAt).toBeNull();
  });

  it("only the newest link works", async () => {
    const me = await member();
    const address = `${me.username}@example.org`;
    const first = await latestToken(address);
    expect((await call(linkRoute.action, "/settings/email-link", { cookie: me.cookie, form: {} })).status).toBe(302);
    const second = await latestToken(address);
    expect(second).not.toBe(first);
    expect((await pressConfirm(first)).status).toBe(404);
    expect((await pressConfirm(second)).status).toBe(302);
  });
});

describe("Settings › Email address", () => {
  it("says whether the address is confirmed and sends the link again, a few times an hour", async () => {
    const me = await member();
    let page = await send("/settings", { cookie: me.cookie });
    expect(page.text).toContain("It isn't confirmed yet: we've sent a link to it.");
    expect(page.text).toContain(">Send the link again</button>");

    // Without JavaScript the form posts to its own route and comes back to this section.
    const sent = await send("/settings/email-link", { cookie: me.cookie, form: {} });
    expect(sent.response.status).toBe(302);
    expect(sent.response.headers.get("Location")).toBe("/settings?saved=email-link#email");
    for (let i = 0; i < 4; i++) expect((await call(linkRoute.action, "/settings/email-link", { cookie: me.cookie, form: {} })).status).toBe(302);
    const refused = await send("/settings/email-link", { cookie: me.cookie, form: {} });
    expect(refused.response.status).toBe(429);
    expect(Number(refused.response.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(refused.text).toContain("We've sent a lot of confirmation links in the last hour.");

    await pressConfirm(await latestToken(`${me.username}@example.org`));
    page = await send("/settings", { cookie: me.cookie });
    expect(page.text).toContain("It's confirmed.");
    expect(page.text).not.toContain("Send the link again");
  });

  it("refuses to send a link for an address already confirmed", async () => {
    const me = await member();
    await pressConfirm(await latestToken(`${me.username}@example.org`));
    const res = await call(linkRoute.action, "/settings/email-link", { cookie: me.cookie, form: {} });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.form).toBe("Your email address is already confirmed, so there is no link to send.");
  });
});

describe("changing the address", () => {
  const change = (cookie: string, email: string, password = PASSWORD) => call(emailRoute.action, "/settings/email", { cookie, form: { email, password } });

  it("keeps the old address until the new one is confirmed, and tells the old one how to get help", async () => {
    const me = await member();
    const old = `${me.username}@example.org`;
    await pressConfirm(await latestToken(old));
    const fresh = `${me.username}@example.net`;

    const res = await change(me.cookie, fresh);
    expect(res.status).toBe(302);
    expect((await userRow(me.id)).email).toBe(old);
    // Notifications still go to the confirmed old address meanwhile.
    expect(await mailableAddress(me.id)).toBe(old);
    expect((await getEmailStatus(me)).pending?.address).toBe(fresh);
    const page = await send("/settings", { cookie: me.cookie });
    expect(page.text).toContain(`You asked to change it to <strong>${fresh}</strong>.`);

    const [link] = await mailsTo(fresh);
    expect(link!.text).toContain("Until you do, we keep using your old address.");
    const notice = (await mailsTo(old)).at(-1)!;
    expect(notice.subject).toBe("Your Unclench email address is changing");
    expect(notice.text).toContain(fresh);
    expect(notice.text).toContain("https://unclench.example/password/forgot");
    expect(notice.text).not.toContain("/email/confirm");

    expect((await pressConfirm(tokenIn(link))).status).toBe(302);
    const row = await userRow(me.id);
    expect(row.email).toBe(fresh);
    expect(row.emailVerifiedAt).toBeInstanceOf(Date);
    expect(await mailableAddress(me.id)).toBe(fresh);
  });

  it("tells an old address nothing when it was never confirmed (it may be a stranger's)", async () => {
    const me = await member();
    const old = `${me.username}@example.org`;
    const before = (await mailsTo(old)).length;
    expect((await change(me.cookie, `${me.username}@example.com`)).status).toBe(302);
    expect(await mailsTo(old)).toHaveLength(before);
    expect(await mailsTo(`${me.username}@example.com`)).toHaveLength(1);
  });

  it("refuses a wrong password or a taken address with the same words as sign-up, sending nothing", async () => {
    const [me, other] = [await member(), await member()];
    const taken = `${other.username}@example.org`;
    const wrong = await change(me.cookie, "elsewhere@example.org", "not my password");
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ section: "email", errors: { password: "That isn't your password." }, values: { email: "elsewhere@example.org" } });
    const res = await change(me.cookie, taken);
    expect((await res.json()).errors.email).toBe("This email can't be used. Please try another.");
    expect(await mailsTo("elsewhere@example.org")).toEqual([]);
  });

  it("won't confirm an address another account took meanwhile", async () => {
    const me = await member();
    const wanted = `wanted-${me.username}@example.org`;
    expect((await change(me.cookie, wanted)).status).toBe(302);
    const token = await latestToken(wanted);
    await call(signupRoute.action, "/signup", { form: { username: `q${me.username}`, email: wanted, password: "quiet calves at dawn" } });
    const res = await pressConfirm(token);
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ problem: "taken" });
    expect((await userRow(me.id)).email).toBe(`${me.username}@example.org`);
  });
});

describe("mailableAddress, for notification mail", () => {
  it("is the address only while it is confirmed, not refused, and the account exists", async () => {
    const me = await member();
    expect(await mailableAddress(me.id)).toBeNull();
    await pressConfirm(await latestToken(`${me.username}@example.org`));
    expect(await mailableAddress(me.id)).toBe(`${me.username}@example.org`);
    await transaction((tx) => tx.update(users).set({ emailBouncedAt: new Date() }).where(eq(users.id, me.id)));
    expect(await mailableAddress(me.id)).toBeNull();
    const page = await send("/settings", { cookie: me.cookie });
    expect(page.text).toContain("Mail to this address was refused on");
    // Confirming again says the mailbox works.
    await call(linkRoute.action, "/settings/email-link", { cookie: me.cookie, form: {} });
    await pressConfirm(await latestToken(`${me.username}@example.org`));
    expect(await mailableAddress(me.id)).toBe(`${me.username}@example.org`);
    expect(await mailableAddress(999_999)).toBeNull();
  });

  it("counts an address as confirmed once a password reset link sent to it is used", async () => {
    const me = await member();
    await requestPasswordReset(`${me.username}@example.org`, "https://unclench.example");
    const reset = (await mailsTo(`${me.username}@example.org`)).find((m) => m.subject === "Reset your Unclench password")!;
    const token = /token=([A-Za-z0-9_-]+)/.exec(reset.text)![1]!;
    expect(await resetPassword(token, "warm bath before bed")).toMatchObject({ ok: true });
    expect(await mailableAddress(me.id)).toBe(`${me.username}@example.org`);
  });

  it("is shown in the data export, and goes with a deleted account along with its links and mail", async () => {
    const me = await member();
    const token = await latestToken(`${me.username}@example.org`);
    expect((await exportUserData(me)).profile.emailConfirmedAt).toBeNull();
    expect(await deleteAccount(me, { password: PASSWORD, keepPosts: true })).toMatchObject({ ok: true });
    expect(await mailableAddress(me.id)).toBeNull();
    expect(await db.select().from(emailConfirmations).where(eq(emailConfirmations.userId, me.id))).toEqual([]);
    expect(await db.select().from(mailOutbox).where(eq(mailOutbox.userId, me.id))).toEqual([]);
    expect((await pressConfirm(token)).status).toBe(404);
  });
});
