import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { moderationLog } from "../db/schema.ts";
import { checkInWithAuthor } from "~/models/check-ins.server.ts";
import { listModerationLog, listTransparencyLog } from "~/models/moderation-log.server.ts";
import { listNotifications } from "~/models/notifications.server.ts";
import { reportPost } from "~/models/reports.server.ts";
import * as queueRoute from "~/routes/mod.reports.tsx";
import { call, createThread, member, statusOf } from "./helpers.ts";

// The guidelines promise that a moderator may check in with a member whose post worries someone:
// from the report queue, a private message that only that member reads.

async function worriedPost() {
  const author = await member();
  const reader = await member();
  const { postId } = await createThread(author, "fibromyalgia", {
    title: "A bad week",
    body: "The pain has been relentless this week and I'm so tired of it.",
  });
  await reportPost(reader, postId, { reason: "at-risk", note: "they sound very low" });
  return { author, reader, postId };
}

const send = (cookie: string, postId: number, message: string) =>
  call(queueRoute.action, "/mod/reports", { cookie, form: { intent: "check-in", postId: String(postId), message } });

describe("checking in with a member at risk", () => {
  it("the queue offers kind words to start from; the message reaches only the author, and the log says it happened", async () => {
    const { author, postId } = await worriedPost();
    const mod = await member(undefined, "moderator");
    const { queue } = await (await call(queueRoute.loader, "/mod/reports", { cookie: mod.cookie })).json();
    const item = queue.find((g: { post: { id: number } }) => g.post.id === postId);
    expect(item.checkIn.template).toContain(`Hi ${author.username}, I'm one of the moderators here.`);
    expect(item.checkIn.last).toBeNull();

    const res = await send(mod.cookie, postId, "  Hi, thinking of you. How are you doing tonight?  ");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/mod/reports#p${postId}-title`);
    const { items } = await listNotifications(author.id, 1);
    expect(items[0]).toMatchObject({ kind: "moderation", text: "A moderator checked in with you: Hi, thinking of you. How are you doing tonight?" });

    // Moderators see who checked in and when; the words stay with the member.
    const log = await listModerationLog(mod, { action: "check-in", page: 1 });
    expect(log.entries.map((e) => e.moderator)).toContain(mod.username);
    const [row] = await db.select().from(moderationLog).where(eq(moderationLog.action, "check-in"));
    expect(JSON.stringify(row)).not.toContain("thinking of you");
    const again = await (await call(queueRoute.loader, "/mod/reports", { cookie: mod.cookie })).json();
    expect(again.queue.find((g: { post: { id: number } }) => g.post.id === postId).checkIn.last.moderator).toBe(mod.username);
  });

  it("never appears on the public transparency log", async () => {
    const { postId } = await worriedPost();
    const mod = await member(undefined, "moderator");
    await send(mod.cookie, postId, "Checking in: how are you?");
    const open = await listTransparencyLog({ page: 1 });
    expect(open.actions).not.toContain("check-in");
    expect(open.entries.map((e) => e.action)).not.toContain("check-in");
    expect((await listTransparencyLog({ action: "check-in", page: 1 })).entries).toEqual([]);
  });

  it("is for moderators, about posts reported at risk, and never to oneself", async () => {
    const { reader, postId } = await worriedPost();
    expect((await send(reader.cookie, postId, "hello")).status).toBe(403);
    expect(await statusOf(checkInWithAuthor(reader, postId, "hello"))).toBe(403);
    const mod = await member(undefined, "moderator");
    const calm = await createThread(reader, "fibromyalgia", { title: "Heat pads", body: "Which heat pads do you like?" });
    await reportPost(mod, calm.postId, { reason: "spam" });
    expect(await statusOf(checkInWithAuthor(mod, calm.postId, "hello"))).toBe(409);
    expect(await statusOf(checkInWithAuthor(mod, 999_999, "hello"))).toBe(404);
    const own = await createThread(mod, "fibromyalgia", { title: "Moderating tired", body: "Even moderators have bad weeks." });
    await reportPost(reader, own.postId, { reason: "at-risk" });
    expect(await statusOf(checkInWithAuthor(mod, own.postId, "hello"))).toBe(409);
  });

  it("refuses an empty or over-long message with a 400, keeping what was typed, and sends nothing", async () => {
    const { author, postId } = await worriedPost();
    const mod = await member(undefined, "moderator");
    const empty = await send(mod.cookie, postId, "   \n ");
    expect(empty.status).toBe(400);
    expect((await empty.json()).errors.message).toBe("Write a message; only the member will read it.");
    const long = "x".repeat(5000);
    const tooLong = await send(mod.cookie, postId, long);
    expect(tooLong.status).toBe(400);
    expect((await tooLong.json()).values.message).toBe(long);
    expect((await listNotifications(author.id, 1)).items).toEqual([]);
  });
});
