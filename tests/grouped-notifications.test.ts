// Replies in one thread the member hasn't read are one notification: "alice and 4 others replied
// in …", linking to the first unread reply; reading the thread marks it read. Mentions and
// quotes stay rows of their own, and the header counts rows.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { notifications } from "../db/schema.ts";
import { blockMember } from "~/models/blocks.server.ts";
import { removePost } from "~/models/moderation-posts.server.ts";
import { muteMember } from "~/models/mutes.server.ts";
import { getUnreadCount } from "~/models/notifications.server.ts";
import * as notificationsRoute from "~/routes/notifications.tsx";
import * as threadRoute from "~/routes/threads.$threadId.tsx";
import { remixHandler } from "./document.ts";
import { createReply, createThread, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

const send = remixHandler({
  "routes/notifications": { path: "notifications", module: notificationsRoute },
  "routes/threads.$threadId": { path: "threads/:threadId", module: threadRoute },
});

/** The notification rows as the member reads them on /notifications. */
async function rowsSeen(m: M) {
  const { text } = await send("/notifications", { cookie: m.cookie });
  return [...text.matchAll(/<button type="submit" name="intent" value="open">([^<]*)</g)].map((r) => r[1]!.replaceAll("&quot;", '"'));
}

const stored = (m: M) => db.select().from(notifications).where(eq(notifications.userId, m.id));

describe("replies grouped per thread", () => {
  it("shows 26 replies by five people as one row, naming the latest, linking to the first unread", async () => {
    const author = await member();
    const people = [await member("alice_g"), await member(), await member(), await member(), await member()];
    const { threadId } = await createThread(as(author), "night-leg-cramps", { title: "Night cramps and magnesium", body: "Does it help?" });
    let first: number | undefined;
    for (let i = 0; i < 25; i++) {
      const r = await createReply(as(people[(i + 1) % 5]!), threadId, `Reply number ${i}`);
      first ??= r.postId;
    }
    await createReply(as(people[0]!), threadId, "Magnesium glycinate helped me.");
    expect(await getUnreadCount(author.id)).toBe(1);
    expect(await rowsSeen(author)).toEqual(["alice_g and 4 others replied in “Night cramps and magnesium”"]);
    const [row] = await stored(author);
    const { text } = await send("/notifications", { cookie: author.cookie });
    expect(text).toContain("1 unread notification.");
    // Opening it lands on the first reply the member hasn't read.
    const opened = await send("/notifications", { cookie: author.cookie, form: { intent: "open", id: String(row!.id) } });
    expect(opened.response.headers.get("Location")).toBe(`/threads/${threadId}?page=1#post-${first}`);
  });

  it("is marked read by reading the thread, and the next reply starts a new group", async () => {
    const [author, bo, cy] = [await member(), await member(), await member()];
    const { threadId } = await createThread(as(author), "night-leg-cramps", { title: "Read me", body: "Opening." });
    await createReply(as(bo), threadId, "One.");
    await createReply(as(cy), threadId, "Two.");
    expect(await rowsSeen(author)).toEqual([`${cy.username} and 1 other replied in “Read me”`]);
    expect((await send(`/threads/${threadId}`, { cookie: author.cookie })).response.status).toBe(200);
    expect(await getUnreadCount(author.id)).toBe(0);
    const next = await createReply(as(bo), threadId, "Three.");
    expect(await getUnreadCount(author.id)).toBe(1);
    expect((await stored(author)).filter((n) => !n.readAt)).toMatchObject([{ kind: "reply", postId: next.postId, actorId: bo.id }]);
    expect(await rowsSeen(author)).toEqual([`${bo.username} replied in “Read me”`, `${cy.username} and 1 other replied in “Read me”`]);
  });

  it("is not marked read by a page before the group's first post", async () => {
    const [author, bo] = [await member(), await member()];
    const { threadId } = await createThread(as(author), "night-leg-cramps", { title: "Long one", body: "Opening." });
    // 50 posts fill page 1; the author has read them (their own reply marks it).
    for (let i = 0; i < 48; i++) await createReply(as(bo), threadId, `filler ${i}`);
    await createReply(as(author), threadId, "Caught up.");
    await createReply(as(bo), threadId, "Post 51, on page 2.");
    expect(await getUnreadCount(author.id)).toBe(1);
    await send(`/threads/${threadId}?page=1`, { cookie: author.cookie });
    expect(await getUnreadCount(author.id)).toBe(1);
    await send(`/threads/${threadId}?page=2`, { cookie: author.cookie });
    expect(await getUnreadCount(author.id)).toBe(0);
  });

  it("keeps mentions and quotes as rows of their own; the header counts rows", async () => {
    const [author, bo, cy] = [await member(), await member(), await member()];
    const { threadId, postId: opening } = await createThread(as(author), "night-leg-cramps", { title: "Mixed", body: "Opening." });
    await createReply(as(bo), threadId, "Plain reply.");
    await createReply(as(cy), threadId, `Asking @${author.username} directly.`);
    await createReply(as(bo), threadId, "Answering the opening post.", opening);
    await createReply(as(cy), threadId, "Another plain reply.");
    expect(await rowsSeen(author)).toEqual([
      `${cy.username} and 1 other replied in “Mixed”`,
      `${bo.username} answered your post in “Mixed”`,
      `${cy.username} mentioned you in “Mixed”`,
    ]);
    expect(await getUnreadCount(author.id)).toBe(3);
    // Reading the thread reads the group; a mention and an answer matter one by one.
    await send(`/threads/${threadId}`, { cookie: author.cookie });
    expect(await getUnreadCount(author.id)).toBe(2);
  });

  it("counts nobody the member muted or is in a block with, nor removed posts", async () => {
    const [owner, reader, bo, muted, blocked, gone, mod] = [
      await member(),
      await member(),
      await member(),
      await member(),
      await member(),
      await member(),
      await member("group_mod", "moderator"),
    ];
    const { threadId } = await createThread(as(owner), "night-leg-cramps", { title: "Counting", body: "Opening." });
    await createReply(as(reader), threadId, "Following along.");
    await muteMember(as(reader), muted.username);
    await blockMember(as(reader), blocked.username);
    await createReply(as(bo), threadId, "First.");
    const removed = await createReply(as(gone), threadId, "Soon removed.");
    await createReply(as(muted), threadId, "Muted words.");
    await createReply(as(blocked), threadId, "Blocked words.");
    await createReply(as(bo), threadId, "Second.");
    expect(await rowsSeen(reader)).toEqual([`${bo.username} and 1 other replied in “Counting”`]);
    await removePost(as(mod), removed.postId, "spam");
    expect(await rowsSeen(reader)).toEqual([`${bo.username} replied in “Counting”`]);
    expect(await getUnreadCount(reader.id)).toBe(1);
  });

  it("starts again from a post still shown when the group's first post was removed", async () => {
    const [author, bo, cy, mod] = [await member(), await member(), await member(), await member("regroup_mod", "moderator")];
    const { threadId } = await createThread(as(author), "night-leg-cramps", { title: "Regroup", body: "Opening." });
    const removed = await createReply(as(bo), threadId, "Soon removed.");
    await removePost(as(mod), removed.postId, "spam");
    expect(await rowsSeen(author)).toEqual([]);
    const next = await createReply(as(cy), threadId, "Still here.");
    expect(await rowsSeen(author)).toEqual([`${cy.username} replied in “Regroup”`]);
    expect((await stored(author)).filter((n) => n.kind === "reply")).toMatchObject([{ postId: next.postId }]);
  });
});
