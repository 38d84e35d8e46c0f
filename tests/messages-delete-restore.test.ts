// A member deletes their own private message (its words erased for everyone), and a moderator
// restores a removed one from a conversation opened after a report (docs/decisions/042).
// Every private word starts with "zqdm".
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { conversationAccessLog, messageReports, messages, moderationLog, notifications } from "../db/schema.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { deleteMessage } from "~/models/conversation-account.server.ts";
import { sendMessage, startConversation } from "~/models/conversations.server.ts";
import { removeMessage, restoreMessage } from "~/models/message-moderation.server.ts";
import { reportMessage } from "~/models/message-reports.server.ts";
import * as conversationRoute from "~/routes/messages.$conversationId.tsx";
import * as deleteRoute from "~/routes/messages.$conversationId_.delete.$messageId.tsx";
import * as modQueue from "~/routes/mod.messages.tsx";
import * as modView from "~/routes/mod.messages_.$conversationId.tsx";
import * as transparency from "~/routes/transparency.tsx";
import { remixHandler } from "./document.ts";
import { call, member, statusOf } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const DELETED = "This message was deleted by its author.";

const send = remixHandler({
  "routes/messages.$conversationId": { path: "messages/:conversationId", module: conversationRoute },
  "routes/messages.$conversationId_.delete.$messageId": { path: "messages/:conversationId/delete/:messageId", module: deleteRoute },
  "routes/mod.messages": { path: "mod/messages", module: modQueue },
  "routes/mod.messages_.$conversationId": { path: "mod/messages/:conversationId", module: modView },
});

let ann: M, ben: M, cal: M, moderator: M, admin: M;
let started = 0;

/** A conversation an admin starts (exempt from the age rule), then `people[0]` writes `body`. */
async function conversation(people: M[], body: string) {
  const opening = await startConversation(as(admin), { to: people.map((p) => p.username), subject: "zqdm subject", body: `zqdm opening ${++started}` });
  if (!opening.ok) throw new Error(JSON.stringify(opening.errors));
  const sent = await sendMessage(as(people[0]!), opening.conversationId, body);
  if (!sent.ok) throw new Error(JSON.stringify(sent.errors));
  return { conversationId: opening.conversationId, messageId: sent.messageId };
}

const row = async (messageId: number) => (await db.select().from(messages).where(eq(messages.id, messageId)))[0]!;
const deletePath = (c: { conversationId: number; messageId: number }) => `/messages/${c.conversationId}/delete/${c.messageId}`;
const deleteAs = (m: M | null, c: { conversationId: number; messageId: number }) => send(deletePath(c), { cookie: m?.cookie, form: {} });

/** A report by `reporter`, opened by `staff` from the queue (the logged access a moderator needs). */
async function reportAndOpen(reporter: M, staff: M, messageId: number) {
  await reportMessage(as(reporter), messageId, { reason: "harassment" });
  const [report] = await db.select().from(messageReports).where(eq(messageReports.messageId, messageId)).orderBy(messageReports.id);
  await send("/mod/messages", { cookie: staff.cookie, form: { intent: "open", reportId: String(report!.id) } });
}

beforeAll(async () => {
  [ann, ben, cal, moderator, admin] = [
    await member("mdann"),
    await member("mdben"),
    await member("mdcal"),
    await member("mdmod", "moderator"),
    await member("mdadmin", "admin"),
  ];
});

describe("a member deletes their own message", () => {
  it("asks first, then erases the words in the database; everyone sees the placeholder, nothing is logged", async () => {
    const c = await conversation([ann, ben], "zqdm words to regret");
    const confirm = await send(deletePath(c), { cookie: ann.cookie });
    expect(confirm.response.status).toBe(200);
    expect(confirm.text).toContain("Delete your message?");
    expect(confirm.text).toContain("zqdm words to regret");
    const mine = await send(`/messages/${c.conversationId}`, { cookie: ann.cookie });
    expect(mine.text).toContain(`href="${deletePath(c)}"`);
    // Only on one's own messages.
    expect((await send(`/messages/${c.conversationId}`, { cookie: ben.cookie })).text).not.toContain(`href="${deletePath(c)}"`);

    const done = await deleteAs(ann, c);
    expect(done.response.status).toBe(302);
    expect(done.response.headers.get("Location")).toBe(`/messages/${c.conversationId}?page=1#message-${c.messageId}`);
    expect(await row(c.messageId)).toMatchObject({ bodyMarkdown: "", bodyHtml: "", removedAt: null });
    expect((await row(c.messageId)).deletedAt).toBeInstanceOf(Date);
    for (const viewer of [ann, ben]) {
      const page = await send(`/messages/${c.conversationId}`, { cookie: viewer.cookie });
      expect(page.text).toContain(DELETED);
      expect(page.text).not.toContain("zqdm words to regret");
      const data = await send(`/messages/${c.conversationId}?_data=routes%2Fmessages.%24conversationId`, { cookie: viewer.cookie });
      expect(data.text).not.toContain("zqdm words to regret");
      expect(JSON.stringify(await exportUserData(viewer))).not.toContain("zqdm words to regret");
    }
    expect(await db.select().from(moderationLog).where(eq(moderationLog.targetId, c.messageId))).toEqual([]);
    // A second tap lands on the same place; the page that asks sends them there too.
    const deletedAt = (await row(c.messageId)).deletedAt;
    expect((await deleteAs(ann, c)).response.status).toBe(302);
    expect((await row(c.messageId)).deletedAt).toEqual(deletedAt);
    const again = await send(deletePath(c), { cookie: ann.cookie });
    expect(again.response.headers.get("Location")).toBe(`/messages/${c.conversationId}?page=1#message-${c.messageId}`);
  });

  it("is refused to anyone but its author who is still in the conversation", async () => {
    const c = await conversation([ann, ben], "zqdm kept words");
    // Another member, and staff who are in it: a 403. Nobody outside learns it exists: a 404.
    for (const [who, status] of [
      [ben, 403],
      [admin, 403],
      [cal, 404],
      [moderator, 404],
    ] as const) {
      expect((await send(deletePath(c), { cookie: who.cookie })).response.status, who.username).toBe(status);
      expect((await deleteAs(who, c)).response.status, who.username).toBe(status);
    }
    // A moderator who opened it from a report still can't erase the author's words.
    await reportAndOpen(ben, moderator, c.messageId);
    expect((await deleteAs(moderator, c)).response.status).toBe(404);
    expect(await statusOf(deleteMessage(as(moderator), c.messageId))).toBe(404);
    const visitor = await deleteAs(null, c);
    expect(visitor.response.status).toBe(302);
    expect(visitor.response.headers.get("Location")).toMatch(/^\/login\?/);
    // The wrong conversation in the address, or no such message.
    expect((await deleteAs(ann, { conversationId: c.conversationId + 1000, messageId: c.messageId })).response.status).toBe(404);
    expect((await deleteAs(ann, { conversationId: c.conversationId, messageId: c.messageId + 1000 })).response.status).toBe(404);
    expect((await send(`/messages/${c.conversationId}/delete/nope`, { cookie: ann.cookie })).response.status).toBe(404);
    // Its author, once they have left.
    await send(`/messages/${c.conversationId}`, { cookie: ann.cookie, form: { intent: "leave" } });
    expect((await deleteAs(ann, c)).response.status).toBe(404);
    expect(await row(c.messageId)).toMatchObject({ bodyMarkdown: "zqdm kept words", deletedAt: null });
  });

  it("keeps open reports on it for moderators, without its words", async () => {
    const c = await conversation([ann, ben], "zqdm reported then deleted");
    await reportAndOpen(ben, moderator, c.messageId);
    expect((await deleteAs(ann, c)).response.status).toBe(302);
    const queue = await send("/mod/messages", { cookie: moderator.cookie });
    expect(queue.text).toContain("A message from mdann");
    expect(queue.text).not.toContain("zqdm reported then deleted");
    const view = await send(`/mod/messages/${c.conversationId}`, { cookie: moderator.cookie });
    expect(view.text).toContain(DELETED);
    expect(view.text).toContain("Reports on this message");
    expect(view.text).toContain("Dismiss reports");
    expect(view.text).not.toContain("zqdm reported then deleted");
    expect(view.text).not.toMatch(/(Remove|Restore) this message…<span[^>]*> \(from mdann\)/);
    expect(view.text).toMatch(/Remove this message…<span[^>]*> \(from mdadmin\)/);
  });

  it("may delete a message a moderator removed, which can then never be restored", async () => {
    const c = await conversation([ann, ben], "zqdm removed then deleted");
    await reportAndOpen(ben, moderator, c.messageId);
    await removeMessage(as(moderator), c.messageId, "Harassment");
    expect((await send(deletePath(c), { cookie: ann.cookie })).text).toContain("zqdm removed then deleted");
    expect((await deleteAs(ann, c)).response.status).toBe(302);
    expect(await row(c.messageId)).toMatchObject({ bodyMarkdown: "", bodyHtml: "", removalReason: "Harassment" });
    expect((await send(`/messages/${c.conversationId}`, { cookie: ben.cookie })).text).toContain(DELETED);
    expect(await statusOf(restoreMessage(as(moderator), c.messageId, "Removed by mistake"))).toBe(409);
    const refused = await send(`/mod/messages/${c.conversationId}`, {
      cookie: moderator.cookie,
      form: { intent: "restore", messageId: String(c.messageId), reason: "mistake" },
    });
    expect(refused.response.status).toBe(409);
    expect(refused.text).toContain("Its author deleted this message");
    const logged = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "restore-message"), eq(moderationLog.targetId, c.messageId)));
    expect(logged).toEqual([]);
  });

  it("tells a message its author deleted from those erased with their account", async () => {
    const eraser = await member("mderaser");
    const c = await conversation([eraser, ben], "zqdm deleted first");
    const later = await sendMessage(as(eraser), c.conversationId, "zqdm erased with the account");
    if (!later.ok) throw new Error("not sent");
    expect((await deleteAs(eraser, c)).response.status).toBe(302);
    expect((await deleteAccount(eraser, { password: "correct horse battery", keepPosts: false })).ok).toBe(true);
    const page = await send(`/messages/${c.conversationId}`, { cookie: ben.cookie });
    expect(page.text).toContain(DELETED);
    expect(page.text).toContain("This message was erased with its author");
    expect(page.text).not.toMatch(/zqdm (deleted first|erased with)/);
  });
});

describe("a moderator restores a removed message", () => {
  const restore = (who: M, c: { conversationId: number; messageId: number }, form: Record<string, string> = { reason: "mistake" }) =>
    send(`/mod/messages/${c.conversationId}`, { cookie: who.cookie, form: { intent: "restore", messageId: String(c.messageId), page: "1", ...form } });

  it("only with a logged opening from a report, never as a plain member", async () => {
    const c = await conversation([ann, ben], "zqdm removed for a while");
    await reportAndOpen(ben, moderator, c.messageId);
    await removeMessage(as(moderator), c.messageId, "Spam");
    // Another moderator who never opened it, a member of the conversation, an outsider.
    const other = await member("mdmod2", "moderator");
    expect((await restore(other, c)).response.status).toBe(403);
    expect(await statusOf(restoreMessage(as(other), c.messageId, "Removed by mistake"))).toBe(403);
    for (const who of [ben, cal]) {
      expect((await restore(who, c)).response.status).toBe(403);
      expect(await statusOf(restoreMessage(as(who), c.messageId, "Removed by mistake"))).toBe(403);
    }
    // The opening lasts an hour.
    await transaction((tx) =>
      tx
        .update(conversationAccessLog)
        .set({ createdAt: new Date(Date.now() - 2 * 3_600_000) })
        .where(eq(conversationAccessLog.conversationId, c.conversationId)),
    );
    expect((await restore(moderator, c)).response.status).toBe(403);
    expect(await row(c.messageId)).toMatchObject({ removalReason: "Spam" });
    expect(
      await db
        .select()
        .from(moderationLog)
        .where(and(eq(moderationLog.action, "restore-message"), eq(moderationLog.targetId, c.messageId))),
    ).toEqual([]);
  });

  it("asks for a reason, then logs it, tells the author, and shows the message to its members again", async () => {
    const c = await conversation([ann, ben], "zqdm back again");
    await reportAndOpen(ben, moderator, c.messageId);
    await removeMessage(as(moderator), c.messageId, "Spam");
    const view = await send(`/mod/messages/${c.conversationId}`, { cookie: moderator.cookie });
    expect(view.text).toContain("Restore this message…");
    expect(view.text).toContain("Reason for restoring (told to its author)");
    const noReason = await restore(moderator, c, {});
    expect(noReason.response.status).toBe(400);
    expect(noReason.text).toContain("Choose why you");
    const noDetail = await restore(moderator, c, { reason: "other", detail: "" });
    expect(noDetail.response.status).toBe(400);
    expect(noDetail.text).toContain("Say briefly why, so the author understands.");
    expect((await row(c.messageId)).removedAt).not.toBeNull();

    const done = await restore(moderator, c, { reason: "other", detail: "zqdm a private reason" });
    expect(done.response.status).toBe(302);
    expect(done.response.headers.get("Location")).toBe(`/mod/messages/${c.conversationId}?page=1#message-${c.messageId}`);
    expect(await row(c.messageId)).toMatchObject({ removedAt: null, removedById: null, removalReason: null, bodyMarkdown: "zqdm back again" });
    const [logged] = await db
      .select()
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "restore-message"), eq(moderationLog.targetId, c.messageId)));
    expect(logged).toMatchObject({ actorId: moderator.id, targetType: "message", subjectUserId: ann.id, reason: "zqdm a private reason" });
    const publicLog = await (await call(transparency.loader, "/transparency?action=restore-message")).json();
    expect(publicLog.entries[0]).toMatchObject({ action: "restore-message", targetType: "message", reason: null, href: null });
    const [notice] = await db
      .select()
      .from(notifications)
      .where(and(eq(notifications.userId, ann.id), eq(notifications.conversationId, c.conversationId), eq(notifications.kind, "moderation")))
      .orderBy(notifications.id)
      .then((rows) => rows.slice(-1));
    expect(notice!.text).toBe("A moderator restored your message in “zqdm subject”. Reason: zqdm a private reason");
    const others = await send(`/messages/${c.conversationId}`, { cookie: ben.cookie });
    expect(others.text).toContain("zqdm back again");
    expect(others.text).not.toContain("Removed by a moderator");
    // Restoring what is already back changes nothing and logs nothing more.
    expect((await restore(moderator, c)).response.status).toBe(302);
    expect(
      await db
        .select()
        .from(moderationLog)
        .where(and(eq(moderationLog.action, "restore-message"), eq(moderationLog.targetId, c.messageId))),
    ).toHaveLength(1);
  });
});
