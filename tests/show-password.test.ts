import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { users } from "../db/schema.ts";
import * as login from "~/routes/login.tsx";
import * as signup from "~/routes/signup.tsx";
import { call, member } from "./helpers.ts";

// "Show password" without JavaScript posts the form back with intent=show-password (or
// hide-password): the page returns with what was typed, and nothing else happens.

describe("Show password without JavaScript", () => {
  it("on log-in returns what was typed and logs nobody in, however often it is pressed", async () => {
    const ann = await member();
    for (let i = 0; i < 12; i++) {
      const res = await call(login.action, "/login", { form: { identifier: ann.username, password: "correct horse battery", intent: "show-password" } });
      expect(res.status).toBe(200);
      expect(res.headers.get("Set-Cookie")).toBeNull();
      expect(await res.json()).toMatchObject({
        showPassword: true,
        typed: { password: "correct horse battery" },
        values: { identifier: ann.username },
        errors: {},
      });
    }
    // Twelve presses used none of the login attempts: the real one still works.
    const real = await call(login.action, "/login", { form: { identifier: ann.username, password: "correct horse battery" } });
    expect(real.status).toBe(302);
    const hidden = await call(login.action, "/login", { form: { identifier: ann.username, password: "typed so far", intent: "hide-password" } });
    expect(await hidden.json()).toMatchObject({ showPassword: false, typed: { password: "typed so far" } });
  });

  it("on sign-up returns the form as typed and creates no account", async () => {
    const res = await call(signup.action, "/signup", {
      form: { username: "peeker", email: "peeker@example.org", password: "legs that will not rest", intent: "show-password" },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      showPassword: true,
      typed: { password: "legs that will not rest" },
      values: { username: "peeker", email: "peeker@example.org" },
    });
    expect(await db.select().from(users).where(eq(users.username, "peeker"))).toEqual([]);
  });

  it("never echoes a password otherwise: a refused log-in and sign-up leave it out", async () => {
    const wrong = await call(login.action, "/login", { form: { identifier: "nobody-here", password: "not the password" } });
    expect(wrong.status).toBe(400);
    expect(JSON.stringify(await wrong.json())).not.toContain("not the password");
    const weak = await call(signup.action, "/signup", { form: { username: "weakling", email: "weakling@example.org", password: "password1" } });
    expect(weak.status).toBe(400);
    expect(JSON.stringify(await weak.json())).not.toContain("password1");
  });
});
