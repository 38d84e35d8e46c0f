import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { db, transaction } from "../db/client.ts";
import { sessions, users } from "../db/schema.ts";
import * as signup from "~/routes/signup.tsx";
import * as login from "~/routes/login.tsx";
import * as logout from "~/routes/logout.tsx";
import * as root from "~/root.tsx";
import { getUser, lucia, refreshedSessionCookie, withSessionMemo } from "~/utils/auth.server.ts";
import { call } from "./helpers.ts";

const asRequest = (cookie: string) => new Request("http://localhost/", { headers: { Cookie: cookie } });

const good = { username: "Night_Owl-7", email: "Owl@Example.org", password: "calf cramps at 3am" };

function cookieFrom(res: Response) {
  return res.headers.get("Set-Cookie")!.split(";")[0]!;
}

async function signUp(fields: Record<string, string>) {
  return call(signup.action, "/signup", { form: { redirectTo: "/", ...fields } });
}

describe("sign up", () => {
  it("creates a member with a lower-cased name, an argon2id hash and a session", async () => {
    const res = await signUp(good);
    expect(res.status).toBe(302);
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toMatch(/^unclench_session=/);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    const [user] = await db.select().from(users).where(eq(users.username, "night_owl-7"));
    if (!user) throw new Error("no member was created");
    expect(user.email).toBe("owl@example.org");
    expect(user.role).toBe("member");
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
    const me = await (await call(root.loader, "/", { cookie: cookieFrom(res) })).json();
    expect(me.user).toEqual({ username: "night_owl-7", role: "member" });
  });

  it("refuses a username taken in another case, keeping what was typed but never the password", async () => {
    await signUp({ ...good, username: "sameperson", email: "one@example.org" });
    const res = await signUp({ ...good, username: "SamePerson", email: "two@example.org" });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.errors.username).toMatch(/taken/);
    expect(data.values).toEqual({ username: "SamePerson", email: "two@example.org" });
    expect(JSON.stringify(data)).not.toContain(good.password);
  });

  it("refuses an email already in use, in any case", async () => {
    await signUp({ ...good, username: "first-user", email: "shared@example.org" });
    const res = await signUp({ ...good, username: "second-user", email: "SHARED@example.org" });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.email).toBeTruthy();
  });

  it.each([
    [{ username: "ab" }, "username", /at least 3/],
    [{ username: "a".repeat(25) }, "username", /at most 24/],
    [{ username: "no spaces!" }, "username", /letters a–z/],
    [{ username: "émile" }, "username", /letters a–z/],
    [{ email: "not-an-email" }, "email", /email address/],
    [{ password: "short" }, "password", /at least 8/],
    [{ password: "x".repeat(257) }, "password", /at most 256/],
    [{ password: "password123" }, "password", /most common/],
    [{ password: "iloveyou" }, "password", /most common/],
  ])("refuses %o with a message beside the %s field", async (override, field, message) => {
    const res = await signUp({ ...good, username: "valid-name", email: "valid@example.org", ...override });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[field]).toMatch(message);
  });

  it("accepts any characters in a password, with no composition rules", async () => {
    const res = await signUp({ username: "unicode-pw", email: "u@example.org", password: "ÿ 🦵 spasms ☕ ok" });
    expect(res.status).toBe(302);
    const again = await call(login.action, "/login", { form: { identifier: "unicode-pw", password: "ÿ 🦵 spasms ☕ ok" } });
    expect(again.status).toBe(302);
  });

  it("answers a field sent twice or as an array with 400, not 500", async () => {
    const body = new URLSearchParams([
      ["username", "a"],
      ["username", "b"],
      ["email", "x@example.org"],
      ["password", "p"],
    ]);
    const res = await signup
      .action({
        request: new Request("http://localhost/signup", { method: "POST", body }),
        params: {},
        context: { nonce: "" },
      })
      .catch((e: unknown) => e as Response);
    expect((res as Response).status).toBe(400);
  });
});

describe("log in and out", () => {
  it("logs in by username or email, with a new session id every time", async () => {
    await signUp({ ...good, username: "loginner", email: "loginner@example.org" });
    const byName = await call(login.action, "/login", { form: { identifier: "LogInner", password: good.password, redirectTo: "/threads/1?page=2" } });
    expect(byName.status).toBe(302);
    expect(byName.headers.get("Location")).toBe("/threads/1?page=2");
    const byEmail = await call(login.action, "/login", { form: { identifier: "loginner@example.org", password: good.password } });
    expect(byEmail.status).toBe(302);
    expect(cookieFrom(byName)).not.toBe(cookieFrom(byEmail));
  });

  it("gives one message for a wrong password and for an unknown account", async () => {
    await signUp({ ...good, username: "known", email: "known@example.org" });
    const wrong = await call(login.action, "/login", { form: { identifier: "known", password: "not the password" } });
    const unknown = await call(login.action, "/login", { form: { identifier: "nobody-here", password: "not the password" } });
    expect(wrong.status).toBe(400);
    expect(unknown.status).toBe(400);
    const [a, b] = [await wrong.json(), await unknown.json()];
    expect(a.errors.form).toBe(b.errors.form);
    expect(wrong.headers.get("Set-Cookie")).toBeNull();
  });

  it("never redirects off-site after login", async () => {
    await signUp({ ...good, username: "safe-redirect", email: "sr@example.org" });
    for (const redirectTo of ["//evil.example", "https://evil.example", "/\\evil.example"]) {
      const res = await call(login.action, "/login", { form: { identifier: "safe-redirect", password: good.password, redirectTo } });
      expect(res.headers.get("Location")).toBe("/");
    }
  });

  it("logs out by POST, ending the session on the server", async () => {
    const res = await signUp({ ...good, username: "leaver", email: "leaver@example.org" });
    const cookie = cookieFrom(res);
    const [user] = await db.select().from(users).where(eq(users.username, "leaver"));
    const sessionsOf = () => db.select().from(sessions).where(eq(sessions.userId, user!.id));
    expect(await sessionsOf()).toHaveLength(1);
    // A GET changes nothing.
    await call(logout.loader, "/logout", { cookie });
    expect(await sessionsOf()).toHaveLength(1);
    const out = await call(logout.action, "/logout", { cookie, form: {} });
    expect(out.status).toBe(302);
    expect(out.headers.get("Set-Cookie")).toMatch(/unclench_session=;/);
    expect(await sessionsOf()).toHaveLength(0);
    const me = await (await call(root.loader, "/", { cookie })).json();
    expect(me.user).toBeNull();
  });

  it("extends a session past half its life, and ends an expired one", async () => {
    const cookie = cookieFrom(await signUp({ ...good, username: "long-stay", email: "long-stay@example.org" }));
    const id = cookie.split("=")[1]!;
    const day = 24 * 60 * 60;
    const setExpiry = (seconds: number) => transaction((tx) => tx.update(sessions).set({ expiresAt: seconds }).where(eq(sessions.id, id)));
    const expiry = async () => (await db.select({ at: sessions.expiresAt }).from(sessions).where(eq(sessions.id, id)))[0]?.at;
    const now = Math.floor(Date.now() / 1000);

    // Ten days left of thirty: the session is moved on to thirty days, and the browser told so.
    await setExpiry(now + 10 * day);
    expect(await refreshedSessionCookie(cookie)).toMatch(/^unclench_session=/);
    expect(await expiry()).toBeGreaterThanOrEqual(now + 29 * day);
    const user = await getUser(asRequest(cookie));
    expect(user).toMatchObject({ username: "long-stay", role: "member", silencedUntil: null, suspendedUntil: null });

    await setExpiry(now - 60);
    expect(await getUser(asRequest(cookie))).toBeNull();
    expect(await expiry()).toBeUndefined();
  });

  it("validates a request's session once, and sees a logout within the same request at once", async () => {
    const cookie = cookieFrom(await signUp({ ...good, username: "once-only", email: "once@example.org" }));
    const validate = vi.spyOn(lucia, "validateSession");
    try {
      await withSessionMemo(async () => {
        expect(await refreshedSessionCookie(cookie)).toBeNull();
        // The root loader and the page's loader, as Remix calls them for one page.
        const [rootData, user] = await Promise.all([(await call(root.loader, "/", { cookie })).json(), getUser(asRequest(cookie))]);
        expect(rootData.user).toEqual({ username: "once-only", role: "member" });
        expect(user?.username).toBe("once-only");
        expect(validate).toHaveBeenCalledTimes(1);
        await call(logout.action, "/logout", { cookie, form: {} });
        expect(await getUser(asRequest(cookie))).toBeNull();
      });
      // Each request has its own memo: a new one validates again.
      await withSessionMemo(() => getUser(asRequest(cookie)));
      expect(validate.mock.calls.length).toBeGreaterThan(2);
    } finally {
      validate.mockRestore();
    }
  });
});
