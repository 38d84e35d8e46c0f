// Reports of private messages and the moderators' one way into a conversation (docs/decisions/033):
// a member reports, a moderator opens it from the report (logged, shown to admins and to the
// conversation's members), removes or dismisses; plus the member's export and account deletion.
// Every private word starts with "zqrm".
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { conversationAccessLog, messageReports, messages, moderationLog, notifications, users } from "../db/schema.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { startConversation, sendMessage } from "~/models/conversations.server.ts";
import { dismissMessageReports, removeMessage } from "~/models/message-moderation.server.ts";
import { reportMessage } from "~/models/message-reports.server.ts";
import * as conversationRoute from "~/routes/messages.$conversationId.tsx";
import * as reportRoute from "~/routes/messages.$conversationId_.report.$messageId.tsx";
import * as modQueue from "~/routes/mod.messages.tsx";
import * as modView from "~/routes/mod.messages_.$conversationId.tsx";
import * as transparency from "~/routes/transparency.tsx";
import { remixHandler } from "./document.ts";
import { call, member, statusOf } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const SECRET = /zqrm/i;

const send = remixHandler({
  "routes/messages.$conversationId": { path: "messages/:conversationId", module: conversationRoute },
  "routes/messages.$conversationId_.report.$messageId": { path: "messages/:conversationId/report/:messageId", module: reportRoute },
  "routes/mod.messages": { path: "mod/messages", module: modQueue },
  "routes/mod.messages_.$conversationId": { path: "mod/messages/:conversationId", module: modView },
});

let ann: M, ben: M, cal: M, moderator: M, admin: M;

let conversationsStarted = 0;

/** A conversation started by staff (exempt from the age rule), so these members need no history. */
async function conversation(people: M[], body: string) {
  const opening = `zqrm from the admin, number ${++conversationsStarted}`;
  const started = await startConversation(as(admin), { to: people.map((p) => p.username), subject: "zqrm subject", body: opening });
  if (!started.ok) throw new Error(JSON.stringify(started.errors));
  const sent = await sendMessage(as(people[0]!), started.conversationId, body);
  if (!sent.ok) throw new Error(JSON.stringify(sent.errors));
  return { conversationId: started.conversationId, messageId: sent.messageId, adminMessageId: started.messageId };
}

const openFor = (staff: M, reportId: number) => send("/mod/messages", { cookie: staff.cookie, form: { intent: "open", reportId: String(reportId) } });
const latestReport = async (messageId: number) =>
  (await db.select().from(messageReports).where(eq(messageReports.messageId, messageId)).orderBy(messageReports.id)).at(-1)!;

beforeAll(async () => {
  [ann, ben, cal, moderator, admin] = [
    await member("rmann"),
    await member("rmben"),
    await member("rmcal"),
    await member("rmmod", "moderator"),
    await member("rmadmin", "admin"),
  ];
});

describe("reporting a message", () => {
  it("is open to the conversation's members for someone else's message, and to nobody else", async () => {
    const { conversationId, messageId } = await conversation([ann, ben], "zqrm unkind words");
    const path = `/messages/${conversationId}/report/${messageId}`;
    expect((await send(path, { cookie: ben.cookie })).response.status).toBe(200);
    expect((await send(path, { cookie: ann.cookie })).response.status).toBe(403);
    for (const outsider of [cal, moderator]) {
      const res = await send(path, { cookie: outsider.cookie });
      expect(res.response.status).toBe(404);
      expect(res.text).not.toMatch(SECRET);
    }
    expect((await send(`/messages/${conversationId + 1000}/report/${messageId}`, { cookie: ben.cookie })).response.status).toBe(404);
    const form = { reason: "harassment", note: "It keeps happening." };
    const done = await call(reportRoute.action, path, {
      cookie: ben.cookie,
      form,
      params: { conversationId: String(conversationId), messageId: String(messageId) },
    });
    expect((await done.json()).done).toEqual({ alreadyReported: false, atRisk: false });
    expect((await reportMessage(as(ben), messageId, { reason: "spam" })).alreadyReported).toBe(true);
    const bad = await call(reportRoute.action, path, {
      cookie: ben.cookie,
      form: { reason: "nope" },
      params: { conversationId: String(conversationId), messageId: String(messageId) },
    });
    expect(bad.status).toBe(400);
  });

  it("stays open to a silenced member: being unable to write must not leave anyone unable to ask for help", async () => {
    const { messageId } = await conversation([ann, cal], "zqrm to a silenced member");
    await transaction((tx) =>
      tx
        .update(users)
        .set({ silencedAt: new Date(), silencedUntil: new Date(Date.now() + 86_400_000) })
        .where(eq(users.id, cal.id)),
    );
    try {
      const silenced = { ...as(cal), silencedUntil: new Date(Date.now() + 86_400_000) };
      expect((await reportMessage(silenced, messageId, { reason: "at-risk" })).alreadyReported).toBe(false);
    } finally {
      await transaction((tx) => tx.update(users).set({ silencedAt: null, silencedUntil: null }).where(eq(users.id, cal.id)));
    }
  });
});

describe("the moderators' queue and a reported conversation", () => {
  it("lists reports without a word of the message, at-risk first, with the open count in the header", async () => {
    expect((await send("/mod/messages", { cookie: ann.cookie })).response.status).toBe(403);
    const queue = await send("/mod/messages", { cookie: moderator.cookie });
    expect(queue.response.status).toBe(200);
    expect(queue.text).toMatch(/Reported messages \(\d+ open\)/);
    expect(queue.text).toContain("A message from rmann");
    expect(queue.text).not.toMatch(SECRET);
    const data = await (await call(modQueue.loader, "/mod/messages", { cookie: moderator.cookie })).json();
    expect(data.queue[0].atRisk).toBe(true);
    expect(data.access).toBeNull();
  });

  it("is closed to a moderator until they open it from a report, which is logged and told to its members", async () => {
    const { conversationId, messageId } = await conversation([ann, ben], "zqrm reported words");
    const view = `/mod/messages/${conversationId}`;
    for (const path of [view, `${view}?_data=routes%2Fmod.messages_.%24conversationId`]) {
      const closed = await send(path, { cookie: moderator.cookie });
      expect(closed.response.status, path).toBe(403);
      expect(closed.text).not.toMatch(SECRET);
    }
    expect((await send(view, { cookie: ben.cookie })).response.status).toBe(403);
    await reportMessage(as(ben), messageId, { reason: "harassment" });
    const report = await latestReport(messageId);
    const opened = await openFor(moderator, report.id);
    expect(opened.response.headers.get("Location")).toBe(`${view}?page=1#message-${messageId}`);
    const [entry] = await db.select().from(conversationAccessLog).where(eq(conversationAccessLog.reportId, report.id));
    expect(entry).toMatchObject({ conversationId, moderatorId: moderator.id });
    const page = await send(view, { cookie: moderator.cookie });
    expect(page.response.status).toBe(200);
    expect(page.text).toContain("zqrm reported words");
    expect(page.text).not.toContain("Who opened this conversation");
    // Its members see that, and when, but not who reported or read it.
    const members = await send(`/messages/${conversationId}`, { cookie: ann.cookie });
    expect(members.text).toContain("A moderator read this conversation on");
    expect(members.text).not.toContain("rmmod");
    // Admins see who opened which conversation, after which report.
    const adminQueue = await (await call(modQueue.loader, "/mod/messages", { cookie: admin.cookie })).json();
    expect(adminQueue.access.entries[0]).toMatchObject({ conversationId, moderator: "rmmod", reportId: report.id, reporter: "rmben" });
    // The opening lasts an hour; then it must be opened (and logged) again.
    await transaction((tx) =>
      tx
        .update(conversationAccessLog)
        .set({ createdAt: new Date(Date.now() - 2 * 3_600_000) })
        .where(eq(conversationAccessLog.id, entry!.id)),
    );
    expect((await send(view, { cookie: moderator.cookie })).response.status).toBe(403);
  });

  it("opens only from an open report", async () => {
    const { messageId } = await conversation([ann, ben], "zqrm dismissed soon");
    await reportMessage(as(ben), messageId, { reason: "spam" });
    const report = await latestReport(messageId);
    await openFor(moderator, report.id);
    await dismissMessageReports(as(moderator), messageId);
    expect((await openFor(moderator, report.id)).response.status).toBe(404);
    expect((await openFor(ann, report.id)).response.status).toBe(403);
  });

  it("removes a message with a reason: logged, off the transparency log's words, a placeholder for the others", async () => {
    const { conversationId, messageId } = await conversation([ann, ben], "zqrm words to remove");
    expect(await statusOf(removeMessage(as(moderator), messageId, "Harassment"))).toBe(403);
    await reportMessage(as(ben), messageId, { reason: "harassment" });
    await openFor(moderator, (await latestReport(messageId)).id);
    const removed = await send(`/mod/messages/${conversationId}`, {
      cookie: moderator.cookie,
      form: { intent: "remove", messageId: String(messageId), page: "1", reason: "other", detail: "zqrm a reason with words" },
    });
    expect(removed.response.status).toBe(302);
    const [row] = await db.select().from(messages).where(eq(messages.id, messageId));
    expect(row).toMatchObject({ removedById: moderator.id, removalReason: "zqrm a reason with words" });
    expect((await latestReport(messageId)).resolution).toBe("removed");
    const [logged] = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "remove-message"), eq(moderationLog.targetId, messageId)));
    expect(logged).toMatchObject({ targetType: "message", subjectUserId: ann.id, reason: "zqrm a reason with words" });
    const publicLog = await (await call(transparency.loader, "/transparency")).text();
    expect(publicLog).toContain("remove-message");
    expect(publicLog).not.toMatch(SECRET);
    const others = await send(`/messages/${conversationId}`, { cookie: ben.cookie });
    expect(others.text).toContain("Removed by a moderator — zqrm a reason");
    expect(others.text).not.toContain("zqrm words to remove");
    expect((await send(`/messages/${conversationId}`, { cookie: ann.cookie })).text).toContain("zqrm words to remove");
    const [notice] = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ann.id), eq(notifications.kind, "moderation")));
    expect(notice!.text).toMatch(/^A moderator removed your message in “zqrm subject”\. Reason:/);
    // Reports on a removed message can no longer be made.
    expect(await statusOf(reportMessage(as(ben), messageId, { reason: "spam" }))).toBe(404);
  });

  it("keeps an admin's message out of a moderator's reach, and dismisses with a log entry", async () => {
    const { conversationId, adminMessageId, messageId } = await conversation([ann, ben], "zqrm to dismiss");
    await reportMessage(as(ann), adminMessageId, { reason: "other" });
    await reportMessage(as(ben), messageId, { reason: "spam" });
    await openFor(moderator, (await latestReport(adminMessageId)).id);
    expect(await statusOf(removeMessage(as(moderator), adminMessageId, "Spam"))).toBe(403);
    const dismissed = await send(`/mod/messages/${conversationId}`, { cookie: moderator.cookie, form: { intent: "dismiss", messageId: String(messageId) } });
    expect(dismissed.response.status).toBe(302);
    expect((await latestReport(messageId)).resolution).toBe("dismissed");
    const logged = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "dismiss-message-reports"), eq(moderationLog.targetId, messageId)));
    expect(logged).toHaveLength(1);
    const bad = await send(`/mod/messages/${conversationId}`, { cookie: moderator.cookie, form: { intent: "remove", messageId: String(messageId) } });
    expect(bad.response.status).toBe(400);
  });
});

describe("a member's data", () => {
  it("exports their conversations with what they could read, and nobody else's", async () => {
    const { conversationId } = await conversation([ann, ben], "zqrm for the export");
    const data = JSON.stringify(await exportUserData(ben));
    expect(data).toContain("zqrm for the export");
    expect(data).toContain('"subject":"zqrm subject"');
    const leaver = await member("rmleaver");
    const other = await conversation([leaver, ann], "zqrm before leaving");
    await send(`/messages/${other.conversationId}`, { cookie: leaver.cookie, form: { intent: "leave" } });
    await sendMessage(as(ann), other.conversationId, "zqrm after leaving");
    const leavers = JSON.stringify(await exportUserData(leaver));
    expect(leavers).toContain("zqrm before leaving");
    expect(leavers).not.toContain("zqrm after leaving");
    expect(JSON.stringify(await exportUserData(cal))).not.toContain("zqrm for the export");
    expect(conversationId).toBeGreaterThan(0);
  });

  it("leaves others' messages when an account goes; the member's own stay under the new name, or are erased on request", async () => {
    const keeper = await member("rmkeeper");
    const eraser = await member("rmeraser");
    const kept = await conversation([keeper, ben], "zqrm kept words");
    const erased = await conversation([eraser, ben], "zqrm erased words");
    await sendMessage(as(ben), erased.conversationId, "zqrm ben's own words");
    expect((await deleteAccount(keeper, { password: "correct horse battery", keepPosts: true })).ok).toBe(true);
    expect((await deleteAccount(eraser, { password: "correct horse battery", keepPosts: false })).ok).toBe(true);
    const keptPage = await send(`/messages/${kept.conversationId}`, { cookie: ben.cookie });
    expect(keptPage.text).toContain("zqrm kept words");
    expect(keptPage.text).toContain(`deleted-member-${keeper.id}`);
    expect(keptPage.text).toMatch(/deleted their account on/);
    const erasedPage = await send(`/messages/${erased.conversationId}`, { cookie: ben.cookie });
    expect(erasedPage.text).not.toContain("zqrm erased words");
    expect(erasedPage.text).toContain("This message was erased with its author");
    expect(erasedPage.text).toContain("zqrm ben");
  });
});
