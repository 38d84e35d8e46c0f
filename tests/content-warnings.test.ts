// Issue 28, item 3: content warnings. Who may set one, how each viewer's choice draws a warned
// post, and that the warned words appear nowhere without their label (search, feeds, lists, quotes).
import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { moderationLog, notifications, postRevisions, posts, warningPreferences } from "../db/schema.ts";
import { setPostWarning } from "~/models/content-warnings.server.ts";
import { getDraft, replyDraftKey } from "~/models/drafts.server.ts";
import { deletePost } from "~/models/posts.server.ts";
import { savePost } from "~/models/saved.server.ts";
import { searchForum } from "~/models/search.server.ts";
import * as boardFeed from "~/routes/boards.$slug.feed.tsx";
import * as notificationsPage from "~/routes/notifications.tsx";
import * as editRoute from "~/routes/posts.$postId.edit.tsx";
import * as historyRoute from "~/routes/posts.$postId.history.tsx";
import * as moderateRoute from "~/routes/posts.$postId.moderate.tsx";
import * as savedPage from "~/routes/saved.tsx";
import * as settingsRoute from "~/routes/settings.content-warnings.tsx";
import * as exportRoute from "~/routes/settings.export.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import * as transparency from "~/routes/transparency.tsx";
import * as profile from "~/routes/u.$username.tsx";
import { replySchema } from "~/utils/schemas.server.ts";
import { call, createReply, createThread, member, statusOf } from "./helpers.ts";

const SLUG = "night-leg-cramps";
const WORDS = "After the scan I sat in the car park and cried";

type Warning = { kind: string; label: string; display: string } | null;
type PagePost = { id: number; bodyHtml: string | null; warning: Warning };

async function threadPage(threadId: number, cookie?: string, query = "") {
  const res = await call(thread.loader, `/threads/${threadId}${query}`, { cookie, params: { threadId: String(threadId) } });
  expect(res.status).toBe(200);
  return res.json() as Promise<{ posts: PagePost[]; replyText: string | null; quoteWarning: { kind: string; text: string | null } | null }>;
}

async function reply(cookie: string, threadId: number, form: Record<string, string>) {
  return call(thread.action, `/threads/${threadId}`, { cookie, params: { threadId: String(threadId) }, form: { intent: "post", ...form } });
}

async function postRow(postId: number) {
  const [row] = await db.select({ kind: posts.warningKind, text: posts.warningText }).from(posts).where(eq(posts.id, postId));
  return row;
}

/** Ann starts a thread; Bo replies through the form with a self-harm warning. */
async function setUp() {
  const ann = await member();
  const bo = await member();
  const { threadId, postId: openingId } = await createThread(ann, SLUG, { title: "Hard news this week", body: "How do you all cope with results days?" });
  const res = await reply(bo.cookie, threadId, { body: WORDS, warningKind: "self-harm" });
  expect(res.status).toBe(302);
  const warned = (await threadPage(threadId, ann.cookie)).posts[1]!;
  return { ann, bo, threadId, openingId, postId: warned.id };
}

describe("the composer's content warning", () => {
  const parse = (form: Record<string, string>) => replySchema.safeParse({ body: "Words.", ...form });

  it("parses a preset kind or own words for Other, trimmed, and nothing for None", () => {
    expect(parse({ warningKind: "loss" }).data?.warning).toEqual({ kind: "loss", text: null });
    expect(parse({ warningKind: "other", warningText: "  surgery photos  " }).data?.warning).toEqual({ kind: "other", text: "surgery photos" });
    expect(parse({ warningKind: "", warningText: "" }).data?.warning).toBeNull();
    expect(parse({}).data?.warning).toBeNull();
  });

  it("refuses Other without words, words over the limit, control characters, words without Other and unknown kinds", () => {
    const fieldOf = (form: Record<string, string>) => parse(form).error?.issues[0]?.path[0];
    expect(fieldOf({ warningKind: "other", warningText: "   " })).toBe("warningText");
    expect(fieldOf({ warningKind: "other", warningText: "x".repeat(61) })).toBe("warningText");
    expect(parse({ warningKind: "other", warningText: "x".repeat(60) }).success).toBe(true);
    expect(fieldOf({ warningKind: "other", warningText: "x".repeat(100_000) })).toBe("warningText");
    expect(fieldOf({ warningKind: "other", warningText: "two\nlines" })).toBe("warningText");
    expect(fieldOf({ warningKind: "other", warningText: "abc\u202Eevil" })).toBe("warningText");
    expect(fieldOf({ warningKind: "self-harm", warningText: "also words" })).toBe("warningText");
    expect(fieldOf({ warningText: "words, no kind" })).toBe("warningText");
    expect(fieldOf({ warningKind: "spoilers" })).toBe("warningKind");
  });

  it("keeps what was typed, warning included, when a post is refused", async () => {
    const { bo, threadId } = await setUp();
    const res = await reply(bo.cookie, threadId, { body: "Another hard one.", warningKind: "other", warningText: "" });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.values).toMatchObject({ body: "Another hard one.", warningKind: "other" });
    expect(data.errors.warningText).toMatch(/few words/);
    // And the draft the refusal keeps has the warning too.
    expect(await getDraft(bo, replyDraftKey(threadId))).toMatchObject({ body: "Another hard one.", warningKind: "other" });
  });

  it("is kept with a saved draft", async () => {
    const { bo, threadId } = await setUp();
    const res = await reply(bo.cookie, threadId, { intent: "draft", body: "Half a thought", warningKind: "other", warningText: "scan results" });
    expect(res.status).toBe(200);
    expect(await getDraft(bo, replyDraftKey(threadId))).toMatchObject({ body: "Half a thought", warningKind: "other", warningText: "scan results" });
  });
});

describe("who may set a warning", () => {
  it("the author, on posting and by editing: set, changed, cleared, each earlier warning in the history", async () => {
    const { ann, bo, threadId, postId } = await setUp();
    expect(await postRow(postId)).toEqual({ kind: "self-harm", text: null });
    const edit = (form: Record<string, string>) =>
      call(editRoute.action, `/posts/${postId}/edit`, { cookie: bo.cookie, params: { postId: String(postId) }, form });
    expect((await edit({ intent: "post", body: WORDS, warningKind: "other", warningText: "a hard scan day" })).status).toBe(302);
    expect(await postRow(postId)).toEqual({ kind: "other", text: "a hard scan day" });
    expect((await edit({ intent: "post", body: WORDS, warningKind: "" })).status).toBe(302);
    expect(await postRow(postId)).toEqual({ kind: null, text: null });
    const versions = await db
      .select({ kind: postRevisions.warningKind, text: postRevisions.warningText })
      .from(postRevisions)
      .where(eq(postRevisions.postId, postId));
    expect(versions).toEqual([
      { kind: "self-harm", text: null },
      { kind: "other", text: "a hard scan day" },
    ]);
    const history = await (await call(historyRoute.loader, `/posts/${postId}/history`, { cookie: ann.cookie, params: { postId: String(postId) } })).json();
    expect(history.post.warning).toBeNull();
    expect(history.revisions.map((r: { warning: Warning }) => r.warning?.label)).toEqual(["a hard scan day", "Self-harm"]);
    // The author's own change is theirs, not a moderator's: nothing logged.
    expect(await db.select().from(moderationLog).where(eq(moderationLog.targetId, postId))).toEqual([]);
    expect((await threadPage(threadId)).posts[1]!.warning).toBeNull();
  });

  it("not another member, by the edit form or otherwise", async () => {
    const { ann, postId } = await setUp();
    const res = await call(editRoute.action, `/posts/${postId}/edit`, {
      cookie: ann.cookie,
      params: { postId: String(postId) },
      form: { intent: "post", body: "Rewritten", warningKind: "" },
    });
    expect(res.status).toBe(403);
    expect(await statusOf(setPostWarning(ann, postId, null))).toBe(403);
    expect(await statusOf(setPostWarning(null, postId, null))).toBe(403);
    expect(await postRow(postId)).toEqual({ kind: "self-harm", text: null });
  });

  it("a moderator, on anyone's post: logged, on /transparency, and the author told", async () => {
    const { ann, openingId, postId } = await setUp();
    const mod = await member(undefined, "moderator");
    const moderate = (id: number, form: Record<string, string>) =>
      call(moderateRoute.action, `/posts/${id}/moderate`, { cookie: mod.cookie, params: { postId: String(id) }, form: { intent: "warning", ...form } });
    expect((await moderate(openingId, { warningKind: "graphic" })).status).toBe(302);
    expect((await moderate(openingId, { warningKind: "other", warningText: "needle photos" })).status).toBe(302);
    expect((await moderate(postId, { warningKind: "" })).status).toBe(302);
    expect(await postRow(openingId)).toEqual({ kind: "other", text: "needle photos" });
    expect(await postRow(postId)).toEqual({ kind: null, text: null });

    const logged = await db
      .select({ action: moderationLog.action, targetId: moderationLog.targetId, reason: moderationLog.reason })
      .from(moderationLog)
      .where(inArray(moderationLog.targetId, [openingId, postId]))
      .orderBy(moderationLog.id);
    expect(logged).toEqual([
      { action: "add-warning", targetId: openingId, reason: "Graphic medical detail" },
      { action: "change-warning", targetId: openingId, reason: "needle photos" },
      { action: "remove-warning", targetId: postId, reason: "Was: Self-harm" },
    ]);
    const pub = await (await call(transparency.loader, "/transparency")).json();
    const shown = (pub.entries as { action: string; href: string | null }[]).filter((e) => e.action.endsWith("-warning")).slice(0, 3);
    expect(shown.map((e) => e.action)).toEqual(["remove-warning", "change-warning", "add-warning"]);
    expect(shown[0]!.href).toMatch(new RegExp(`^/threads/\\d+\\?page=1#post-${postId}$`));
    const told = await db.select({ text: notifications.text }).from(notifications).where(eq(notifications.userId, ann.id));
    expect(told.map((n) => n.text)).toContain("A moderator put a content warning on your post: Graphic medical detail.");

    // A bad form keeps the moderator's words, with the reason beside the field.
    const bad = await moderate(openingId, { warningKind: "other", warningText: "y".repeat(80) });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ intent: "warning", values: { warningText: "y".repeat(80) }, errors: { warningText: expect.any(String) } });
  });

  it("not a moderator on an admin's post, and nobody on a deleted one", async () => {
    const { bo, threadId, postId } = await setUp();
    const mod = await member(undefined, "moderator");
    const admin = await member(undefined, "admin");
    const adminPost = await createReply(admin, threadId, "Housekeeping note.");
    expect(await statusOf(setPostWarning(mod, adminPost.postId, { kind: "loss", text: null }))).toBe(403);
    await deletePost(bo, postId);
    expect(await statusOf(setPostWarning(mod, postId, null))).toBe(404);
  });
});

describe("how a warned post is shown", () => {
  const choose = (cookie: string, form: Record<string, string>) => call(settingsRoute.action, "/settings/content-warnings", { cookie, form });
  const all = (choice: string) => ({ "warning-self-harm": choice, "warning-graphic": choice, "warning-loss": choice, "warning-other": choice });

  it("collapsed for visitors and by default, open for 'always show', a stand-in for 'always hide', per kind", async () => {
    const { ann, threadId } = await setUp();
    const cy = await member();
    expect((await threadPage(threadId)).posts[1]!.warning).toEqual({ kind: "self-harm", label: "Self-harm", display: "collapsed" });
    expect((await threadPage(threadId, cy.cookie)).posts[1]!.warning?.display).toBe("collapsed");

    const saved = await choose(ann.cookie, { ...all("collapsed"), "warning-self-harm": "show" });
    expect(saved.headers.get("Location")).toBe("/settings?saved=content-warnings#content-warnings");
    expect((await threadPage(threadId, ann.cookie)).posts[1]!.warning?.display).toBe("open");

    await choose(cy.cookie, { ...all("show"), "warning-self-harm": "hide" });
    const hidden = (await threadPage(threadId, cy.cookie)).posts[1]!;
    expect(hidden.warning?.display).toBe("hidden");
    // The words stay in the page, inside the stand-in's <details>, for "show it" to open without a round trip.
    expect(hidden.bodyHtml).toContain("car park");
    // A page about that one post shows it collapsed: the member went there for it.
    const history = await (await call(historyRoute.loader, `/posts/${hidden.id}/history`, { cookie: cy.cookie, params: { postId: String(hidden.id) } })).json();
    expect(history.post.warning.display).toBe("collapsed");
    // Only the kinds chosen keep a row.
    expect(
      await db
        .select({ kind: warningPreferences.kind, choice: warningPreferences.choice })
        .from(warningPreferences)
        .where(eq(warningPreferences.userId, ann.id)),
    ).toEqual([{ kind: "self-harm", choice: "show" }]);
  });

  it("refuses a choice that isn't offered, keeping the others, and a visitor's save", async () => {
    const cy = await member();
    const res = await choose(cy.cookie, { ...all("hide"), "warning-loss": "shout" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ section: "content-warnings", errors: { loss: expect.any(String) }, values: { graphic: "hide", loss: "shout" } });
    expect(await db.select().from(warningPreferences).where(eq(warningPreferences.userId, cy.id))).toEqual([]);
    expect((await choose("", all("hide"))).status).toBe(302);
    expect((await choose("", all("hide"))).headers.get("Location")).toMatch(/^\/login/);
  });

  it("exports the member's choices and their posts' warnings", async () => {
    const { bo } = await setUp();
    await choose(bo.cookie, { ...all("collapsed"), "warning-loss": "hide" });
    const data = await (await call(exportRoute.loader, "/settings/export", { cookie: bo.cookie })).json();
    expect(data.settings.contentWarnings).toEqual({ "self-harm": "collapsed", graphic: "collapsed", loss: "hide", other: "collapsed" });
    expect(data.posts).toEqual([expect.objectContaining({ bodyMarkdown: WORDS, warningKind: "self-harm" })]);
  });
});

describe("the warned words never travel without their label", () => {
  it("search shows the label instead of an excerpt, for a matching post and for a title match", async () => {
    const { ann, threadId } = await setUp();
    const found = await searchForum({ q: "car park cried" });
    if (found.status !== "ok") throw new Error("no results");
    const hit = found.threads.find((t) => t.threadId === threadId)!;
    expect(hit.warning).toBe("Self-harm");
    expect(hit.snippet).toEqual([]);
    const other = await createThread(ann, SLUG, { title: "Zolpidrel dreams", body: "x" });
    await setPostWarning(ann, other.postId, { kind: "other", text: "vivid nightmares" });
    const byTitle = await searchForum({ q: "zolpidrel" });
    if (byTitle.status !== "ok") throw new Error("no results");
    expect(byTitle.threads[0]).toMatchObject({ threadId: other.threadId, warning: "vivid nightmares", snippet: [] });
  });

  it("a board feed carries the label as the summary, never the words", async () => {
    const ann = await member();
    const { postId } = await createThread(ann, "fibromyalgia", { title: "Results day", body: WORDS });
    await setPostWarning(ann, postId, { kind: "loss", text: null });
    const xml = await (await call(boardFeed.loader, "/boards/fibromyalgia/feed", { params: { slug: "fibromyalgia" } })).text();
    expect(xml).toContain("<summary>Content warning: Loss or grief. Open the post to read it.</summary>");
    expect(xml).not.toContain("car park");
  });

  it("notifications, saved posts and the author's profile name the post without its words", async () => {
    const { ann, bo, threadId, postId } = await setUp();
    const list = await (await call(notificationsPage.loader, "/notifications", { cookie: ann.cookie })).text();
    expect(list).toContain(`"threadTitle":"Hard news this week"`);
    expect(list).not.toContain("car park");
    await savePost(ann, postId);
    const saved = await (await call(savedPage.loader, "/saved", { cookie: ann.cookie })).json();
    expect(saved.items[0].excerpt).toBe("Content warning: Self-harm. Open the post to read it.");
    const page = await (await call(profile.loader, `/u/${bo.username}`, { params: { username: bo.username } })).text();
    expect(page).toContain("Content warning: Self-harm");
    expect(page).not.toContain("car park");

    // Quoting it: the label goes with the words, and the reply starts with the same warning.
    const quoting = await threadPage(threadId, ann.cookie, `?replyTo=${postId}&quote=1`);
    expect(quoting.replyText).toContain(`**${bo.username}** wrote in post 2 (content warning: Self-harm):`);
    expect(quoting.quoteWarning).toEqual({ kind: "self-harm", text: null });
  });
});
