import { describe, expect, it } from "vitest";
import * as react from "~/routes/posts.$postId.react.tsx";
import * as follow from "~/routes/threads.$threadId_.follow.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import { call, createThread, member } from "./helpers.ts";

describe("undo instead of fear", () => {
  it("taking back a reaction happens at once and the thread offers Undo, which puts it back", async () => {
    const author = await member();
    const reader = await member();
    const { threadId, postId } = createThread(author, "fibromyalgia", { title: "Pacing on bad days", body: "Little and often." });
    const params = { postId: String(postId) };
    await call(react.action, `/posts/${postId}/react`, { cookie: reader.cookie, params, form: { intent: "add", kind: "support" } });
    const taken = await call(react.action, `/posts/${postId}/react`, { cookie: reader.cookie, params, form: { intent: "remove", kind: "support" } });
    const location = taken.headers.get("Location")!;
    expect(location).toMatch(/[?&]undo=reaction%3A\d+%3Asupport&at=\d+#post-\d+$/);

    const page = await (await call(thread.loader, location.split("#")[0]!, { cookie: reader.cookie, params: { threadId: String(threadId) } })).json();
    expect(page.undo).toEqual({ kind: "reaction", postId, reaction: "support", label: "Sending support" });
    expect(page.reactions[postId].counts.support).toBe(0);

    await call(react.action, `/posts/${postId}/react`, { cookie: reader.cookie, params, form: { intent: "add", kind: "support" } });
    const after = await (await call(thread.loader, `/threads/${threadId}`, { cookie: reader.cookie, params: { threadId: String(threadId) } })).json();
    expect(after.reactions[postId]).toMatchObject({ mine: ["support"] });
    expect(after.undo).toBeNull();
  });

  it("offers Undo after unfollowing, but not once the 10 seconds have passed", async () => {
    const author = await member();
    const { threadId } = createThread(author, "neuropathy", { title: "Burning feet at night", body: "Cold floor helps." });
    const res = await call(follow.action, `/threads/${threadId}/follow`, { cookie: author.cookie, params: { threadId: String(threadId) }, form: { intent: "unfollow" } });
    const fresh = res.headers.get("Location")!.split("#")[0]!;
    const page = await (await call(thread.loader, fresh, { cookie: author.cookie, params: { threadId: String(threadId) } })).json();
    expect(page).toMatchObject({ following: false, undo: { kind: "unfollow" } });
    const stale = fresh.replace(/at=\d+/, `at=${Date.now() - 11_000}`);
    const later = await (await call(thread.loader, stale, { cookie: author.cookie, params: { threadId: String(threadId) } })).json();
    expect(later.undo).toBeNull();
  });
});
