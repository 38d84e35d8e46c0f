import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { posts, reactions, users } from "../db/schema.ts";
import { getReactions, getThreadViewerState } from "~/models/reactions.server.ts";
import { muteMember } from "~/models/mutes.server.ts";
import * as react from "~/routes/posts.$postId.react.tsx";
import { call, createThread, createReply, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

function start(author: M) {
  return createThread(as(author), "fibromyalgia", { title: "What helps on flare days", body: "Heat pads for me." });
}

function send(who: M | null, postId: number, intent: string, kind: string) {
  return call(react.action, `/posts/${postId}/react`, {
    cookie: who?.cookie,
    params: { postId: String(postId) },
    // As the reaction bar's buttons send it.
    form: { [intent]: kind },
  });
}

describe("reactions", () => {
  it("adds each kind at most once per member, takes it back, and returns to the post's anchor", async () => {
    const [author, reader, other] = [await member(), await member(), await member()];
    const { threadId, postId } = await start(author);
    const res = await send(reader, postId, "add", "helpful");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe(`/threads/${threadId}?page=1#post-${postId}`);
    await send(reader, postId, "add", "helpful");
    await send(reader, postId, "add", "support");
    await send(other, postId, "add", "helpful");
    expect((await getReactions(reader.id, [postId]))[postId]).toEqual({
      counts: { helpful: 2, "me-too": 0, support: 1 },
      mine: ["helpful", "support"],
    });
    await send(reader, postId, "remove", "helpful");
    expect((await getReactions(reader.id, [postId]))[postId]).toEqual({
      counts: { helpful: 1, "me-too": 0, support: 1 },
      mine: ["support"],
    });
    expect(await db.select().from(reactions).where(eq(reactions.postId, postId))).toHaveLength(2);
  });

  it("refuses reactions to one's own post", async () => {
    const author = await member();
    const { postId } = await start(author);
    const res = await send(author, postId, "add", "me-too");
    expect(res.status).toBe(403);
    expect((await db.select().from(reactions)).filter((r) => r.postId === postId)).toEqual([]);
  });

  it("refuses reactions to removed and deleted posts", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId, postId } = await start(author);
    const { postId: deleted } = await createReply(as(author), threadId, "Never mind.");
    await transaction(async (tx) => {
      await tx.update(posts).set({ removedAt: new Date(), removalReason: "spam" }).where(eq(posts.id, postId));
      await tx.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deleted));
    });
    expect((await send(reader, postId, "add", "helpful")).status).toBe(403);
    expect((await send(reader, deleted, "add", "helpful")).status).toBe(403);
    expect((await db.select().from(reactions)).filter((r) => r.postId === postId || r.postId === deleted)).toEqual([]);
  });

  it("refuses reactions from a silenced member", async () => {
    const [author, quiet] = [await member(), await member()];
    const { postId } = await start(author);
    await transaction((tx) => tx.update(users).set({ silencedAt: new Date(), silencedUntil: null, silenceReason: "cool-off" }).where(eq(users.id, quiet.id)));
    expect((await send(quiet, postId, "add", "helpful")).status).toBe(403);
  });

  it("sends visitors to log in, rejects unknown kinds with 400 and 404s unknown posts", async () => {
    const [author, reader] = [await member(), await member()];
    const { threadId, postId } = await start(author);
    const visitor = await send(null, postId, "add", "helpful");
    expect(visitor.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/threads/${threadId}?page=1#post-${postId}`)}`);
    expect((await send(reader, postId, "add", "love")).status).toBe(400);
    expect((await send(reader, 999999, "add", "helpful")).status).toBe(404);
  });

  it("a GET of the reaction URL just goes to the post and changes nothing", async () => {
    const author = await member();
    const { threadId, postId } = await start(author);
    const res = await call(react.loader, `/posts/${postId}/react?intent=add&kind=helpful`, { params: { postId: String(postId) } });
    expect(res.headers.get("Location")).toBe(`/threads/${threadId}?page=1#post-${postId}`);
    expect((await db.select().from(reactions)).filter((r) => r.postId === postId)).toEqual([]);
  });
});

describe("the thread page's personal state", () => {
  it("has counts for visitors and the viewer's own reactions, follow state and mutes for members", async () => {
    const [author, reader, pest] = [await member(), await member(), await member()];
    const { threadId, postId } = await start(author);
    await send(reader, postId, "add", "me-too");
    await muteMember(as(reader), pest.username);
    expect(await getThreadViewerState(null, threadId, [postId])).toEqual({
      reactions: { [postId]: { counts: { helpful: 0, "me-too": 1, support: 0 }, mine: [] } },
      following: false,
      mutedUserIds: [],
    });
    const state = await getThreadViewerState(reader, threadId, [postId]);
    expect(state.reactions[postId]!.mine).toEqual(["me-too"]);
    expect(state.mutedUserIds).toEqual([pest.id]);
    expect(state.following).toBe(false);
  });
});
