import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { adoptTimeZone } from "~/models/settings.server.ts";
import * as signup from "~/routes/signup.tsx";
import * as timeZoneRoute from "~/routes/settings.time-zone.tsx";
import * as welcome from "~/routes/welcome.tsx";
import { call, member } from "./helpers.ts";

async function appearanceOf(id: number) {
  const [row] = await db
    .select({ theme: users.theme, textSize: users.textSize, timeZone: users.timeZone, reducedMotion: users.reducedMotion })
    .from(users)
    .where(eq(users.id, id));
  return row!;
}

describe("the welcome after sign-up", () => {
  it("is where sign-up lands, carrying the page the newcomer came from", async () => {
    const form = { username: "newcomer1", email: "newcomer1@example.org", password: "correct horse battery" };
    const fromThread = await call(signup.action, "/signup", { form: { ...form, redirectTo: "/threads/4?page=2" } });
    expect(fromThread.status).toBe(302);
    expect(fromThread.headers.get("Location")).toBe("/welcome?next=%2Fthreads%2F4%3Fpage%3D2");
    const plain = await call(signup.action, "/signup", {
      form: { username: "newcomer2", email: "newcomer2@example.org", password: "correct horse battery", redirectTo: "/" },
    });
    expect(plain.headers.get("Location")).toBe("/welcome");
  });

  it("greets the member by name and offers the way back, never off the site", async () => {
    const ann = await member();
    const data = await (await call(welcome.loader, "/welcome?next=%2Fthreads%2F4", { cookie: ann.cookie })).json();
    expect(data).toMatchObject({ username: ann.username, next: "/threads/4", saved: false, theme: "system", textSize: "normal", timeZone: "" });
    const hostile = await (await call(welcome.loader, `/welcome?next=${encodeURIComponent("//evil.example")}`, { cookie: ann.cookie })).json();
    expect(hostile.next).toBe("/");
  });

  it("saves text size, theme and time zone, leaving motion as it was", async () => {
    const bea = await member();
    await transaction((tx) => tx.update(users).set({ reducedMotion: true }).where(eq(users.id, bea.id)));
    const res = await call(welcome.action, "/welcome", {
      cookie: bea.cookie,
      form: { next: "/threads/4", textSize: "larger", theme: "night", timeZone: "Europe/Dublin" },
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/welcome?next=%2Fthreads%2F4&saved=1#comfort");
    expect(await appearanceOf(bea.id)).toEqual({ theme: "night", textSize: "larger", timeZone: "Europe/Dublin", reducedMotion: true });
  });

  it("refuses a made-up time zone or theme with a 400, keeping every choice and saving nothing", async () => {
    const cal = await member();
    const res = await call(welcome.action, "/welcome", { cookie: cal.cookie, form: { textSize: "large", theme: "neon", timeZone: "Mars/Olympus_Mons" } });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(Object.keys(body.errors).sort()).toEqual(["theme", "timeZone"]);
    expect(body.kept).toEqual({ textSize: "large", theme: "neon", timeZone: "Mars/Olympus_Mons" });
    expect(await appearanceOf(cal.id)).toMatchObject({ theme: "system", textSize: "normal", timeZone: null });
  });

  it("an empty time zone is saved as UTC, a choice the browser's zone never replaces; a visitor is asked to log in", async () => {
    const dan = await member();
    await transaction((tx) => tx.update(users).set({ timeZone: "Asia/Tokyo" }).where(eq(users.id, dan.id)));
    await call(welcome.action, "/welcome", { cookie: dan.cookie, form: { textSize: "normal", theme: "dark", timeZone: "" } });
    expect((await appearanceOf(dan.id)).timeZone).toBe("UTC");
    expect(await adoptTimeZone(dan, "America/Chicago")).toBe("kept");
    expect((await appearanceOf(dan.id)).timeZone).toBe("UTC");
    const visitor = await call(welcome.loader, "/welcome");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/login/);
  });

  it("a member who never chose a zone gets the browser's, once; a made-up one is a 400", async () => {
    const eve = await member();
    const send = (timeZone: string) => call(timeZoneRoute.action, "/settings/time-zone", { cookie: eve.cookie, form: { timeZone } });
    const bad = await send("Mars/Olympus_Mons");
    expect(bad.status).toBe(400);
    expect((await appearanceOf(eve.id)).timeZone).toBeNull();
    expect(await (await send("America/Chicago")).json()).toEqual({ outcome: "adopted" });
    expect(await (await send("Asia/Tokyo")).json()).toEqual({ outcome: "kept" });
    expect((await appearanceOf(eve.id)).timeZone).toBe("America/Chicago");
    const visitor = await call(timeZoneRoute.action, "/settings/time-zone", { form: { timeZone: "Europe/Paris" } });
    expect(visitor.status).toBe(302);
  });
});
