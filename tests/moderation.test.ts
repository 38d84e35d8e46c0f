import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { boards, moderationLog, posts, reports, sessions, threads, users } from "../db/schema.ts";
import * as boardRoute from "~/routes/boards.$slug._index.tsx";
import * as newThread from "~/routes/boards.$slug.new.tsx";
import * as threadRoute from "~/routes/threads.$threadId.tsx";
import * as modThread from "~/routes/threads.$threadId_.moderate.tsx";
import * as modPost from "~/routes/posts.$postId.moderate.tsx";
import * as modMember from "~/routes/mod.members.$username.tsx";
import * as reportRoute from "~/routes/posts.$postId.report.tsx";
import * as queueRoute from "~/routes/mod.reports.tsx";
import * as logRoute from "~/routes/mod.log.tsx";
import * as transparency from "~/routes/transparency.tsx";
import * as adminUsers from "~/routes/admin.users.tsx";
import * as editRoute from "~/routes/posts.$postId.edit.tsx";
import * as login from "~/routes/login.tsx";
import * as root from "~/root.tsx";
import { call, member } from "./helpers.ts";

async function startThread(cookie: string, title = "Baclofen and sleepiness") {
  const res = await call(newThread.action, "/boards/medications/new", {
    cookie,
    params: { slug: "medications" },
    form: { intent: "post", title, body: `Does it make anyone else drowsy? (${title})` },
  });
  return Number(res.headers.get("Location")!.split("/").pop());
}

async function reply(cookie: string, threadId: number, body = "Yes, the first two weeks.") {
  const res = await call(threadRoute.action, `/threads/${threadId}`, { cookie, params: { threadId: String(threadId) }, form: { intent: "post", body } });
  return { res, postId: Number(res.headers.get("Location")?.split("#post-")[1]) };
}

function modThreadAs(cookie: string, threadId: number, form: Record<string, string>) {
  return call(modThread.action, `/threads/${threadId}/moderate`, { cookie, params: { threadId: String(threadId) }, form });
}

function modPostAs(cookie: string, postId: number, form: Record<string, string>) {
  return call(modPost.action, `/posts/${postId}/moderate`, { cookie, params: { postId: String(postId) }, form });
}

function threadData(threadId: number, cookie?: string) {
  return call(threadRoute.loader, `/threads/${threadId}`, { cookie, params: { threadId: String(threadId) } });
}

const logCount = async () => (await db.select().from(moderationLog)).length;

describe("pinning", () => {
  it("puts pinned threads first, in an order the moderator can change", async () => {
    const mod = await member(undefined, "moderator");
    const alice = await member();
    const a = await startThread(alice.cookie, "Thread A about cramps");
    const b = await startThread(alice.cookie, "Thread B about cramps");
    await startThread(alice.cookie, "Thread C about cramps");
    await modThreadAs(mod.cookie, a, { intent: "pin" });
    await modThreadAs(mod.cookie, b, { intent: "pin" });
    let data = await (await call(boardRoute.loader, "/boards/medications", { params: { slug: "medications" } })).json();
    expect(data.pinned.map((t: { id: number }) => t.id)).toEqual([a, b]);
    expect(data.threads.map((t: { id: number }) => t.id)).not.toContain(a);
    await modThreadAs(mod.cookie, b, { intent: "pin-up" });
    data = await (await call(boardRoute.loader, "/boards/medications", { params: { slug: "medications" } })).json();
    expect(data.pinned.map((t: { id: number }) => t.id)).toEqual([b, a]);
    expect(await db.select().from(moderationLog).where(eq(moderationLog.action, "pin"))).toHaveLength(2);
  });
});

describe("locking", () => {
  it("refuses replies with 403 even when posted directly, and shows the reason", async () => {
    const mod = await member(undefined, "moderator");
    const alice = await member();
    const id = await startThread(alice.cookie);
    const locked = await modThreadAs(mod.cookie, id, { intent: "lock", reason: "Answered and going in circles" });
    expect(locked.status).toBe(302);
    const { res } = await reply(alice.cookie, id);
    expect(res.status).toBe(403);
    expect(await db.select().from(posts).where(eq(posts.threadId, id))).toHaveLength(1);
    const data = await (await threadData(id)).json();
    expect(data.thread.lockReason).toBe("Answered and going in circles");
    await modThreadAs(mod.cookie, id, { intent: "unlock" });
    expect((await reply(alice.cookie, id)).res.status).toBe(302);
    expect(
      await db
        .select({ action: moderationLog.action, reason: moderationLog.reason })
        .from(moderationLog)
        .where(and(eq(moderationLog.targetType, "thread"), eq(moderationLog.targetId, id))),
    ).toEqual([
      { action: "lock", reason: "Answered and going in circles" },
      { action: "unlock", reason: null },
    ]);
  });

  it("asks for a reason and keeps the form when it is missing", async () => {
    const mod = await member(undefined, "moderator");
    const id = await startThread((await member()).cookie);
    const res = await modThreadAs(mod.cookie, id, { intent: "lock", reason: "" });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.reason).toMatch(/why/);
    expect((await db.select().from(threads).where(eq(threads.id, id)).limit(1))[0]!.lockedAt).toBeNull();
  });
});

describe("removing and restoring", () => {
  it("shows members a placeholder, the author their text, moderators the original; restore brings it back", async () => {
    const mod = await member(undefined, "moderator");
    const alice = await member();
    const bob = await member();
    const carol = await member();
    const id = await startThread(alice.cookie);
    const { postId } = await reply(bob.cookie, id, "Buy cheap pills at example.com");
    const removed = await modPostAs(mod.cookie, postId, { intent: "remove", reason: "spam" });
    expect(removed.status).toBe(302);

    const asVisitor = await (await threadData(id)).json();
    expect(asVisitor.posts[1]).toMatchObject({ removalReason: "Spam", bodyHtml: null });
    expect(JSON.stringify(asVisitor)).not.toContain("cheap pills");
    expect(asVisitor.thread.replyCount).toBe(0);
    const asMember = await (await threadData(id, carol.cookie)).json();
    expect(asMember.posts[1].bodyHtml).toBeNull();
    const asAuthor = await (await threadData(id, bob.cookie)).json();
    expect(asAuthor.posts[1].bodyHtml).toContain("cheap pills");
    expect(asAuthor.posts[1].removalReason).toBe("Spam");
    const asMod = await (await threadData(id, mod.cookie)).json();
    expect(asMod.posts[1].bodyHtml).toContain("cheap pills");

    await modPostAs(mod.cookie, postId, { intent: "restore", reason: "mistake" });
    const restored = await (await threadData(id)).json();
    expect(restored.posts[1].bodyHtml).toContain("cheap pills");
    expect(restored.thread.replyCount).toBe(1);
    const logged = await db
      .select({ action: moderationLog.action, actorId: moderationLog.actorId })
      .from(moderationLog)
      .where(and(eq(moderationLog.targetType, "post"), eq(moderationLog.targetId, postId)));
    expect(logged).toEqual([
      { action: "remove-post", actorId: mod.id },
      { action: "restore-post", actorId: mod.id },
    ]);
  });

  it("requires a reason from the list, and words for 'other'", async () => {
    const mod = await member(undefined, "moderator");
    const alice = await member();
    const id = await startThread(alice.cookie);
    const postId = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!.id;
    expect((await modPostAs(mod.cookie, postId, { intent: "remove", reason: "because" })).status).toBe(400);
    const other = await modPostAs(mod.cookie, postId, { intent: "remove", reason: "other", detail: "" });
    expect(other.status).toBe(400);
    expect((await other.json()).errors.detail).toBeTruthy();
    await modPostAs(mod.cookie, postId, { intent: "remove", reason: "other", detail: "Shared a phone number" });
    expect((await db.select().from(posts).where(eq(posts.id, postId)).limit(1))[0]!.removalReason).toBe("Shared a phone number");
  });

  it("takes a removed thread out of the board list and counts, and back on restore", async () => {
    const mod = await member(undefined, "moderator");
    const alice = await member();
    const before = (await db.select().from(boards).where(eq(boards.slug, "medications")).limit(1))[0]!.threadCount;
    const id = await startThread(alice.cookie, "A thread to be removed");
    await modThreadAs(mod.cookie, id, { intent: "remove", reason: "off-topic" });
    const data = await (await call(boardRoute.loader, "/boards/medications", { params: { slug: "medications" } })).json();
    expect(data.threads.map((t: { id: number }) => t.id)).not.toContain(id);
    expect((await db.select().from(boards).where(eq(boards.slug, "medications")).limit(1))[0]!.threadCount).toBe(before);
    expect((await threadData(id)).status).toBe(410);
    expect((await threadData(id, alice.cookie)).status).toBe(200);
    await modThreadAs(mod.cookie, id, { intent: "restore", reason: "edited" });
    expect((await db.select().from(boards).where(eq(boards.slug, "medications")).limit(1))[0]!.threadCount).toBe(before + 1);
  });

  it("moves a thread to another board, counts and all", async () => {
    const mod = await member(undefined, "moderator");
    const id = await startThread((await member()).cookie, "Belongs in fibromyalgia");
    await modThreadAs(mod.cookie, id, { intent: "move", board: "fibromyalgia" });
    const data = await (await call(boardRoute.loader, "/boards/fibromyalgia", { params: { slug: "fibromyalgia" } })).json();
    expect(data.threads.map((t: { id: number }) => t.id)).toContain(id);
  });
});

describe("suspension and silence", () => {
  it("ends every session at once; logging in shows only the notice; it lifts early", async () => {
    const mod = await member(undefined, "moderator");
    const dave = await member("dave-suspended");
    const res = await call(modMember.action, "/mod/members/dave-suspended", {
      cookie: mod.cookie,
      params: { username: "dave-suspended" },
      form: { intent: "suspend", duration: "7d", reason: "Repeated harassment" },
    });
    expect(res.status).toBe(302);
    expect(await db.select().from(sessions).where(eq(sessions.userId, dave.id))).toHaveLength(0);
    const me = await (await call(root.loader, "/", { cookie: dave.cookie })).json();
    expect(me.user).toBeNull();
    const attempt = await call(login.action, "/login", { form: { identifier: "dave-suspended", password: "correct horse battery" } });
    expect(attempt.status).toBe(403);
    expect(attempt.headers.get("Set-Cookie")).toBeNull();
    const notice = await attempt.json();
    expect(notice.suspension.reason).toBe("Repeated harassment");
    expect(new Date(notice.suspension.until).getTime()).toBeGreaterThan(Date.now() + 6 * 86_400_000);
    await call(modMember.action, "/mod/members/dave-suspended", { cookie: mod.cookie, params: { username: "dave-suspended" }, form: { intent: "unsuspend" } });
    expect((await call(login.action, "/login", { form: { identifier: "dave-suspended", password: "correct horse battery" } })).status).toBe(302);
  });

  it("lifts by itself once the end date has passed", async () => {
    const eve = await member("eve-expired");
    await transaction((tx) =>
      tx
        .update(users)
        .set({ suspendedAt: new Date(Date.now() - 2 * 86_400_000), suspendedUntil: new Date(Date.now() - 1000), suspendReason: "old" })
        .where(eq(users.id, eve.id)),
    );
    expect((await call(login.action, "/login", { form: { identifier: "eve-expired", password: "correct horse battery" } })).status).toBe(302);
  });

  it("silence keeps sessions but refuses posting, replying and reporting", async () => {
    const mod = await member(undefined, "moderator");
    const alice = await member();
    const id = await startThread(alice.cookie);
    const frank = await member("frank-silenced");
    await call(modMember.action, "/mod/members/frank-silenced", {
      cookie: mod.cookie,
      params: { username: "frank-silenced" },
      form: { intent: "silence", duration: "1d", reason: "Cool off" },
    });
    expect(await db.select().from(sessions).where(eq(sessions.userId, frank.id))).toHaveLength(1);
    expect((await reply(frank.cookie, id)).res.status).toBe(403);
    expect(
      (
        await call(newThread.action, "/boards/medications/new", {
          cookie: frank.cookie,
          params: { slug: "medications" },
          form: { intent: "post", title: "A new thread", body: "x" },
        })
      ).status,
    ).toBe(403);
    const postId = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!.id;
    expect(
      (await call(reportRoute.action, `/posts/${postId}/report`, { cookie: frank.cookie, params: { postId: String(postId) }, form: { reason: "spam" } }))
        .status,
    ).toBe(403);
  });
});

describe("reports", () => {
  it("keeps one open report per member per post, orders 'at risk' first, and resolving closes them all", async () => {
    const mod = await member(undefined, "moderator");
    const alice = await member();
    const bob = await member();
    const carol = await member();
    const id = await startThread(alice.cookie);
    const first = (await reply(alice.cookie, id, "An older spammy post")).postId;
    const second = (await reply(alice.cookie, id, "I can't go on anymore")).postId;
    // The queue and the header count every open report; this test looks at the ones it makes.
    const openReports = async () => (await (await call(root.loader, "/", { cookie: mod.cookie })).json()).openReports as number;
    const openBefore = await openReports();
    const ours = async () => {
      const { queue } = await (await call(queueRoute.loader, "/mod/reports", { cookie: mod.cookie })).json();
      return (queue as { post: { id: number }; count: number; atRisk: boolean }[]).filter((g) => g.post.id === first || g.post.id === second);
    };
    const report = (who: string, postId: number, reason: string) =>
      call(reportRoute.action, `/posts/${postId}/report`, { cookie: who, params: { postId: String(postId) }, form: { reason, note: "please look" } });
    expect((await (await report(bob.cookie, first, "spam")).json()).done.alreadyReported).toBe(false);
    expect((await (await report(bob.cookie, first, "spam")).json()).done.alreadyReported).toBe(true);
    await report(carol.cookie, first, "harassment");
    await report(bob.cookie, second, "at-risk");
    expect(await db.select().from(reports).where(eq(reports.postId, first))).toHaveLength(2);

    const queue = await ours();
    expect(queue.map((g) => g.post.id)).toEqual([second, first]);
    expect(queue[1]!.count).toBe(2);
    expect(queue[0]!.atRisk).toBe(true);
    expect(await openReports()).toBe(openBefore + 2);

    await call(queueRoute.action, "/mod/reports", { cookie: mod.cookie, form: { intent: "remove", postId: String(first), reason: "spam" } });
    const closed = await db.select().from(reports).where(eq(reports.postId, first));
    expect(closed.every((r) => r.status === "resolved" && r.resolution === "removed" && r.resolvedById === mod.id)).toBe(true);
    await call(queueRoute.action, "/mod/reports", { cookie: mod.cookie, form: { intent: "dismiss", postId: String(second) } });
    expect((await db.select().from(reports).where(eq(reports.postId, second)).limit(1))[0]!.resolution).toBe("dismissed");
    expect(await ours()).toEqual([]);
    expect(await openReports()).toBe(openBefore);
  });

  it("can suspend the author from the queue", async () => {
    const mod = await member(undefined, "moderator");
    const troll = await member("troll-from-queue");
    const bob = await member();
    const id = await startThread(troll.cookie, "Trolling thread title");
    const postId = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!.id;
    await call(reportRoute.action, `/posts/${postId}/report`, { cookie: bob.cookie, params: { postId: String(postId) }, form: { reason: "harassment" } });
    await call(queueRoute.action, "/mod/reports", {
      cookie: mod.cookie,
      form: { intent: "suspend", postId: String(postId), authorId: String(troll.id), duration: "permanent", reason: "Harassing members" },
    });
    const user = (await db.select().from(users).where(eq(users.id, troll.id)).limit(1))[0]!;
    expect(user.suspendedAt).not.toBeNull();
    expect(user.suspendedUntil).toBeNull();
    expect((await db.select().from(reports).where(eq(reports.postId, postId)).limit(1))[0]!.resolution).toBe("suspended");
  });
});

describe("logs", () => {
  it("shows moderators everything, filterable; the public log hides notes and restricted members' names", async () => {
    const mod = await member("log-mod", "moderator");
    const other = await member("log-mod-two", "moderator");
    const alice = await member("log-target");
    const id = await startThread(alice.cookie);
    const postId = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!.id;
    await call(reportRoute.action, `/posts/${postId}/report`, {
      cookie: (await member()).cookie,
      params: { postId: String(postId) },
      form: { reason: "spam" },
    });
    await modThreadAs(mod.cookie, id, { intent: "lock", reason: "Locked for the test" });
    await call(queueRoute.action, "/mod/reports", { cookie: other.cookie, form: { intent: "dismiss", postId: String(postId) } });
    await transaction((tx) => tx.update(moderationLog).set({ privateNote: "secret note" }).where(eq(moderationLog.action, "dismiss-reports")));
    await call(modMember.action, "/mod/members/log-target", {
      cookie: mod.cookie,
      params: { username: "log-target" },
      form: { intent: "silence", duration: "1d", reason: "Cool off" },
    });

    type Entry = { action: string; moderator: string };
    const ours = (entries: Entry[]) => entries.filter((e) => e.moderator.startsWith("log-mod"));
    const all = await (await call(logRoute.loader, "/mod/log", { cookie: mod.cookie })).json();
    expect(ours(all.entries).map((e) => e.action)).toEqual(["silence", "dismiss-reports", "lock"]);
    expect(JSON.stringify(all)).toContain("secret note");
    const byAction = await (await call(logRoute.loader, "/mod/log?action=lock", { cookie: mod.cookie })).json();
    expect(byAction.entries.every((e: Entry) => e.action === "lock")).toBe(true);
    expect(ours(byAction.entries)).toHaveLength(1);
    const byMod = await (await call(logRoute.loader, "/mod/log?moderator=log-mod-two", { cookie: mod.cookie })).json();
    expect(byMod.entries.map((e: { action: string }) => e.action)).toEqual(["dismiss-reports"]);

    const pub = await (await call(transparency.loader, "/transparency")).json();
    expect(ours(pub.entries)).toHaveLength(3);
    const text = JSON.stringify(pub);
    expect(text).not.toContain("secret note");
    expect(text).not.toContain("log-target");
    expect(text).toContain("Locked for the test");
  });
});

describe("security", () => {
  it("every moderator action as a member is a 403 and changes nothing; as a visitor it asks to log in", async () => {
    const alice = await member();
    const mallory = await member("mallory-member");
    const id = await startThread(alice.cookie);
    const postId = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!.id;
    const before = JSON.stringify([await db.select().from(threads), await db.select().from(posts), await db.select().from(users)]);
    const logBefore = await logCount();
    type Attempt = [Parameters<typeof call>[0], string, Record<string, string>, Record<string, string>];
    const onThread = (form: Record<string, string>): Attempt => [modThread.action, `/threads/${id}/moderate`, { threadId: String(id) }, form];
    const attempts: Attempt[] = [
      ...["pin", "unpin", "pin-up", "unlock"].map((intent) => onThread({ intent })),
      onThread({ intent: "restore", reason: "mistake" }),
      onThread({ intent: "lock", reason: "nope nope" }),
      onThread({ intent: "remove", reason: "spam" }),
      onThread({ intent: "move", board: "fibromyalgia" }),
      [modPost.action, `/posts/${postId}/moderate`, { postId: String(postId) }, { intent: "remove", reason: "spam" }],
      [modPost.action, `/posts/${postId}/moderate`, { postId: String(postId) }, { intent: "restore", reason: "mistake" }],
      [queueRoute.action, "/mod/reports", {}, { intent: "reopen", postId: String(postId) }],
      [modMember.action, `/mod/members/${alice.username}`, { username: alice.username }, { intent: "suspend", duration: "1d", reason: "nope nope" }],
      [modMember.action, `/mod/members/${alice.username}`, { username: alice.username }, { intent: "silence", duration: "1d", reason: "nope nope" }],
      [queueRoute.action, "/mod/reports", {}, { intent: "dismiss", postId: String(postId) }],
      [adminUsers.action, "/admin/users", {}, { intent: "grant-moderator", userId: String(mallory.id) }],
    ];
    for (const [fn, path, params, form] of attempts) {
      const asMember = await call(fn, path, { cookie: mallory.cookie, params, form });
      expect(asMember.status, `${path} ${form.intent} as a member`).toBe(403);
      const asVisitor = await call(fn, path, { params, form });
      expect(asVisitor.status, `${path} ${form.intent} as a visitor`).toBe(302);
      expect(asVisitor.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
    }
    for (const [fn, path] of [
      [queueRoute.loader, "/mod/reports"],
      [logRoute.loader, "/mod/log"],
      [adminUsers.loader, "/admin/users"],
    ] as const) {
      expect((await call(fn, path, { cookie: mallory.cookie })).status).toBe(403);
    }
    expect(JSON.stringify([await db.select().from(threads), await db.select().from(posts), await db.select().from(users)])).toBe(before);
    expect(await logCount()).toBe(logBefore);
  });

  it("a moderator cannot act against an admin, promote anyone, or change their own role", async () => {
    const admin = await member("the-admin", "admin");
    const mod = await member("a-moderator", "moderator");
    const alice = await member("plain-alice");
    const adminThread = await startThread(admin.cookie, "Admin announcement here");
    const adminPost = (await db.select().from(posts).where(eq(posts.threadId, adminThread)).limit(1))[0]!.id;
    expect(
      (
        await call(modMember.action, "/mod/members/the-admin", {
          cookie: mod.cookie,
          params: { username: "the-admin" },
          form: { intent: "suspend", duration: "1d", reason: "trying it" },
        })
      ).status,
    ).toBe(403);
    expect((await modPostAs(mod.cookie, adminPost, { intent: "remove", reason: "spam" })).status).toBe(403);
    expect((await modThreadAs(mod.cookie, adminThread, { intent: "lock", reason: "trying it" })).status).toBe(403);
    expect((await call(adminUsers.action, "/admin/users", { cookie: mod.cookie, form: { intent: "grant-moderator", userId: String(alice.id) } })).status).toBe(
      403,
    );
    expect((await call(adminUsers.action, "/admin/users", { cookie: mod.cookie, form: { intent: "revoke-moderator", userId: String(mod.id) } })).status).toBe(
      403,
    );
    // An admin can grant and revoke moderator, but never change their own role.
    expect(
      (await call(adminUsers.action, "/admin/users", { cookie: admin.cookie, form: { intent: "grant-moderator", userId: String(alice.id) } })).status,
    ).toBe(302);
    expect((await db.select().from(users).where(eq(users.id, alice.id)).limit(1))[0]!.role).toBe("moderator");
    expect(
      (await call(adminUsers.action, "/admin/users", { cookie: admin.cookie, form: { intent: "revoke-moderator", userId: String(admin.id) } })).status,
    ).toBe(403);
    expect((await db.select().from(users).where(eq(users.id, admin.id)).limit(1))[0]!.role).toBe("admin");
    expect((await db.select().from(users).where(eq(users.id, mod.id)).limit(1))[0]!.role).toBe("moderator");
    const staffOnly = (await db.select().from(posts).where(eq(posts.id, adminPost)).limit(1))[0]!;
    expect(staffOnly.removedAt).toBeNull();
  });

  it("a suspended member's old session cookie no longer works", async () => {
    const mod = await member(undefined, "moderator");
    const gina = await member("gina-old-cookie");
    const id = await startThread((await member()).cookie);
    await call(modMember.action, "/mod/members/gina-old-cookie", {
      cookie: mod.cookie,
      params: { username: "gina-old-cookie" },
      form: { intent: "suspend", duration: "1d", reason: "Spam" },
    });
    const res = (await reply(gina.cookie, id)).res;
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login/);
  });

  it("member B cannot edit or delete member A's post by sending its id", async () => {
    const a = await member();
    const b = await member();
    const id = await startThread(a.cookie);
    const postId = (await db.select().from(posts).where(eq(posts.threadId, id)).limit(1))[0]!.id;
    const res = await call(editRoute.action, `/posts/${postId}/edit`, {
      cookie: b.cookie,
      params: { postId: String(postId) },
      form: { intent: "post", title: "Stolen title!", body: "hijacked" },
    });
    expect(res.status).toBe(403);
    expect((await db.select().from(posts).where(eq(posts.id, postId)).limit(1))[0]!.bodyMarkdown).toBe(
      "Does it make anyone else drowsy? (Baclofen and sleepiness)",
    );
  });

  it("ignores extra fields (role, userId, authorId, pinned) in every action", async () => {
    const alice = await member("extra-fields");
    const bob = await member();
    const extra = { role: "admin", userId: String(bob.id), authorId: String(bob.id), pinned: "1" };
    const res = await call(newThread.action, "/boards/medications/new", {
      cookie: alice.cookie,
      params: { slug: "medications" },
      form: { intent: "post", title: "Extra fields thread", body: "Body", ...extra },
    });
    const id = Number(res.headers.get("Location")!.split("/").pop());
    const thread = (await db.select().from(threads).where(eq(threads.id, id)).limit(1))[0]!;
    expect(thread.authorId).toBe(alice.id);
    expect(thread.pinPosition).toBeNull();
    const { postId } = await reply(alice.cookie, id, "a reply");
    expect((await db.select().from(posts).where(eq(posts.id, postId)).limit(1))[0]!.authorId).toBe(alice.id);
    await call(reportRoute.action, `/posts/${postId}/report`, {
      cookie: bob.cookie,
      params: { postId: String(postId) },
      form: { reason: "spam", ...extra, userId: String(alice.id) },
    });
    expect(
      await db
        .select()
        .from(reports)
        .where(and(eq(reports.postId, postId), eq(reports.reporterId, bob.id))),
    ).toHaveLength(1);
    expect((await db.select().from(users).where(eq(users.id, alice.id)).limit(1))[0]!.role).toBe("member");
  });
});
