import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { posts } from "../db/schema.ts";
import * as deleteRoute from "~/routes/posts.$postId.delete.tsx";
import * as react from "~/routes/posts.$postId.react.tsx";
import * as follow from "~/routes/threads.$threadId_.follow.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import { call, createReply, createThread, member } from "./helpers.ts";

describe("undo instead of fear", () => {
  it("taking back a reaction happens at once and the thread offers Undo, which puts it back", async () => {
    const author = await member();
    const reader = await member();
    const { threadId, postId } = await createThread(author, "fibromyalgia", { title: "Pacing on bad days", body: "Little and often." });
    const params = { postId: String(postId) };
    await call(react.action, `/posts/${postId}/react`, { cookie: reader.cookie, params, form: { add: "support" } });
    const taken = await call(react.action, `/posts/${postId}/react`, { cookie: reader.cookie, params, form: { remove: "support" } });
    const location = taken.headers.get("Location")!;
    expect(location).toMatch(/[?&]undo=reaction%3A\d+%3Asupport&at=\d+#post-\d+$/);

    const page = await (await call(thread.loader, location.split("#")[0]!, { cookie: reader.cookie, params: { threadId: String(threadId) } })).json();
    expect(page.undo).toEqual({ kind: "reaction", postId, reaction: "support", label: "Sending support" });
    expect(page.reactions[postId].counts.support).toBe(0);

    await call(react.action, `/posts/${postId}/react`, { cookie: reader.cookie, params, form: { add: "support" } });
    const after = await (await call(thread.loader, `/threads/${threadId}`, { cookie: reader.cookie, params: { threadId: String(threadId) } })).json();
    expect(after.reactions[postId]).toMatchObject({ mine: ["support"] });
    expect(after.undo).toBeNull();
  });

  it("the delete page asks first with a plain glimpse of the post, and only its author may open it", async () => {
    const author = await member();
    const { postId } = await createThread(author, "fibromyalgia", { title: "Heat pads", body: "**Heat** pads help me at [night](https://example.org)." });
    const params = { postId: String(postId) };
    const page = await (await call(deleteRoute.loader, `/posts/${postId}/delete`, { cookie: author.cookie, params })).json();
    expect(page.excerpt).toBe("Heat pads help me at night.");
    const other = await member();
    expect((await call(deleteRoute.loader, `/posts/${postId}/delete`, { cookie: other.cookie, params })).status).toBe(403);
  });

  it("offers Undo after unfollowing, but not once the 10 seconds have passed", async () => {
    const author = await member();
    const { threadId } = await createThread(author, "neuropathy", { title: "Burning feet at night", body: "Cold floor helps." });
    const res = await call(follow.action, `/threads/${threadId}/follow`, {
      cookie: author.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "unfollow" },
    });
    const fresh = res.headers.get("Location")!.split("#")[0]!;
    const page = await (await call(thread.loader, fresh, { cookie: author.cookie, params: { threadId: String(threadId) } })).json();
    expect(page).toMatchObject({ following: false, undo: { kind: "unfollow" } });
    const stale = fresh.replace(/at=\d+/, `at=${Date.now() - 11_000}`);
    const later = await (await call(thread.loader, stale, { cookie: author.cookie, params: { threadId: String(threadId) } })).json();
    expect(later.undo).toBeNull();
  });
});

describe("deleting your own post: Restore for a day, not 10 seconds", () => {
  const HOUR = 60 * 60 * 1000;
  const deletedAt = async (postId: number) => (await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId)).limit(1))[0]!.deletedAt;
  /** As if the delete had happened `ms` ago: the server's clock can't be moved, the row's time can. */
  const deletedAgo = (postId: number, ms: number) =>
    transaction((tx) =>
      tx
        .update(posts)
        .set({ deletedAt: new Date(Date.now() - ms) })
        .where(eq(posts.id, postId)),
    );

  async function deletedReply() {
    const author = await member();
    const { threadId } = await createThread(author, "ms-spasticity", { title: "Baclofen timing", body: "Morning or night?" });
    const { postId } = await createReply(author, threadId, "Deleted with a shaking hand.");
    const params = { postId: String(postId) };
    const del = await call(deleteRoute.action, `/posts/${postId}/delete`, { cookie: author.cookie, params, form: { intent: "delete" } });
    expect(del.headers.get("Location")).toBe(`/threads/${threadId}?page=1#post-${postId}`);
    return { author, threadId, postId, params };
  }

  it("the thread still offers Restore to the author 3 hours later, and it works", async () => {
    const { author, threadId, postId, params } = await deletedReply();
    await deletedAgo(postId, 3 * HOUR);
    const page = await (await call(thread.loader, `/threads/${threadId}`, { cookie: author.cookie, params: { threadId: String(threadId) } })).json();
    const placeholder = page.posts.find((p: { id: number }) => p.id === postId);
    expect(placeholder).toMatchObject({ deleted: true, bodyHtml: null });
    expect(new Date(placeholder.undoUntil).getTime()).toBeGreaterThan(Date.now() + 20 * HOUR);
    const restored = await call(deleteRoute.action, `/posts/${postId}/delete`, { cookie: author.cookie, params, form: { intent: "undo" } });
    expect(restored.status).toBe(302);
    expect(await deletedAt(postId)).toBeNull();
  });

  it("after 24 hours Restore answers 410 with the way back to the thread and the author's own text, never a 500", async () => {
    const { author, threadId, postId, params } = await deletedReply();
    await deletedAgo(postId, 25 * HOUR);
    const page = await (await call(thread.loader, `/threads/${threadId}`, { cookie: author.cookie, params: { threadId: String(threadId) } })).json();
    expect(page.posts.find((p: { id: number }) => p.id === postId).undoUntil).toBeNull();
    const late = await call(deleteRoute.action, `/posts/${postId}/delete`, { cookie: author.cookie, params, form: { intent: "undo" } });
    expect(late.status).toBe(410);
    expect(await late.json()).toMatchObject({
      reason: "restore-expired",
      threadId,
      postId,
      number: 2,
      body: "Deleted with a shaking hand.",
      message: expect.stringContaining("can't be restored any more"),
    });
    expect(await deletedAt(postId)).toBeInstanceOf(Date);
  });
});
