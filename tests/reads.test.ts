import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { posts } from "../db/schema.ts";
import { afterPostCreated } from "~/models/notifications.server.ts";
import { firstUnreadNumber, firstUnreadPost, getBoardUnread, getLastReadNumber, getUnreadLinks, markThreadRead } from "~/models/reads.server.ts";
import { createThread, createReply, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

function start(author: M, title = "Baclofen and drowsiness") {
  return createThread(as(author), "medications", { title, body: `Does it get better? (${title})` });
}

let replies = 0;
// Distinct bodies: the same text twice in a row is treated as a double submit.
async function reply(author: M, threadId: number, body = `It did for me (${++replies}).`) {
  const { postId, number } = await createReply(as(author), threadId, body);
  await transaction((tx) => afterPostCreated(tx, { actorId: author.id, threadId, postId, number, bodyMarkdown: body }));
  return { postId, number };
}

describe("unread tracking", () => {
  it("never moves the read marker backwards", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId } = await start(author);
    for (let i = 0; i < 4; i++) await reply(author, threadId);
    await markThreadRead(reader.id, threadId, 4);
    await markThreadRead(reader.id, threadId, 2);
    expect(await getLastReadNumber(reader.id, threadId)).toBe(4);
    await markThreadRead(reader.id, threadId, 5);
    expect(await getLastReadNumber(reader.id, threadId)).toBe(5);
  });

  it("points at the first unread post, on the right page; nothing when all is read or never opened", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId } = await start(author);
    expect(await firstUnreadNumber(reader.id, threadId)).toBeNull();
    for (let i = 0; i < 52; i++) await createReply(as(author), threadId, `reply ${i}`);
    await markThreadRead(reader.id, threadId, 50);
    const first = (await firstUnreadPost(reader.id, threadId))!;
    const post51 = (await db.select().from(posts).where(eq(posts.threadId, threadId))).find((p) => p.number === 51)!;
    expect(first).toEqual({ number: 51, postId: post51.id, href: `/threads/${threadId}?page=2#post-${post51.id}` });
    expect(await getUnreadLinks(reader.id, [threadId])).toEqual({ [threadId]: first.href });
    await markThreadRead(reader.id, threadId, 53);
    expect(await firstUnreadNumber(reader.id, threadId)).toBeNull();
  });

  it("counts new visible replies per thread on a board list, only for threads the member has opened", async () => {
    const [author, reader] = [await member(), await member()];
    const a = await start(author, "Thread A here");
    const b = await start(author, "Thread B here");
    const c = await start(author, "Thread C here");
    await markThreadRead(reader.id, a.threadId, 1);
    await markThreadRead(reader.id, b.threadId, 1);
    await reply(author, a.threadId);
    const gone = await reply(author, a.threadId);
    await reply(author, a.threadId);
    await reply(author, c.threadId);
    await transaction((tx) => tx.update(posts).set({ removedAt: new Date() }).where(eq(posts.id, gone.postId)));
    expect(await getBoardUnread(reader.id, [a.threadId, b.threadId, c.threadId])).toEqual({ [a.threadId]: 2 });
    expect(await getBoardUnread(reader.id, [])).toEqual({});
  });

  it("doesn't mark a member's own reply as unread for them", async () => {
    const [author, replier] = [await member(), await member()];
    const { threadId } = await start(author);
    await markThreadRead(replier.id, threadId, 1);
    await reply(author, threadId);
    expect(await getBoardUnread(replier.id, [threadId])).toEqual({ [threadId]: 1 });
    await reply(replier, threadId);
    expect(await getBoardUnread(replier.id, [threadId])).toEqual({});
    expect(await getBoardUnread(author.id, [threadId])).toEqual({ [threadId]: 1 });
  });
});
