// Passkeys (issue 29): adding one in settings, logging in with it, removing it. Real WebAuthn
// answers from a software authenticator (tests/passkey-authenticator.ts), checked by the real server
// library, through the routes' actions and the model.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { transaction } from "../db/client.ts";
import { passkeys, sessions, users, webauthnChallenges } from "../db/schema.ts";
import { db } from "../db/client.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { finishLogin, finishRegistration, listPasskeys, loginOptions, registrationOptions, removePasskey } from "~/models/passkeys.server.ts";
import * as loginPasskey from "~/routes/login.passkey.tsx";
import * as addRoute from "~/routes/settings.passkeys.add.tsx";
import * as removeRoute from "~/routes/settings.passkeys.tsx";
import { getSession, getUser, startSession } from "~/utils/auth.server.ts";
import { PASSKEY_RESPONSE_MAX, PASSKEYS_MAX } from "~/utils/limits.ts";
import { call, member } from "./helpers.ts";
import { SoftAuthenticator } from "./passkey-authenticator.ts";

const PASSWORD = "correct horse battery"; // what helpers.member() signs up with
const RP = { origin: "http://localhost", rpID: "localhost" };
const CHROME_ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36";

type Member = Awaited<ReturnType<typeof member>>;

const asRequest = (cookie: string) => new Request("http://localhost/", { headers: { Cookie: cookie } });
const add = (me: Member, form: Record<string, string>) => call(addRoute.action, "/settings/passkeys/add", { cookie: me.cookie, form });
const login = (form: Record<string, string>) => call(loginPasskey.action, "/login/passkey", { form });

async function addPasskey(me: Member, device = new SoftAuthenticator()) {
  const first = await add(me, { intent: "options", password: PASSWORD });
  expect(first.status).toBe(200);
  const { options, challengeId } = await first.json();
  const done = await add(me, { intent: "verify", challengeId, response: JSON.stringify(device.register(options)) });
  expect(await done.json()).toEqual({ ok: true });
  return device;
}

/** Both steps of logging in with `device`; `change` bends its answer (another origin, a count). */
async function logInWith(device: SoftAuthenticator, change: Parameters<SoftAuthenticator["assert"]>[1] = {}, fields: Record<string, string> = {}) {
  const { options, challengeId } = await (await login({ intent: "options" })).json();
  return login({ intent: "verify", challengeId, response: JSON.stringify(device.assert(options, change)), redirectTo: "/saved", ...fields });
}

const passkeyRow = async (id: string) => (await db.select().from(passkeys).where(eq(passkeys.id, id)))[0];
const challengeCount = async () => (await db.select().from(webauthnChallenges)).length;
const sessionCookie = (res: Response) => res.headers.get("Set-Cookie")?.split(";")[0] ?? null;

describe("adding a passkey", () => {
  it("needs the member's password: a wrong one gets a message by the field and no challenge", async () => {
    const me = await member();
    const before = await challengeCount();
    const res = await add(me, { intent: "options", password: "not my password" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ errors: { password: "That isn't your password." } });
    expect(await challengeCount()).toBe(before);
    const empty = await add(me, { intent: "options", password: "" });
    expect(await empty.json()).toEqual({ errors: { password: "Enter your password." } });
  });

  it("keeps the passkey under the browser's name; the list shows names and dates, never the key", async () => {
    const me = await member();
    const first = await registrationOptions(me, PASSWORD, RP);
    if (!first.ok) throw new Error("refused");
    expect(first.options.rp).toEqual({ name: "Unclench", id: "localhost" });
    expect(first.options.authenticatorSelection).toMatchObject({ residentKey: "required", userVerification: "required" });
    const device = new SoftAuthenticator();
    const done = await finishRegistration(me, first.challengeId, JSON.stringify(device.register(first.options)), CHROME_ANDROID, RP);
    expect(done).toEqual({ ok: true });
    expect(await listPasskeys(me)).toEqual([{ id: device.id, name: "Chrome on Android", createdAt: expect.any(Date), lastUsedAt: null }]);
    expect(await passkeyRow(device.id)).toMatchObject({ userId: me.id, counter: 0, transports: "internal" });
    // The next request lists it, so the same device is told not to make a second one.
    const again = await registrationOptions(me, PASSWORD, RP);
    expect(again.ok && again.options.excludeCredentials).toEqual([{ id: device.id, type: "public-key", transports: ["internal"] }]);
  });

  it("refuses an answer made for another website, and that challenge is used up", async () => {
    const me = await member();
    const { options, challengeId } = await (await add(me, { intent: "options", password: PASSWORD })).json();
    const device = new SoftAuthenticator();
    const forged = await add(me, {
      intent: "verify",
      challengeId,
      response: JSON.stringify(device.register(options, { origin: "https://unclench.evil.example" })),
    });
    expect(forged.status).toBe(400);
    expect((await forged.json()).errors.form).toMatch(/did not check out, so no passkey was added/);
    expect(await passkeyRow(device.id)).toBeUndefined();
    const retry = await add(me, { intent: "verify", challengeId, response: JSON.stringify(device.register(options)) });
    expect((await retry.json()).errors.form).toMatch(/took too long or was already used/);
    expect(await passkeyRow(device.id)).toBeUndefined();
  });

  it("refuses a challenge used twice, an expired one, another member's and a made-up one", async () => {
    const me = await member();
    const other = await member();
    const device = await addPasskey(me);
    const old = await registrationOptions(me, PASSWORD, RP, new Date(Date.now() - 6 * 60_000));
    if (!old.ok) throw new Error("refused");
    const stale = await finishRegistration(me, old.challengeId, JSON.stringify(new SoftAuthenticator().register(old.options)), null, RP);
    expect(stale).toEqual({ ok: false, errors: { form: "That request took too long or was already used. Please try again." } });
    const theirs = await registrationOptions(other, PASSWORD, RP);
    if (!theirs.ok) throw new Error("refused");
    expect((await finishRegistration(me, theirs.challengeId, JSON.stringify(new SoftAuthenticator().register(theirs.options)), null, RP)).ok).toBe(false);
    expect((await finishRegistration(me, "x".repeat(24), JSON.stringify(device.register(theirs.options)), null, RP)).ok).toBe(false);
    expect((await finishRegistration(me, "../../etc", "{}", null, RP)).ok).toBe(false);
    expect(await listPasskeys(me)).toHaveLength(1);
  });

  it("refuses a device that did not check it was the member (no user verification)", async () => {
    const me = await member();
    const first = await registrationOptions(me, PASSWORD, RP);
    if (!first.ok) throw new Error("refused");
    const device = new SoftAuthenticator();
    expect((await finishRegistration(me, first.challengeId, JSON.stringify(device.register(first.options, { verified: false })), null, RP)).ok).toBe(false);
    expect(await passkeyRow(device.id)).toBeUndefined();
  });

  it("answers hostile input with a 4xx and a message, never a 500", async () => {
    const me = await member();
    const answerTo = async (response: string) => {
      const { challengeId } = await (await add(me, { intent: "options", password: PASSWORD })).json();
      const res = await add(me, { intent: "verify", challengeId, response });
      return { status: res.status, form: (await res.json()).errors.form as string };
    };
    const unreadable = { status: 400, form: "Your device's answer could not be read. Please try again." };
    expect(await answerTo("x".repeat(PASSKEY_RESPONSE_MAX + 1))).toEqual(unreadable);
    expect(await answerTo("{not json")).toEqual(unreadable);
    expect(await answerTo(JSON.stringify({ id: "a", rawId: "a", type: "public-key", response: { clientDataJSON: "é", attestationObject: "a" } }))).toEqual(
      unreadable,
    );
    expect(await answerTo('{"__proto__": {"polluted": true}}')).toEqual(unreadable);
    const garbage = JSON.stringify({
      id: "AAAA",
      rawId: "AAAA",
      type: "public-key",
      response: { clientDataJSON: "AAAA", attestationObject: "AAAA" },
      clientExtensionResults: {},
    });
    expect((await answerTo(garbage)).status).toBe(400);
    const unknown = await add(me, { intent: "delete-everything" });
    expect(unknown.status).toBe(400);
    const visitor = await call(addRoute.action, "/settings/passkeys/add", { form: { intent: "options", password: PASSWORD } });
    expect(visitor.status).toBe(401);
    expect((await visitor.json()).errors.form).toMatch(/logged out/);
  });

  it(`stops at ${PASSKEYS_MAX} passkeys a member`, async () => {
    const me = await member();
    await transaction((tx) =>
      tx
        .insert(passkeys)
        .values(Array.from({ length: PASSKEYS_MAX }, (_, i) => ({ id: `key${i}-${me.id}`, userId: me.id, publicKey: Buffer.from([i]), name: "Old phone" }))),
    );
    const res = await add(me, { intent: "options", password: PASSWORD });
    expect((await res.json()).errors.form).toMatch(/the most one account can have/);
  });
});

describe("logging in with a passkey", () => {
  it("starts a session and sends the member on to where they were going; the count and last use are kept", async () => {
    const me = await member();
    const device = await addPasskey(me);
    const res = await logInWith(device);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ redirectTo: "/saved" });
    const cookie = sessionCookie(res);
    expect(cookie).toMatch(/^unclench_session=/);
    expect((await getUser(asRequest(cookie!)))?.id).toBe(me.id);
    expect(await passkeyRow(device.id)).toMatchObject({ counter: 1, lastUsedAt: expect.any(Date) });
    // The way back is the password form's: only a path on this site.
    const offsite = await logInWith(device, {}, { redirectTo: "https://evil.example/" });
    expect(await offsite.json()).toEqual({ redirectTo: "/" });
  });

  it("refuses an answer for another website, a forged signature and a passkey nobody has", async () => {
    const me = await member();
    const device = await addPasskey(me);
    const elsewhere = await logInWith(device, { origin: "https://unclench.evil.example" });
    expect(elsewhere.status).toBe(400);
    expect(sessionCookie(elsewhere)).toBeNull();
    expect((await elsewhere.json()).error).toMatch(/did not check out/);

    const { options, challengeId } = await (await login({ intent: "options" })).json();
    const answer = device.assert(options);
    const signature = Buffer.from(answer.response.signature, "base64url");
    signature.writeUInt8(signature.readUInt8(signature.length - 1) ^ 1, signature.length - 1);
    answer.response.signature = signature.toString("base64url");
    const forged = await login({ intent: "verify", challengeId, response: JSON.stringify(answer) });
    expect(forged.status).toBe(400);
    expect(sessionCookie(forged)).toBeNull();

    const stranger = await logInWith(new SoftAuthenticator());
    expect(stranger.status).toBe(400);
    expect((await stranger.json()).error).toMatch(/isn't registered here/);
  });

  it("refuses a used or expired challenge", async () => {
    const me = await member();
    const device = await addPasskey(me);
    const { options, challengeId } = await (await login({ intent: "options" })).json();
    const first = await login({ intent: "verify", challengeId, response: JSON.stringify(device.assert(options)) });
    expect(first.status).toBe(200);
    const replay = await login({ intent: "verify", challengeId, response: JSON.stringify(device.assert(options)) });
    expect(replay.status).toBe(400);
    expect((await replay.json()).error).toMatch(/took too long or was already used/);

    const old = await loginOptions(RP, new Date(Date.now() - 6 * 60_000));
    expect((await finishLogin(old.challengeId, JSON.stringify(device.assert(old.options)), RP)).ok).toBe(false);
    // Issuing a challenge sweeps the expired ones.
    await loginOptions(RP);
    expect(await db.select().from(webauthnChallenges).where(eq(webauthnChallenges.id, old.challengeId))).toEqual([]);
  });

  it("refuses a count that went back or stayed (a copied key); a device that never counts is fine", async () => {
    const me = await member();
    const device = await addPasskey(me);
    expect((await logInWith(device, { counter: 5 })).status).toBe(200);
    for (const counter of [5, 3]) {
      const res = await logInWith(device, { counter });
      expect(res.status).toBe(400);
      expect((await res.json()).error).toMatch(/may have been copied/);
    }
    expect((await logInWith(device, { counter: 6 })).status).toBe(200);
    expect((await passkeyRow(device.id))!.counter).toBe(6);

    const uncounted = await addPasskey(await member(), new SoftAuthenticator(undefined, false));
    expect((await logInWith(uncounted)).status).toBe(200);
    expect((await logInWith(uncounted)).status).toBe(200);
  });

  it("gives a suspended member the suspension notice, as the password does, and no session", async () => {
    const me = await member();
    const device = await addPasskey(me);
    await transaction((tx) =>
      tx
        .update(users)
        .set({ suspendedAt: new Date(), suspendedUntil: new Date(Date.now() + 86_400_000), suspendReason: "Spam links" })
        .where(eq(users.id, me.id)),
    );
    const res = await logInWith(device);
    expect(res.status).toBe(403);
    expect(sessionCookie(res)).toBeNull();
    expect((await res.json()).suspension).toMatchObject({ member: me.username, reason: "Spam links", token: expect.any(String), draft: "" });
  });

  it("answers unknown intents and unreadable answers with a 400", async () => {
    expect((await login({ intent: "guess" })).status).toBe(400);
    const { challengeId } = await (await login({ intent: "options" })).json();
    const big = await login({ intent: "verify", challengeId, response: "[".repeat(PASSKEY_RESPONSE_MAX + 1) });
    expect(big.status).toBe(400);
    expect((await big.json()).error).toMatch(/could not be read/);
  });
});

describe("removing a passkey", () => {
  it("logs the member out everywhere else, and keeps this session", async () => {
    const me = await member();
    const device = await addPasskey(me);
    const elsewhere = sessionCookie(await logInWith(device))!;
    const here = (await getSession(asRequest(me.cookie)))!.session.id;
    const res = await call(removeRoute.action, "/settings/passkeys", { cookie: me.cookie, form: { passkey: device.id } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/settings?saved=passkey-removed#passkeys");
    expect(await passkeyRow(device.id)).toBeUndefined();
    expect((await db.select({ id: sessions.id }).from(sessions).where(eq(sessions.userId, me.id))).map((s) => s.id)).toEqual([here]);
    expect(await getUser(asRequest(elsewhere))).toBeNull();
    // And it no longer logs anyone in.
    expect((await logInWith(device)).status).toBe(400);
  });

  it("cannot remove another member's passkey, and ends nobody's session trying", async () => {
    const me = await member();
    const other = await member();
    const device = await addPasskey(me);
    const mySecond = sessionCookie(await logInWith(device))!;
    const theirs = (await getSession(asRequest(other.cookie)))!.session.id;
    await startSession(other.id, new Request("http://localhost/login", { method: "POST" }));
    expect(await removePasskey(other, device.id, theirs)).toEqual({ ok: false, errors: { form: "That passkey had already been removed." } });
    const res = await call(removeRoute.action, "/settings/passkeys", { cookie: other.cookie, form: { passkey: device.id } });
    expect(res.status).toBe(400);
    expect(await passkeyRow(device.id)).toBeDefined();
    expect(await getUser(asRequest(mySecond))).not.toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.userId, other.id))).toHaveLength(2);
    const forged = await call(removeRoute.action, "/settings/passkeys", { cookie: me.cookie, form: { passkey: "<script>" } });
    expect(forged.status).toBe(400);
    expect((await forged.json()).errors).toEqual({ form: "That isn't a passkey on this page." });
  });
});

describe("the account and its passkeys", () => {
  it("the export names them with their dates, without key material; deleting the account removes them", async () => {
    const me = await member();
    const device = await addPasskey(me);
    const exported = await exportUserData(me);
    expect(exported.passkeys).toEqual([{ name: "Unknown browser", addedAt: expect.any(Date), lastUsedAt: null }]);
    expect(JSON.stringify(exported)).not.toContain(device.id);
    await deleteAccount(me, { password: PASSWORD, keepPosts: true });
    expect(await passkeyRow(device.id)).toBeUndefined();
    expect((await logInWith(device)).status).toBe(400);
  });
});
