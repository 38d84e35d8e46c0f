// Two processes reply to one thread at the same moment, as two app servers would: every reply
// gets its own number, none is lost, the counters agree, and a double submit from both lands once.
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { closeDatabase, databasePath, db } from "../db/client.ts";
import { boards, posts, threads } from "../db/schema.ts";
import { createThread, member } from "./helpers.ts";
import { startReplyWriter } from "./reply-writer-process.ts";

const PER_WRITER = 40;

describe("two processes replying to one thread at once", () => {
  it("numbers every reply once, loses none, keeps the counters exact and the duplicate guard whole", async () => {
    const authors = [await member(), await member(), await member()];
    const thread = await createThread(authors[0]!, "night-leg-cramps", { title: "Both servers at once", body: "Reply here, everyone." });
    const [boardBefore] = await db.select({ postCount: boards.postCount }).from(boards).where(eq(boards.slug, "night-leg-cramps"));
    const start = join(tmpdir(), `unclench-start-${process.pid}-${Date.now()}`);
    const args = [String(thread.threadId), String(PER_WRITER), start, ...authors.map((a) => String(a.id))];
    const running = ["a", "b"].map((label) => startReplyWriter(label, args, { DATABASE_PATH: databasePath() }));
    await Promise.all(running.map((w) => w.loaded));
    writeFileSync(start, "go");
    const answered = (await Promise.all(running.map((w) => w.answered))).flat();

    expect(answered.filter((r) => r.refused)).toEqual([]);
    const rows = await db.select({ id: posts.id, number: posts.number, body: posts.bodyMarkdown }).from(posts).where(eq(posts.threadId, thread.threadId));
    const replies = 2 * PER_WRITER + 1;
    expect(rows).toHaveLength(1 + replies);
    expect(rows.map((r) => r.number).sort((a, b) => a - b)).toEqual(Array.from({ length: 1 + replies }, (_, i) => i + 1));
    // Every reply answered as made is in the database, under the number it was given.
    const byId = new Map(rows.map((r) => [r.id, r.number]));
    for (const r of answered) expect(byId.get(r.postId!)).toBe(r.number);
    expect(rows.filter((r) => r.body.startsWith("The same words"))).toHaveLength(1);

    const [after] = await db.select({ postCount: threads.postCount, replyCount: threads.replyCount }).from(threads).where(eq(threads.id, thread.threadId));
    expect(after).toEqual({ postCount: 1 + replies, replyCount: replies });
    const [boardAfter] = await db.select({ postCount: boards.postCount }).from(boards).where(eq(boards.slug, "night-leg-cramps"));
    expect(boardAfter!.postCount - boardBefore!.postCount).toBe(replies);
    await closeDatabase();
  }, 60_000);
});
