import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { sessions, userConditions, users } from "../db/schema.ts";
import { getUserPreferences } from "~/models/settings.server.ts";
import { verifyLogin } from "~/models/users.server.ts";
import * as settings from "~/routes/settings._index.tsx";
import { getUser, startSession } from "~/utils/auth.server.ts";
import { consume, limiters } from "~/utils/rate-limit.server.ts";
import { call, member } from "./helpers.ts";

const PASSWORD = "correct horse battery"; // what helpers.member() signs up with

function post(cookie: string, form: Record<string, string>) {
  return call(settings.action, "/settings", { cookie, form });
}

function asRequest(cookie: string) {
  return new Request("http://localhost/", { headers: { Cookie: cookie } });
}

async function secondDevice(userId: number) {
  return (await startSession(userId)).split(";")[0]!;
}

describe("settings: password", () => {
  it("refuses a wrong current password and keeps the old one", async () => {
    const me = await member();
    const before = db.select().from(users).where(eq(users.id, me.id)).get()!.passwordHash;
    const other = await secondDevice(me.id);
    const res = await post(me.cookie, { intent: "password", currentPassword: "not my password", newPassword: "brand new leg day" });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data).toEqual({ section: "password", errors: { currentPassword: "That isn't your current password." }, values: {} });
    expect(db.select().from(users).where(eq(users.id, me.id)).get()!.passwordHash).toBe(before);
    // Nobody was logged out by the failed attempt.
    expect(await getUser(asRequest(other))).not.toBeNull();
  });

  it("refuses a weak new password with a message beside the field", async () => {
    const me = await member();
    const res = await post(me.cookie, { intent: "password", currentPassword: PASSWORD, newPassword: "password1" });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.newPassword).toMatch(/most common/);
  });

  it("changes the password and really ends the member's other sessions, keeping this one", async () => {
    const me = await member();
    const phone = await secondDevice(me.id);
    const laptop = await secondDevice(me.id);
    const bystander = await member();
    const res = await post(me.cookie, { intent: "password", currentPassword: PASSWORD, newPassword: "calves finally quiet" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/settings?saved=password#password");
    expect(await getUser(asRequest(phone))).toBeNull();
    expect(await getUser(asRequest(laptop))).toBeNull();
    expect((await getUser(asRequest(me.cookie)))?.id).toBe(me.id);
    expect(db.select().from(sessions).where(eq(sessions.userId, me.id)).all()).toHaveLength(1);
    expect(await getUser(asRequest(bystander.cookie))).not.toBeNull();
    expect((await verifyLogin(me.username, "calves finally quiet"))?.id).toBe(me.id);
    expect(await verifyLogin(me.username, PASSWORD)).toBeNull();
  });

  it("stops password guessing through a borrowed session once the account's login allowance is used up", async () => {
    const me = await member();
    expect((await post(me.cookie, { intent: "password", currentPassword: "guess one", newPassword: "brand new leg day" })).status).toBe(400);
    // Use up the rest of the allowance (the test setup scales limits up, so don't count by hand).
    const { limiter } = limiters.loginByAccount;
    await consume(limiters.loginByAccount, me.username, limiter.points - 1);
    const res = await post(me.cookie, { intent: "password", currentPassword: PASSWORD, newPassword: "brand new leg day" });
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
    const sessionIds = db.select().from(sessions).where(eq(sessions.userId, me.id)).all().map((s) => s.id);
    const text = JSON.stringify(page);
    for (const id of sessionIds) expect(text).not.toContain(id);

    const res = await post(me.cookie, { intent: "sessions" });
    expect(res.headers.get("Location")).toBe("/settings?saved=sessions#sessions");
    expect(await getUser(asRequest(other))).toBeNull();
    expect(await getUser(asRequest(me.cookie))).not.toBeNull();
  });

  it("sends visitors to log in", async () => {
    const res = await call(settings.loader, "/settings");
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fsettings");
  });
});

describe("settings: email", () => {
  it("needs the password, keeps the typed address on error, and won't say whose an address is", async () => {
    const [me, taken] = [await member(), await member()];
    let res = await post(me.cookie, { intent: "email", email: "new-me@example.org", password: "wrong one" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ section: "email", errors: { password: "That isn't your password." }, values: { email: "new-me@example.org" } });
    res = await post(me.cookie, { intent: "email", email: `${taken.username}@example.org`, password: PASSWORD });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.email).toBe("This email can't be used. Please try another.");
    res = await post(me.cookie, { intent: "email", email: "not-an-address", password: PASSWORD });
    expect(res.status).toBe(400);
    expect(db.select().from(users).where(eq(users.id, me.id)).get()!.email).toBe(`${me.username}@example.org`);

    res = await post(me.cookie, { intent: "email", email: "New-Me@Example.org", password: PASSWORD });
    expect(res.status).toBe(302);
    expect(db.select().from(users).where(eq(users.id, me.id)).get()!.email).toBe("new-me@example.org");
  });
});

describe("settings: appearance and profile", () => {
  it("saves theme, text size and reduced motion for every page", async () => {
    const me = await member();
    expect(getUserPreferences(me.id)).toMatchObject({ theme: "system", textSize: "normal", reducedMotion: false });
    const res = await post(me.cookie, { intent: "appearance", theme: "dark", textSize: "larger", reducedMotion: "on" });
    expect(res.headers.get("Location")).toBe("/settings?saved=appearance#appearance");
    expect(getUserPreferences(me.id)).toMatchObject({ theme: "dark", textSize: "larger", reducedMotion: true });
    await post(me.cookie, { intent: "appearance", theme: "light", textSize: "normal" });
    expect(getUserPreferences(me.id)).toMatchObject({ theme: "light", textSize: "normal", reducedMotion: false });
    expect((await post(me.cookie, { intent: "appearance", theme: "neon", textSize: "normal" })).status).toBe(400);
    expect((await post(me.cookie, { intent: "explode" })).status).toBe(400);
  });

  it("renders the bio through the markdown pipeline and saves conditions chosen from the boards", async () => {
    const me = await member();
    const res = await post(me.cookie, {
      intent: "profile",
      bio: "Night cramps since **2019**. <script>alert(1)</script>",
      "condition-night-leg-cramps": "on",
      "condition-fibromyalgia": "on",
      "condition-not-a-board": "on",
      profileHidden: "on",
    });
    expect(res.status).toBe(302);
    const row = db.select().from(users).where(eq(users.id, me.id)).get()!;
    expect(row.bioHtml).toContain("<strong>2019</strong>");
    expect(row.bioHtml).not.toContain("<script");
    expect(row.profileHidden).toBe(true);
    expect(db.select().from(userConditions).where(eq(userConditions.userId, me.id)).all()).toHaveLength(2);
    const page = await (await call(settings.loader, "/settings", { cookie: me.cookie })).json();
    expect(page.settings.conditions.filter((c: { chosen: boolean }) => c.chosen).map((c: { slug: string }) => c.slug)).toEqual([
      "fibromyalgia",
      "night-leg-cramps",
    ]);
  });

  it("keeps a too-long bio and the ticked boxes, with a message beside the field", async () => {
    const me = await member();
    const bio = "x".repeat(1001);
    const res = await post(me.cookie, { intent: "profile", bio, "condition-ms-spasticity": "on" });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({
      section: "profile",
      errors: { bio: "Your bio can be at most 1,000 characters." },
      values: { bio, conditions: ["ms-spasticity"], profileHidden: false },
    });
    expect(db.select().from(users).where(eq(users.id, me.id)).get()!.bioMarkdown).toBeNull();
  });
});
