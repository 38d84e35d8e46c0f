import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { appealTokens, appeals, moderationLog, notifications, users } from "../db/schema.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import {
  APPEAL_AGAIN_AFTER_DAYS,
  APPEAL_TOKEN_TTL_MS,
  countOpenAppeals,
  denyAppeal,
  grantAppeal,
  listOpenAppeals,
  prepareSuspensionNotice,
  submitAppeal,
} from "~/models/appeals.server.ts";
import { liftRestriction, suspendMember } from "~/models/moderation-members.server.ts";
import * as root from "~/root.tsx";
import * as appealRoute from "~/routes/appeal.tsx";
import * as login from "~/routes/login.tsx";
import * as modAppeals from "~/routes/mod.appeals.tsx";
import * as transparency from "~/routes/transparency.tsx";
import { call, member, statusOf } from "./helpers.ts";

const PASSWORD = "correct horse battery";
const DAY = 86_400_000;
const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

type Person = Awaited<ReturnType<typeof member>>;

async function logInAs(person: { username: string }) {
  return call(login.action, "/login", { form: { identifier: person.username, password: PASSWORD } });
}

/** Logs in as a suspended member and returns the notice the login page shows. */
async function noticeFor(person: { username: string }) {
  const res = await logInAs(person);
  expect(res.status).toBe(403);
  return (await res.json()).suspension;
}

function sendAppeal(form: Record<string, string>) {
  return call(appealRoute.action, "/appeal", { form });
}

const appealsOf = (userId: number) => db.select().from(appeals).where(eq(appeals.userId, userId));
const tokensOf = (userId: number) => db.select().from(appealTokens).where(eq(appealTokens.userId, userId));
const logOf = (userId: number, action: string) =>
  db
    .select()
    .from(moderationLog)
    .where(and(eq(moderationLog.subjectUserId, userId), eq(moderationLog.action, action)));
const userRow = async (userId: number) => (await db.select().from(users).where(eq(users.id, userId)))[0]!;
const appealRow = async (appealId: number) => (await db.select().from(appeals).where(eq(appeals.id, appealId)))[0]!;
const notificationsOf = (userId: number) => db.select().from(notifications).where(eq(notifications.userId, userId));

async function suspended(name: string, by: Person, duration: "7d" | "permanent" = "7d") {
  const person = await member(name);
  await suspendMember(by, person.id, { duration, reason: "Repeated personal attacks" });
  return person;
}

/** A suspended member with one open request for review; returns its id. */
async function appealed(name: string, by: Person, text = "I was in a flare and lashed out. I'm sorry and it won't happen again.") {
  const person = await suspended(name, by);
  const { token } = await noticeFor(person);
  expect((await sendAppeal({ token, appeal: text })).status).toBe(302);
  return { person, appealId: (await appealsOf(person.id))[0]!.id };
}

describe("asking for a review", () => {
  it("the notice carries a one-hour form key stored only hashed; the request is stored and the key works once", async () => {
    const mod = await member(undefined, "moderator");
    const ann = await suspended("ann-appeals", mod);
    const before = Date.now();
    const notice = await noticeFor(ann);
    expect(notice.reason).toBe("Repeated personal attacks");
    expect(notice.appeal).toBeNull();
    expect(notice.token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const [stored] = await tokensOf(ann.id);
    expect(stored!.tokenHash).toBe(sha256(notice.token));
    expect(stored!.expiresAt.getTime()).toBeGreaterThanOrEqual(before + APPEAL_TOKEN_TTL_MS);
    expect(stored!.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + APPEAL_TOKEN_TTL_MS);

    const sent = await sendAppeal({ token: notice.token, appeal: "I was in a flare.\r\nI'm sorry." });
    expect(sent.status).toBe(302);
    expect(sent.headers.get("Location")).toBe("/appeal?sent=1");
    const [appeal] = await appealsOf(ann.id);
    const user = await userRow(ann.id);
    expect(appeal).toMatchObject({ status: "open", body: "I was in a flare.\nI'm sorry.", decidedById: null, reply: null });
    expect(appeal!.suspendedAt.getTime()).toBe(user.suspendedAt!.getTime());
    expect(await tokensOf(ann.id)).toHaveLength(0);

    const again = await sendAppeal({ token: notice.token, appeal: "Second try" });
    expect(again.status).toBe(403);
    expect(await again.json()).toMatchObject({ problem: "token", text: "Second try" });
    expect(await appealsOf(ann.id)).toHaveLength(1);

    // While it waits, the notice says so instead of offering the form.
    const waiting = await noticeFor(ann);
    expect(waiting.token).toBeNull();
    expect(waiting.appeal).toMatchObject({ status: "open", reply: null });
    expect(new Date(waiting.appeal.createdAt).getTime()).toBe(appeal!.createdAt.getTime());
    expect(await tokensOf(ann.id)).toHaveLength(0);
  });

  it("refuses a wrong, malformed or expired key with a 403 that gives the text back", async () => {
    const mod = await member(undefined, "moderator");
    const bo = await suspended("bo-appeals", mod);
    const { token } = await noticeFor(bo);
    const text = "Please look again: the post was a joke between friends.";

    for (const bad of ["A".repeat(32), "", "not a token!"]) {
      const res = await sendAppeal({ token: bad, appeal: text });
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ problem: "token", text, token: null });
    }
    expect(await submitAppeal(token, text, new Date(Date.now() + APPEAL_TOKEN_TTL_MS + 60_000))).toEqual({ ok: false, problem: "token" });
    await transaction((tx) =>
      tx
        .update(appealTokens)
        .set({ expiresAt: new Date(Date.now() - 1000) })
        .where(eq(appealTokens.userId, bo.id)),
    );
    const expired = await sendAppeal({ token, appeal: text });
    expect(expired.status).toBe(403);
    expect((await expired.json()).text).toBe(text);
    expect(await appealsOf(bo.id)).toHaveLength(0);

    // Logging in again from the expired form carries the text into the fresh form.
    const relogin = await call(login.action, "/login", { form: { identifier: bo.username, password: PASSWORD, appeal: text } });
    const fresh = (await relogin.json()).suspension;
    expect(fresh.draft).toBe(text);
    expect(fresh.token).not.toBe(token);
    // A wrong password keeps it too.
    const typo = await call(login.action, "/login", { form: { identifier: bo.username, password: "wrong password", appeal: text } });
    expect(typo.status).toBe(400);
    expect((await typo.json()).values.appeal).toBe(text);
  });

  it("an empty or overlong request is a 400 that keeps the text and the key, which still works", async () => {
    const mod = await member(undefined, "moderator");
    const cy = await suspended("cy-appeals", mod);
    const { token } = await noticeFor(cy);
    const empty = await sendAppeal({ token, appeal: "   " });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ problem: "invalid", token, text: "   ", errors: { appeal: expect.any(String) } });
    const long = "x".repeat(3_001);
    const tooLong = await sendAppeal({ token, appeal: long });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).text).toBe(long);
    expect(await tokensOf(cy.id)).toHaveLength(1);
    expect((await sendAppeal({ token, appeal: "Now with words." })).status).toBe(302);
  });

  it("only the form from the latest login works", async () => {
    const mod = await member(undefined, "moderator");
    const di = await suspended("di-appeals", mod);
    const first = (await noticeFor(di)).token;
    const second = (await noticeFor(di)).token;
    expect(await submitAppeal(first, "From the old tab")).toEqual({ ok: false, problem: "token" });
    expect(await submitAppeal(second, "From the new tab")).toMatchObject({ ok: true });
  });

  it("allows one open request per suspension", async () => {
    const mod = await member(undefined, "moderator");
    const { person: ed } = await appealed("ed-appeals", mod);
    const [open] = await appealsOf(ed.id);
    // A form from a tab opened before the request was sent can't add a second one: a 409 that
    // says when the first arrived, with the text given back.
    const res = await sendAppeal({ token: await tokenFromEarlierTab(ed.id), appeal: "Again" });
    expect(res.status).toBe(409);
    expect(await res.json()).toMatchObject({ problem: "open", text: "Again", date: open!.createdAt.toISOString() });
    expect(await appealsOf(ed.id)).toHaveLength(1);
    // The database holds the rule too (each engine words its refusal its own way).
    const dup = transaction((tx) => tx.insert(appeals).values({ userId: ed.id, suspendedAt: open!.suspendedAt, body: "dup" }));
    await expect(dup).rejects.toSatisfy((error: Error) => /UNIQUE|duplicate key/.test(`${error.message} ${String(error.cause)}`));
  });

  it("a member whose suspension has ended is told so", async () => {
    const mod = await member(undefined, "moderator");
    const flo = await suspended("flo-appeals", mod);
    const { token } = await noticeFor(flo);
    await liftRestriction(mod, flo.id, "suspension");
    const res = await sendAppeal({ token, appeal: "Please" });
    expect(res.status).toBe(409);
    expect((await res.json()).problem).toBe("lifted");
    expect(await prepareSuspensionNotice(flo.id)).toBeNull();
  });
});

/** A form key issued just before the member's open request was stored (another tab). */
async function tokenFromEarlierTab(userId: number) {
  const [open] = await db
    .select()
    .from(appeals)
    .where(and(eq(appeals.userId, userId), eq(appeals.status, "open")));
  await transaction((tx) => tx.delete(appeals).where(eq(appeals.id, open!.id)));
  const token = (await prepareSuspensionNotice(userId))!.token!;
  await transaction((tx) => tx.insert(appeals).values(open!));
  return token;
}

describe("who may see and decide requests", () => {
  it("refuses visitors and members, and moderators for a moderator's request; an admin may decide it", async () => {
    const admin = await member(undefined, "admin");
    const mod = await member(undefined, "moderator");
    const plain = await member();
    const { appealId } = await appealed("gus-appeals", mod);

    expect(await statusOf(() => listOpenAppeals(null))).toBe(403);
    expect(await statusOf(() => listOpenAppeals(plain))).toBe(403);
    expect(await statusOf(() => grantAppeal(null, appealId, "Welcome back"))).toBe(403);
    expect(await statusOf(() => denyAppeal(plain, appealId, "No"))).toBe(403);
    expect(await statusOf(() => grantAppeal(mod, 999_999, "Welcome back"))).toBe(404);
    expect((await appealRow(appealId)).status).toBe("open");

    // An admin suspended a moderator, who asks for a review.
    const otherMod = await member("hal-mod-appeals", "moderator");
    await suspendMember(admin, otherMod.id, { duration: "7d", reason: "Acted on a friend's post" });
    const { token } = await noticeFor(otherMod);
    expect(await submitAppeal(token, "I should have handed it over.")).toMatchObject({ ok: true });
    const modAppealId = (await appealsOf(otherMod.id))[0]!.id;
    expect(await statusOf(() => grantAppeal(mod, modAppealId, "Fine"))).toBe(403);
    expect((await listOpenAppeals(mod)).find((a) => a.id === modAppealId)?.canDecide).toBe(false);
    expect((await listOpenAppeals(admin)).find((a) => a.id === modAppealId)?.canDecide).toBe(true);
    expect(await grantAppeal(admin, modAppealId, "Understood, thank you.")).toEqual({ ok: true, username: otherMod.username });

    // The page is for staff; a member gets a 403.
    expect((await call(modAppeals.loader, "/mod/appeals", { cookie: plain.cookie })).status).toBe(403);
    expect(
      (await call(modAppeals.action, "/mod/appeals", { cookie: plain.cookie, form: { appealId: String(appealId), intent: "grant", reply: "x y z" } })).status,
    ).toBe(403);
  });
});

describe("answering a request", () => {
  it("lifting ends the suspension, records and logs the decision privately, and tells the member", async () => {
    const mod = await member(undefined, "moderator");
    const text = "I was in a flare and lashed out. I'm sorry and it won't happen again.";
    const { person: ivy, appealId } = await appealed("ivy-appeals", mod, text);
    expect(await countOpenAppeals()).toBeGreaterThanOrEqual(1);
    const rootData = await (await call(root.loader, "/", { cookie: mod.cookie })).json();
    expect(rootData.openAppeals).toBe(await countOpenAppeals());

    const page = await (await call(modAppeals.loader, "/mod/appeals", { cookie: mod.cookie })).json();
    const item = page.queue.find((a: { id: number }) => a.id === appealId);
    expect(item).toMatchObject({ username: ivy.username, body: text, suspendReason: "Repeated personal attacks", canDecide: true });

    const noReply = await call(modAppeals.action, "/mod/appeals", { cookie: mod.cookie, form: { appealId: String(appealId), intent: "grant", reply: "" } });
    expect(noReply.status).toBe(400);
    expect((await noReply.json()).errors.reply).toBeTruthy();

    const reply = "Thank you for explaining. Welcome back.";
    const res = await call(modAppeals.action, "/mod/appeals", { cookie: mod.cookie, form: { appealId: String(appealId), intent: "grant", reply } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/mod/appeals?lifted=${ivy.username}`);

    const user = await userRow(ivy.id);
    expect(user.suspendedAt).toBeNull();
    const appeal = await appealRow(appealId);
    expect(appeal).toMatchObject({ status: "granted", decidedById: mod.id, reply });
    expect(appeal.decidedAt).toBeInstanceOf(Date);
    expect(await logOf(ivy.id, "appeal-granted")).toMatchObject([{ actorId: mod.id, targetType: "user", targetId: ivy.id, reason: null, privateNote: reply }]);
    expect(await logOf(ivy.id, "unsuspend")).toHaveLength(1);
    expect(await notificationsOf(ivy.id)).toMatchObject([{ kind: "moderation", text: `A moderator lifted your suspension: ${reply}` }]);
    expect((await listOpenAppeals(mod)).map((a) => a.id)).not.toContain(appealId);
    expect((await logInAs(ivy)).status).toBe(302);

    // The public log names the decision, never the request or the reply.
    const publicLog = await (await call(transparency.loader, "/transparency?action=appeal-granted")).text();
    expect(publicLog).toContain("appeal-granted");
    expect(publicLog).not.toContain(text);
    expect(publicLog).not.toContain(reply);
    expect(publicLog).not.toContain(ivy.username);
  });

  it("keeping the suspension shows the reply on the notice; a new request is possible after 30 days", async () => {
    const mod = await member(undefined, "moderator");
    const jo = await suspended("jo-appeals", mod, "permanent");
    const { token } = await noticeFor(jo);
    await submitAppeal(token, "Please reconsider.");
    const appealId = (await appealsOf(jo.id))[0]!.id;
    const reply = "The attacks were repeated after two warnings, so the suspension stays.";
    expect(await denyAppeal(mod, appealId, reply)).toEqual({ ok: true, username: jo.username });

    expect((await userRow(jo.id)).suspendedAt).not.toBeNull();
    const appeal = await appealRow(appealId);
    expect(appeal).toMatchObject({ status: "denied", decidedById: mod.id, reply });
    expect(await logOf(jo.id, "appeal-denied")).toMatchObject([{ actorId: mod.id, privateNote: reply, reason: null }]);
    expect(await logOf(jo.id, "unsuspend")).toHaveLength(0);
    expect(await notificationsOf(jo.id)).toHaveLength(0);
    // Answered once: a second answer is refused without changing anything.
    expect(await grantAppeal(mod, appealId, "Changed my mind")).toEqual({ ok: false, message: expect.stringContaining("already answered") });
    expect((await appealRow(appealId)).status).toBe("denied");

    const notice = await noticeFor(jo);
    expect(notice.appeal).toMatchObject({ status: "denied", reply });
    expect(notice.token).toBeNull();
    expect(new Date(notice.againFrom).getTime()).toBe(appeal.decidedAt!.getTime() + APPEAL_AGAIN_AFTER_DAYS * DAY);

    const later = new Date(Date.now() + (APPEAL_AGAIN_AFTER_DAYS + 1) * DAY);
    const laterNotice = (await prepareSuspensionNotice(jo.id, later))!;
    expect(laterNotice.againFrom).toBeNull();
    expect(laterNotice.appeal).toMatchObject({ status: "denied", reply });
    expect(await submitAppeal(laterNotice.token!, "A month on, please look again.", later)).toMatchObject({ ok: true });
    expect((await appealsOf(jo.id)).map((a) => a.status)).toEqual(["denied", "open"]);
  });

  it("a request whose suspension has ended leaves the queue and can't be decided", async () => {
    const mod = await member(undefined, "moderator");
    const { person: kit, appealId } = await appealed("kit-appeals", mod);
    const before = await countOpenAppeals();
    await liftRestriction(mod, kit.id, "suspension");
    expect(await countOpenAppeals()).toBe(before - 1);
    expect((await listOpenAppeals(mod)).map((a) => a.id)).not.toContain(appealId);
    expect(await denyAppeal(mod, appealId, "Too late")).toEqual({ ok: false, message: expect.stringContaining("already ended") });
    expect(await logOf(kit.id, "appeal-denied")).toHaveLength(0);
  });
});

describe("account deletion and export", () => {
  it("exports the member's requests and answers, and deletion removes them and any form keys", async () => {
    const mod = await member(undefined, "moderator");
    const { person: lu, appealId } = await appealed("lu-appeals", mod, "Sorry, it was a bad night.");
    await grantAppeal(mod, appealId, "Thank you. Welcome back.");
    // A later suspension, with a form key handed out and not yet used.
    await suspendMember(mod, lu.id, { duration: "1d", reason: "Spam links" });
    expect((await noticeFor(lu)).token).toBeTruthy();
    expect(await tokensOf(lu.id)).toHaveLength(1);
    await liftRestriction(mod, lu.id, "suspension");

    expect((await exportUserData(lu)).requestsForReview).toMatchObject([
      { text: "Sorry, it was a bad night.", status: "granted", reply: "Thank you. Welcome back." },
    ]);
    const done = await deleteAccount(lu, { password: PASSWORD, keepPosts: true });
    expect(done.ok).toBe(true);
    expect(await appealsOf(lu.id)).toHaveLength(0);
    expect(await tokensOf(lu.id)).toHaveLength(0);
  });
});

describe("the header", () => {
  it("counts open requests for staff only", async () => {
    const mod = await member(undefined, "moderator");
    const plain = await member();
    await appealed("mo-appeals", mod);
    expect((await (await call(root.loader, "/", { cookie: mod.cookie })).json()).openAppeals).toBe(await countOpenAppeals());
    expect(await countOpenAppeals()).toBeGreaterThan(0);
    expect((await (await call(root.loader, "/", { cookie: plain.cookie })).json()).openAppeals).toBe(0);
  });
});
