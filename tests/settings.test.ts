import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { sessions, userConditions, users } from "../db/schema.ts";
import { getEmailStatus } from "~/models/email-address.server.ts";
import { getUserPreferences, listSessions, logOutSession } from "~/models/settings.server.ts";
import { verifyLogin } from "~/models/users.server.ts";
import * as settings from "~/routes/settings._index.tsx";
import * as appearance from "~/routes/settings.appearance.tsx";
import * as email from "~/routes/settings.email.tsx";
import * as password from "~/routes/settings.password.tsx";
import * as profile from "~/routes/settings.profile.tsx";
import * as sessionsRoute from "~/routes/settings.sessions.tsx";
import { getSession, getUser, LAST_SEEN_GRANULARITY_MS, refreshedSessionCookie, startSession, USER_AGENT_MAX } from "~/utils/auth.server.ts";
import { consume, limiters } from "~/utils/rate-limit.server.ts";
import { remixHandler } from "./document.ts";
import { call, member } from "./helpers.ts";

const PASSWORD = "correct horse battery"; // what helpers.member() signs up with

const forms = { profile, appearance, email, password, sessions: sessionsRoute };

/** A settings form sent to its own route, /settings/<form>. */
function post(form: keyof typeof forms, cookie: string, values: Record<string, string> = {}) {
  return call(forms[form].action, `/settings/${form}`, { cookie, form: values });
}

function asRequest(cookie: string) {
  return new Request("http://localhost/", { headers: { Cookie: cookie } });
}

const FIREFOX_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
const SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

/** Logs the member in again, as another browser would; returns that browser's Cookie header. */
async function secondDevice(userId: number, userAgent?: string) {
  const request = new Request("http://localhost/login", { method: "POST", headers: userAgent ? { "User-Agent": userAgent } : {} });
  return (await startSession(userId, request)).split(";")[0]!;
}

async function sessionOf(cookie: string) {
  return (await getSession(asRequest(cookie)))!.session;
}

async function sessionRow(id: string) {
  const [row] = await db.select().from(sessions).where(eq(sessions.id, id)).limit(1);
  return row;
}

describe("settings: password", () => {
  it("refuses a wrong current password and keeps the old one", async () => {
    const me = await member();
    const before = (await db.select().from(users).where(eq(users.id, me.id)).limit(1))[0]!.passwordHash;
    const other = await secondDevice(me.id);
    const res = await post("password", me.cookie, { currentPassword: "not my password", newPassword: "brand new leg day" });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data).toEqual({ section: "password", errors: { currentPassword: "That isn't your current password." }, values: {} });
    expect((await db.select().from(users).where(eq(users.id, me.id)).limit(1))[0]!.passwordHash).toBe(before);
    // Nobody was logged out by the failed attempt.
    expect(await getUser(asRequest(other))).not.toBeNull();
  });

  it("refuses a weak new password with a message beside the field", async () => {
    const me = await member();
    const res = await post("password", me.cookie, { currentPassword: PASSWORD, newPassword: "password1" });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.newPassword).toMatch(/most common/);
  });

  it("changes the password and really ends the member's other sessions, keeping this one", async () => {
    const me = await member();
    const phone = await secondDevice(me.id);
    const laptop = await secondDevice(me.id);
    const bystander = await member();
    const res = await post("password", me.cookie, { currentPassword: PASSWORD, newPassword: "calves finally quiet" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/settings?saved=password#password");
    expect(await getUser(asRequest(phone))).toBeNull();
    expect(await getUser(asRequest(laptop))).toBeNull();
    expect((await getUser(asRequest(me.cookie)))?.id).toBe(me.id);
    expect(await db.select().from(sessions).where(eq(sessions.userId, me.id))).toHaveLength(1);
    expect(await getUser(asRequest(bystander.cookie))).not.toBeNull();
    expect((await verifyLogin(me.username, "calves finally quiet"))?.id).toBe(me.id);
    expect(await verifyLogin(me.username, PASSWORD)).toBeNull();
  });

  it("stops password guessing through a borrowed session once the account's login allowance is used up", async () => {
    const me = await member();
    expect((await post("password", me.cookie, { currentPassword: "guess one", newPassword: "brand new leg day" })).status).toBe(400);
    // Use up the rest of the allowance (the test setup scales limits up, so don't count by hand).
    await consume(limiters.loginByAccount, me.username, limiters.loginByAccount.points - 1);
    const res = await post("password", me.cookie, { currentPassword: PASSWORD, newPassword: "brand new leg day" });
    expect(res.status).toBe(429);
    expect((await res.json()).errors.form).toMatch(/a lot of password tries/);
    expect(await verifyLogin(me.username, PASSWORD)).not.toBeNull();
  });
});

describe("settings: sessions", () => {
  it("lists sessions without their secret ids and logs out everywhere else", async () => {
    const me = await member();
    const other = await secondDevice(me.id);
    const page = await (await call(settings.loader, "/settings", { cookie: me.cookie })).json();
    expect(page.sessions).toHaveLength(2);
    expect(page.sessions[0].current).toBe(true);
    const sessionIds = (await db.select().from(sessions).where(eq(sessions.userId, me.id))).map((s) => s.id);
    const text = JSON.stringify(page);
    for (const id of sessionIds) expect(text).not.toContain(id);

    const res = await post("sessions", me.cookie);
    expect(res.headers.get("Location")).toBe("/settings?saved=sessions#sessions");
    expect(await getUser(asRequest(other))).toBeNull();
    expect(await getUser(asRequest(me.cookie))).not.toBeNull();
  });

  it("names each session's browser and system, with when it signed in and was last active, this device first", async () => {
    const me = await member();
    const before = Date.now();
    const laptop = await secondDevice(me.id, FIREFOX_LINUX);
    await secondDevice(me.id, SAFARI_IPHONE);
    // The phone was used more recently than the laptop.
    const laptopId = (await sessionOf(laptop)).id;
    await transaction((tx) =>
      tx
        .update(sessions)
        .set({ lastSeenAt: new Date(before - 60 * 60 * 1000) })
        .where(eq(sessions.id, laptopId)),
    );

    const page = await (await call(settings.loader, "/settings", { cookie: me.cookie })).json();
    expect(page.sessions.map((s: { device: string; current: boolean }) => [s.device, s.current])).toEqual([
      ["Unknown browser", true], // helpers.member() sends no User-Agent
      ["Safari on iPhone", false],
      ["Firefox on Linux", false],
    ]);
    const phoneEntry = page.sessions[1];
    expect(new Date(phoneEntry.signedInAt).getTime()).toBeGreaterThanOrEqual(before);
    expect(phoneEntry.lastActiveAt).toBe(phoneEntry.signedInAt);
    expect(new Date(page.sessions[2].lastActiveAt).getTime()).toBe(before - 60 * 60 * 1000);
    // Handles address sessions; they are not session ids, and the ids never reach the page.
    const rows = await db.select().from(sessions).where(eq(sessions.userId, me.id));
    const text = JSON.stringify(page);
    for (const row of rows) {
      expect(text).not.toContain(row.id);
      expect(row.publicId).toMatch(/^[0-9a-f]{32}$/);
      expect(row.publicId).not.toBe(row.id);
    }
    expect(page.sessions.map((s: { handle: string }) => s.handle).sort()).toEqual(rows.map((r) => r.publicId).sort());
    expect(text).not.toContain("Gecko/20100101"); // the raw User-Agent stays on the server too
  });

  it("logs out one of the member's own sessions by its handle, and it is really gone", async () => {
    const me = await member();
    const laptop = await secondDevice(me.id, FIREFOX_LINUX);
    const phone = await secondDevice(me.id, SAFARI_IPHONE);
    const laptopSession = await sessionOf(laptop);

    const res = await post("sessions", me.cookie, { session: laptopSession.publicId });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/settings?saved=session#sessions");
    expect(await sessionRow(laptopSession.id)).toBeUndefined();
    expect(await getUser(asRequest(laptop))).toBeNull();
    expect(await getUser(asRequest(phone))).not.toBeNull();
    expect(await getUser(asRequest(me.cookie))).not.toBeNull();

    // Sent again (a second tab, a double click): nothing left to end, said plainly.
    const again = await post("sessions", me.cookie, { session: laptopSession.publicId });
    expect(again.status).toBe(400);
    expect((await again.json()).errors.form).toMatch(/already ended/);
  });

  it("won't end another member's session, nor the one making the request", async () => {
    const me = await member();
    const other = await member();
    const theirs = await sessionOf(other.cookie);
    const mine = await sessionOf(me.cookie);

    // Through the model: the handle is only looked for among the actor's own sessions.
    expect(await logOutSession(me, mine, theirs.publicId)).toEqual({ ok: false, errors: { form: expect.stringMatching(/already ended/) } });
    const res = await post("sessions", me.cookie, { session: theirs.publicId });
    expect(res.status).toBe(400);
    expect(await sessionRow(theirs.id)).toBeDefined();
    expect(await getUser(asRequest(other.cookie))).not.toBeNull();

    const own = await post("sessions", me.cookie, { session: mine.publicId });
    expect(own.status).toBe(400);
    expect((await own.json()).errors.form).toMatch(/the device you're using/);
    expect(await getUser(asRequest(me.cookie))).not.toBeNull();

    // A session id in place of a handle is not a handle.
    const byId = await post("sessions", me.cookie, { session: theirs.id });
    expect(byId.status).toBe(400);
    expect(await sessionRow(theirs.id)).toBeDefined();

    // An empty handle is not "Log out everywhere else" (that form sends no session field at all).
    const laptop = await secondDevice(me.id);
    const empty = await post("sessions", me.cookie, { session: "" });
    expect(empty.status).toBe(400);
    expect(await getUser(asRequest(laptop))).not.toBeNull();
  });

  it("keeps the User-Agent at a sane length", async () => {
    const me = await member();
    const cookie = await secondDevice(me.id, `${FIREFOX_LINUX} ${"x".repeat(5000)}`);
    const row = (await sessionRow((await sessionOf(cookie)).id))!;
    expect(row.userAgent).toHaveLength(USER_AGENT_MAX);
    expect((await listSessions(me, "")).map((s) => s.device)).toContain("Firefox on Linux");
  });

  it("records last activity at most once per interval, so page views aren't writes", async () => {
    const me = await member();
    const { id } = await sessionOf(me.cookie);
    const ago = (ms: number) => new Date(Date.now() - ms);

    const recent = ago(LAST_SEEN_GRANULARITY_MS / 2);
    await transaction((tx) => tx.update(sessions).set({ lastSeenAt: recent }).where(eq(sessions.id, id)));
    await refreshedSessionCookie(me.cookie); // what the server runs on every request
    expect((await sessionRow(id))!.lastSeenAt).toEqual(recent);

    await transaction((tx) =>
      tx
        .update(sessions)
        .set({ lastSeenAt: ago(LAST_SEEN_GRANULARITY_MS + 1000) })
        .where(eq(sessions.id, id)),
    );
    const start = Date.now();
    await refreshedSessionCookie(me.cookie);
    expect((await sessionRow(id))!.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(start);

    await transaction((tx) => tx.update(sessions).set({ lastSeenAt: null }).where(eq(sessions.id, id)));
    await refreshedSessionCookie(me.cookie);
    expect((await sessionRow(id))!.lastSeenAt!.getTime()).toBeGreaterThanOrEqual(start);
  });

  it("sends visitors to log in", async () => {
    const res = await call(settings.loader, "/settings");
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fsettings");
  });
});

describe("settings: email", () => {
  it("needs the password, keeps the typed address on error, and won't say whose an address is", async () => {
    const [me, taken] = [await member(), await member()];
    let res = await post("email", me.cookie, { email: "new-me@example.org", password: "wrong one" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ section: "email", errors: { password: "That isn't your password." }, values: { email: "new-me@example.org" } });
    res = await post("email", me.cookie, { email: `${taken.username}@example.org`, password: PASSWORD });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.email).toBe("This email can't be used. Please try another.");
    res = await post("email", me.cookie, { email: "not-an-address", password: PASSWORD });
    expect(res.status).toBe(400);
    expect((await db.select().from(users).where(eq(users.id, me.id)).limit(1))[0]!.email).toBe(`${me.username}@example.org`);

    // The new address takes over once its link is opened (tests/email-confirm.test.ts).
    res = await post("email", me.cookie, { email: "New-Me@Example.org", password: PASSWORD });
    expect(res.status).toBe(302);
    expect((await db.select().from(users).where(eq(users.id, me.id)).limit(1))[0]!.email).toBe(`${me.username}@example.org`);
    expect((await getEmailStatus(me)).pending?.address).toBe("new-me@example.org");
  });
});

describe("settings: appearance and profile", () => {
  it("saves theme, text size and reduced motion for every page", async () => {
    const me = await member();
    expect(await getUserPreferences(me.id)).toMatchObject({ theme: "system", textSize: "normal", reducedMotion: false });
    const res = await post("appearance", me.cookie, { theme: "dark", textSize: "larger", reducedMotion: "on" });
    expect(res.headers.get("Location")).toBe("/settings?saved=appearance#appearance");
    expect(await getUserPreferences(me.id)).toMatchObject({ theme: "dark", textSize: "larger", reducedMotion: true });
    await post("appearance", me.cookie, { theme: "light", textSize: "normal" });
    expect(await getUserPreferences(me.id)).toMatchObject({ theme: "light", textSize: "normal", reducedMotion: false });
    expect((await post("appearance", me.cookie, { theme: "neon", textSize: "normal" })).status).toBe(400);
    // A form with no choices in it saves nothing.
    expect((await post("appearance", me.cookie)).status).toBe(400);
    expect(await getUserPreferences(me.id)).toMatchObject({ theme: "light", textSize: "normal", reducedMotion: false });
  });

  it("keeps every appearance choice on a 400 (a time zone not on the list) and saves none of them", async () => {
    const me = await member();
    const res = await post("appearance", me.cookie, { theme: "auto-night", timeZone: "Chicago", textSize: "larger", reducedMotion: "on" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      section: "appearance",
      errors: { timeZone: "Choose a time zone from the list, e.g. Europe/London." },
      values: { theme: "auto-night", timeZone: "Chicago", textSize: "larger", reducedMotion: true },
    });
    expect(await getUserPreferences(me.id)).toMatchObject({ theme: "system", textSize: "normal", reducedMotion: false, timeZone: null });
    // Reduce motion left off is kept as off, not as "whatever was saved".
    const off = await post("appearance", me.cookie, { theme: "dark", timeZone: "Mars/Olympus", textSize: "normal" });
    expect((await off.json()).values).toEqual({ theme: "dark", timeZone: "Mars/Olympus", textSize: "normal", reducedMotion: false });
  });

  it("renders the bio through the markdown pipeline and saves conditions chosen from the boards", async () => {
    const me = await member();
    const res = await post("profile", me.cookie, {
      bio: "Night cramps since **2019**. <script>alert(1)</script>",
      "condition-night-leg-cramps": "on",
      "condition-fibromyalgia": "on",
      "condition-not-a-board": "on",
      bioVisibility: "members",
      conditionsVisibility: "nobody",
      joinedVisibility: "everyone",
    });
    expect(res.status).toBe(302);
    const row = (await db.select().from(users).where(eq(users.id, me.id)).limit(1))[0]!;
    expect(row.bioHtml).toContain("<strong>2019</strong>");
    expect(row.bioHtml).not.toContain("<script");
    expect(row).toMatchObject({ bioVisibility: "members", conditionsVisibility: "nobody", joinedVisibility: "everyone" });
    expect(await db.select().from(userConditions).where(eq(userConditions.userId, me.id))).toHaveLength(2);
    const page = await (await call(settings.loader, "/settings", { cookie: me.cookie })).json();
    expect(page.settings.conditions.filter((c: { chosen: boolean }) => c.chosen).map((c: { slug: string }) => c.slug)).toEqual([
      "fibromyalgia",
      "night-leg-cramps",
    ]);
  });

  it("keeps a too-long bio and the ticked boxes, with a message beside the field", async () => {
    const me = await member();
    const bio = "x".repeat(1001);
    const choices = { bioVisibility: "nobody", conditionsVisibility: "members", joinedVisibility: "everyone" };
    const res = await post("profile", me.cookie, { bio, "condition-ms-spasticity": "on", ...choices });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      section: "profile",
      errors: { bio: "Your bio can be at most 1,000 characters." },
      values: { bio, conditions: ["ms-spasticity"], ...choices },
    });
    expect((await db.select().from(users).where(eq(users.id, me.id)).limit(1))[0]!.bioMarkdown).toBeNull();
  });
});

describe("settings without JavaScript", () => {
  const send = remixHandler({
    "routes/settings._index": { path: "settings", module: settings },
    ...Object.fromEntries(Object.entries(forms).map(([form, module]) => [`routes/settings.${form}`, { path: `settings/${form}`, module }])),
  });

  it("posts each form to its own route, opening the answer at that form", async () => {
    const me = await member();
    const { response, text } = await send("/settings", { cookie: me.cookie });
    expect(response.status).toBe(200);
    for (const form of ["profile", "appearance", "email", "password"]) expect(text).toContain(`action="/settings/${form}#${form}"`);
    // No form shares a route through an intent field; the one intent is Show password's toggle.
    expect([...text.matchAll(/name="intent" value="([^"]+)"/g)].map((m) => m[1])).toEqual(["show-password"]);
  });

  it("answers a refused save with the whole settings page: the error beside its field, every choice kept", async () => {
    const me = await member();
    const form = { theme: "auto-night", timeZone: "Chicago", textSize: "larger", reducedMotion: "on" };
    const { response, text } = await send("/settings/appearance", { cookie: me.cookie, form });
    expect(response.status).toBe(400);
    expect(text).toContain("<h1>Settings</h1>");
    expect(text).toContain("Not saved yet, and your choices are kept. Please check your time zone below.");
    expect(text).toContain('<p class="field-error" id="timeZone-error">Choose a time zone from the list, e.g. Europe/London.</p>');
    expect(text).toMatch(/<input id="timeZone"[^>]*value="Chicago"/);
    expect(text).toMatch(/<input type="radio" id="theme-auto-night"[^>]*checked=""/);
    expect(text).toMatch(/<input type="radio" id="textSize-larger"[^>]*checked=""/);
    expect(text).toMatch(/<input type="checkbox" id="reducedMotion"[^>]*checked=""/);
    // The other forms show what is saved, without the appearance form's errors.
    expect(text).toContain(`Your email is <strong>${me.username}@example.org</strong>`);
    expect(text.match(/class="field-error"/g)).toHaveLength(1);
  });
});
