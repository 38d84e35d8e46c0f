import { and, desc, eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { db } from "../db/client.ts";
import { moderationLog, notifications, posts, reports, threads } from "../db/schema.ts";
import { dismissReports, reopenReports, removePost } from "~/models/moderation-posts.server.ts";
import { reportPost } from "~/models/reports.server.ts";
import * as modPost from "~/routes/posts.$postId.moderate.tsx";
import * as modThread from "~/routes/threads.$threadId_.moderate.tsx";
import * as queueRoute from "~/routes/mod.reports.tsx";
import * as logRoute from "~/routes/mod.log.tsx";
import * as transparency from "~/routes/transparency.tsx";
import { call, createReply, createThread, member } from "./helpers.ts";

function modPostAs(cookie: string, postId: number, form: Record<string, string>) {
  return call(modPost.action, `/posts/${postId}/moderate`, { cookie, params: { postId: String(postId) }, form });
}

function queueAction(cookie: string, form: Record<string, string>) {
  return call(queueRoute.action, "/mod/reports", { cookie, form });
}

const post = async (id: number) => (await db.select().from(posts).where(eq(posts.id, id)))[0]!;
const reportsOn = (postId: number) => db.select().from(reports).where(eq(reports.postId, postId)).orderBy(reports.id);
const logFor = (targetType: "post" | "thread", targetId: number) =>
  db
    .select({ action: moderationLog.action, reason: moderationLog.reason, actorId: moderationLog.actorId })
    .from(moderationLog)
    .where(and(eq(moderationLog.targetType, targetType), eq(moderationLog.targetId, targetId)))
    .orderBy(moderationLog.id);
const notificationsOf = async (userId: number) => {
  const rows = await db.select({ text: notifications.text }).from(notifications).where(eq(notifications.userId, userId)).orderBy(desc(notifications.id));
  return rows.map((n) => n.text);
};

/** A reply by a fresh member, for tests that need a post of their own. */
async function aReply(body = "Magnesium before bed helped my calves.") {
  const author = await member();
  const opener = await member();
  const { threadId } = await createThread(opener, "night-leg-cramps", { title: `Night cramps ${author.username}`, body: "What helps you?" });
  const { postId } = await createReply(author, threadId, body);
  return { author, threadId, postId };
}

describe("restoring with a reason", () => {
  it("asks for a reason, keeps what was typed, then logs the reason and tells the author", async () => {
    const mod = await member(undefined, "moderator");
    const { author, postId } = await aReply();
    await modPostAs(mod.cookie, postId, { intent: "remove", reason: "misinformation" });

    // The thread page's one-click Restore sends no reason: the moderate page asks for one.
    const bare = await modPostAs(mod.cookie, postId, { intent: "restore" });
    expect(bare.status).toBe(400);
    expect((await bare.json()).errors.reason).toMatch(/Choose why/);
    const noDetail = await modPostAs(mod.cookie, postId, { intent: "restore", reason: "other", detail: "   " });
    expect(noDetail.status).toBe(400);
    const kept = await noDetail.json();
    expect(kept.errors.detail).toBeTruthy();
    expect(kept.values).toMatchObject({ intent: "restore", reason: "other" });
    const tooLong = await modPostAs(mod.cookie, postId, { intent: "restore", reason: "other", detail: "x".repeat(301) });
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).values.detail).toBe("x".repeat(301));
    expect((await post(postId)).removedAt).toBeInstanceOf(Date);
    expect((await logFor("post", postId)).map((e) => e.action)).toEqual(["remove-post"]);

    const done = await modPostAs(mod.cookie, postId, { intent: "restore", reason: "other", detail: "The dose was right after all" });
    expect(done.status).toBe(302);
    expect(await post(postId)).toMatchObject({ removedAt: null, removalReason: null });
    expect(await logFor("post", postId)).toEqual([
      { action: "remove-post", reason: "Misinformation or unsafe medical advice", actorId: mod.id },
      { action: "restore-post", reason: "The dose was right after all", actorId: mod.id },
    ]);
    expect((await notificationsOf(author.id))[0]).toBe("A moderator restored your post. Reason: The dose was right after all");

    // Shown like a removal's reason: to moderators, and on the public log.
    const modLog = await (await call(logRoute.loader, "/mod/log?action=restore-post", { cookie: mod.cookie })).json();
    expect(modLog.entries[0]).toMatchObject({ action: "restore-post", reason: "The dose was right after all" });
    const pub = await (await call(transparency.loader, "/transparency?action=restore-post")).json();
    expect(pub.entries[0]).toMatchObject({ action: "restore-post", reason: "The dose was right after all" });
  });

  it("restores a thread with a reason from the list", async () => {
    const mod = await member(undefined, "moderator");
    const author = await member();
    const { threadId } = await createThread(author, "night-leg-cramps", { title: "Quinine worked for me", body: "Where to buy it cheaply" });
    const as = (form: Record<string, string>) =>
      call(modThread.action, `/threads/${threadId}/moderate`, { cookie: mod.cookie, params: { threadId: String(threadId) }, form });
    await as({ intent: "remove", reason: "spam" });
    const refused = await as({ intent: "restore", reason: "because" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ intent: "restore", errors: { reason: expect.any(String) }, values: { reason: "because" } });
    const thread = async () => (await db.select().from(threads).where(eq(threads.id, threadId)))[0]!;
    expect((await thread()).removedAt).toBeInstanceOf(Date);

    expect((await as({ intent: "restore", reason: "edited" })).status).toBe(302);
    expect((await thread()).removedAt).toBeNull();
    expect((await logFor("thread", threadId)).at(-1)).toEqual({ action: "restore-thread", reason: "Edited to fit the guidelines", actorId: mod.id });
    expect((await notificationsOf(author.id))[0]).toBe("A moderator restored your thread. Reason: Edited to fit the guidelines");
  });
});

describe("reopening dismissed reports", () => {
  it("offers Reopen after a dismissal and reopens exactly the reports that dismissal closed", async () => {
    const mod = await member(undefined, "moderator");
    const other = await member(undefined, "moderator");
    const { postId, threadId } = await aReply("Stop your meds, stretching is all you need");
    const [bob, carol, dave] = [await member(), await member(), await member()];
    // An earlier dismissal by the same moderator, and reports on another post, stay as they are.
    await reportPost(dave, postId, { reason: "misinformation" });
    await dismissReports(mod, postId);
    const elsewhere = (await createReply(dave, threadId, "Another reply")).postId;
    await reportPost(bob, elsewhere, { reason: "spam" });
    await dismissReports(other, elsewhere);
    await reportPost(bob, postId, { reason: "misinformation" });
    await reportPost(carol, postId, { reason: "at-risk", note: "worried about them" });

    const dismissed = await queueAction(mod.cookie, { intent: "dismiss", postId: String(postId) });
    expect(dismissed.status).toBe(302);
    const location = dismissed.headers.get("Location")!;
    expect(location).toMatch(new RegExp(`^/mod/reports\\?undo=dismiss%3A${postId}&at=\\d+$`));
    const page = await (await call(queueRoute.loader, location, { cookie: mod.cookie })).json();
    expect(page.dismissed).toEqual({ id: postId, number: (await post(postId)).number, threadTitle: expect.stringContaining("Night cramps") });
    expect(page.queue.map((g: { post: { id: number } }) => g.post.id)).not.toContain(postId);
    // A queue page without the offer (or with an old one) shows no notice.
    expect((await (await call(queueRoute.loader, "/mod/reports", { cookie: mod.cookie })).json()).dismissed).toBeNull();
    expect((await (await call(queueRoute.loader, `/mod/reports?undo=dismiss%3A${postId}&at=1000`, { cookie: mod.cookie })).json()).dismissed).toBeNull();

    const reopened = await queueAction(mod.cookie, { intent: "reopen", postId: String(postId) });
    expect(reopened.status).toBe(302);
    expect(reopened.headers.get("Location")).toBe(`/mod/reports#p${postId}-title`);
    expect(
      (await reportsOn(postId)).map((r) => ({
        reporterId: r.reporterId,
        status: r.status,
        resolution: r.resolution,
        resolvedById: r.resolvedById,
        resolvedAt: r.resolvedAt,
      })),
    ).toEqual([
      { reporterId: dave.id, status: "resolved", resolution: "dismissed", resolvedById: mod.id, resolvedAt: expect.any(Date) },
      { reporterId: bob.id, status: "open", resolution: null, resolvedById: null, resolvedAt: null },
      { reporterId: carol.id, status: "open", resolution: null, resolvedById: null, resolvedAt: null },
    ]);
    expect((await reportsOn(elsewhere))[0]).toMatchObject({ status: "resolved", resolution: "dismissed" });
    expect((await logFor("post", postId)).map((e) => e.action)).toEqual(["dismiss-reports", "dismiss-reports", "reopen-reports"]);
    expect((await logFor("post", postId)).at(-1)!.actorId).toBe(mod.id);
    const queue = await (await call(queueRoute.loader, "/mod/reports", { cookie: mod.cookie })).json();
    const back = queue.queue.find((g: { post: { id: number } }) => g.post.id === postId);
    expect(back).toMatchObject({ count: 2, atRisk: true });

    // Again: the older dismissal is not "the latest" to undo.
    const again = await queueAction(mod.cookie, { intent: "reopen", postId: String(postId) });
    expect(again.status).toBe(409);
    expect((await again.json()).errors.form).toMatch(/nothing to reopen/);
    expect((await reportsOn(postId)).filter((r) => r.status === "open")).toHaveLength(2);
    expect((await logFor("post", postId)).map((e) => e.action)).toEqual(["dismiss-reports", "dismiss-reports", "reopen-reports"]);
  });

  it("refuses visitors and members in the model, and changes nothing", async () => {
    const mod = await member(undefined, "moderator");
    const { postId } = await aReply();
    await reportPost(await member(), postId, { reason: "spam" });
    await dismissReports(mod, postId);
    const plain = await member();
    for (const actor of [null, plain]) {
      let thrown: unknown;
      try {
        await reopenReports(actor, postId);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(Response);
      expect((thrown as Response).status).toBe(403);
    }
    expect((await queueAction(plain.cookie, { intent: "reopen", postId: String(postId) })).status).toBe(403);
    expect((await reportsOn(postId))[0]).toMatchObject({ status: "resolved", resolution: "dismissed" });
    expect((await logFor("post", postId)).map((e) => e.action)).toEqual(["dismiss-reports"]);
  });

  it("refuses when the post was removed since, or there was never a dismissal", async () => {
    const mod = await member(undefined, "moderator");
    const { postId } = await aReply();
    const never = await queueAction(mod.cookie, { intent: "reopen", postId: String(postId) });
    expect(never.status).toBe(409);

    await reportPost(await member(), postId, { reason: "spam" });
    await dismissReports(mod, postId);
    await removePost(mod, postId, "Spam");
    const refused = await queueAction(mod.cookie, { intent: "reopen", postId: String(postId) });
    expect(refused.status).toBe(409);
    expect((await refused.json()).errors.form).toMatch(/removed or deleted since/);
    expect((await reportsOn(postId))[0]).toMatchObject({ status: "resolved", resolution: "dismissed" });
    expect((await logFor("post", postId)).map((e) => e.action)).toEqual(["dismiss-reports", "remove-post"]);
  });

  it("leaves a report closed when its reporter has reported the post again since", async () => {
    const mod = await member(undefined, "moderator");
    const { postId } = await aReply();
    const [bob, carol] = [await member(), await member()];
    await reportPost(bob, postId, { reason: "spam" });
    await reportPost(carol, postId, { reason: "spam" });
    await dismissReports(mod, postId);
    await reportPost(bob, postId, { reason: "harassment" });
    expect(await reopenReports(mod, postId)).toEqual({ postId, reopened: 1 });
    const open = (await reportsOn(postId)).filter((r) => r.status === "open");
    expect(open.map((r) => [r.reporterId, r.reason])).toEqual([
      [carol.id, "spam"],
      [bob.id, "harassment"],
    ]);
  });

  it("reopens only the latest dismissal's report when two dismissals share a millisecond", async () => {
    const mod = await member(undefined, "moderator");
    const { postId } = await aReply();
    const reporter = await member();
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2026-11-21T03:00:00.000Z"));
      await reportPost(reporter, postId, { reason: "spam" });
      await dismissReports(mod, postId);
      await reportPost(reporter, postId, { reason: "harassment" });
      await dismissReports(mod, postId);
    } finally {
      vi.useRealTimers();
    }
    await reopenReports(mod, postId);
    const open = await db
      .select({ reason: reports.reason })
      .from(reports)
      .where(and(eq(reports.postId, postId), eq(reports.status, "open")));
    expect(open).toEqual([{ reason: "harassment" }]);
  });

  it("offers Reopen on /mod/log for each post's latest dismissal while it can still be reopened", async () => {
    const mod = await member(undefined, "moderator");
    const { postId } = await aReply();
    const reporter = await member();
    await reportPost(reporter, postId, { reason: "spam" });
    await dismissReports(mod, postId);
    await reportPost(reporter, postId, { reason: "harassment" });
    await dismissReports(mod, postId);
    const dismissals = await db
      .select({ id: moderationLog.id })
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "dismiss-reports"), eq(moderationLog.targetId, postId)))
      .orderBy(moderationLog.id);
    const [older, latest] = dismissals.map((e) => e.id);
    const reopenable = async () => (await (await call(logRoute.loader, "/mod/log", { cookie: mod.cookie })).json()).reopenable as number[];
    expect(await reopenable()).toContain(latest);
    expect(await reopenable()).not.toContain(older);
    await reopenReports(mod, postId);
    expect(await reopenable()).not.toContain(latest);
  });
});
