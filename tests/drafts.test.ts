import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { usesPostgres } from "../db/dialect.ts";
import { db, sqlite, transaction } from "../db/client.ts";
import { boards, drafts, posts, threads } from "../db/schema.ts";
import {
  claimPendingDraft,
  discardDraftById,
  draftHref,
  editDraftKey,
  getDraft,
  keepPendingText,
  listDrafts,
  parseDraftKey,
  replyDraftKey,
  saveDraft,
  threadDraftKey,
} from "~/models/drafts.server.ts";
import { removePost } from "~/models/moderation-posts.server.ts";
import { deletePost, undeletePost, UNDO_DELETE_MS } from "~/models/posts.server.ts";
import { getThreadPage } from "~/models/threads.server.ts";
import * as draftsRoute from "~/routes/drafts.tsx";
import * as saveRoute from "~/routes/drafts.save.tsx";
import * as newThread from "~/routes/boards.$slug.new.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import * as deleteRoute from "~/routes/posts.$postId.delete.tsx";
import * as editRoute from "~/routes/posts.$postId.edit.tsx";
import { BODY_MAX } from "~/utils/limits.ts";
import { consume, limiters } from "~/utils/rate-limit.server.ts";
import { call, createReply, createThread, keptTextCookie, member } from "./helpers.ts";

const SLUG = "night-leg-cramps";

function draftRows(userId: number) {
  return db.select({ key: drafts.key, title: drafts.title, body: drafts.body }).from(drafts).where(eq(drafts.userId, userId));
}

async function threadBy(name?: string) {
  const author = await member(name);
  const { threadId, postId } = await createThread(author, SLUG, { title: "Cramps at 3 a.m.", body: "Every night this week." });
  return { author, threadId, postId };
}

describe("drafts model", () => {
  it("saves, replaces, restores, lists and discards a member's draft", async () => {
    const ada = await member();
    const { threadId } = await threadBy();
    await saveDraft(ada, threadDraftKey(SLUG), { title: "Magnesium?", body: "First try" });
    await saveDraft(ada, threadDraftKey(SLUG), { title: "Magnesium?", body: "Second try" });
    await saveDraft(ada, replyDraftKey(threadId), { body: "Same here." });
    expect(await getDraft(ada, threadDraftKey(SLUG))).toMatchObject({ title: "Magnesium?", body: "Second try" });
    const list = await listDrafts(ada);
    expect(list.map((d) => [d.where, d.href])).toEqual(
      expect.arrayContaining([
        ["New thread in Night & leg cramps", `/boards/${SLUG}/new`],
        ["Reply to “Cramps at 3 a.m.”", `/threads/${threadId}#reply-heading`],
      ]),
    );
    expect(list).toHaveLength(2);
    await discardDraftById(ada, list.find((d) => d.key === threadDraftKey(SLUG))!.id);
    expect(await getDraft(ada, threadDraftKey(SLUG))).toBeNull();
    expect(await draftRows(ada.id)).toEqual([{ key: replyDraftKey(threadId), title: null, body: "Same here." }]);
  });

  it("keeps no blank drafts and refuses keys for forms that don't exist", async () => {
    const bo = await member();
    await saveDraft(bo, threadDraftKey(SLUG), { title: "t", body: "b" });
    expect(await saveDraft(bo, threadDraftKey(SLUG), { title: "  ", body: "\n" })).toBeNull();
    expect(await draftRows(bo.id)).toEqual([]);
    await expect(saveDraft(bo, "thread:no-such-board", { body: "x" })).rejects.toBeInstanceOf(Response);
    await expect(saveDraft(bo, "reply:999999", { body: "x" })).rejects.toBeInstanceOf(Response);
    await expect(saveDraft(bo, "edit:1; drop table", { body: "x" })).rejects.toBeInstanceOf(Response);
  });

  it("keeps each member's drafts to themselves", async () => {
    const cy = await member();
    const dee = await member();
    await saveDraft(cy, threadDraftKey(SLUG), { title: "Private", body: "Only mine" });
    expect(await getDraft(dee, threadDraftKey(SLUG))).toBeNull();
    expect(await listDrafts(dee)).toEqual([]);
    const id = (await listDrafts(cy))[0]!.id;
    const res = await call(draftsRoute.action, "/drafts", { cookie: dee.cookie, form: { intent: "discard", id: String(id) } });
    expect(res.status).toBe(403);
    expect(await call(draftsRoute.action, "/drafts", { cookie: dee.cookie, form: { intent: "discard", id: "987654" } })).toHaveProperty("status", 404);
    expect(await getDraft(cy, threadDraftKey(SLUG))).toMatchObject({ body: "Only mine" });
    const page = await (await call(draftsRoute.loader, "/drafts", { cookie: dee.cookie })).json();
    expect(page.drafts).toEqual([]);
  });
});

describe("composer forms", () => {
  it("saves a draft without JavaScript, shows it again on the form, and discards it once posted", async () => {
    const eve = await member();
    const params = { slug: SLUG };
    const saved = await call(newThread.action, `/boards/${SLUG}/new`, {
      cookie: eve.cookie,
      params,
      form: { intent: "draft", title: "Hot water bottle", body: "Half written" },
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ values: { title: "Hot water bottle", body: "Half written" }, draftSaved: expect.any(String) });
    const form = await (await call(newThread.loader, `/boards/${SLUG}/new`, { cookie: eve.cookie, params })).json();
    expect(form.draft).toMatchObject({ title: "Hot water bottle", body: "Half written" });

    const posted = await call(newThread.action, `/boards/${SLUG}/new`, {
      cookie: eve.cookie,
      params,
      form: { intent: "post", title: "Hot water bottle", body: "Half written, now whole." },
    });
    expect(posted.status).toBe(302);
    expect(await draftRows(eve.id)).toEqual([]);
  });

  it("keeps the text as a draft when posting fails", async () => {
    const fay = await member();
    const { threadId } = await threadBy();
    await transaction((tx) => tx.update(threads).set({ lockedAt: new Date(), lockReason: "cooling off" }).where(eq(threads.id, threadId)));
    const res = await call(thread.action, `/threads/${threadId}`, {
      cookie: fay.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "post", body: "My long reply that must not vanish." },
    });
    expect(res.status).toBe(403);
    expect(await draftRows(fay.id)).toEqual([{ key: replyDraftKey(threadId), title: null, body: "My long reply that must not vanish." }]);
  });

  // Counts writes with a SQLite TEMP trigger; the composer's logic is the same on PostgreSQL.
  it.skipIf(usesPostgres())("writes no draft for a reply that goes through, and discards one saved before", async () => {
    const gil = await member();
    const { threadId } = await threadBy();
    const params = { threadId: String(threadId) };
    // Every write to the table, whether or not its row is still there afterwards. Raw SQLite: a
    // TEMP trigger lives on one connection, and writes run on the writer.
    sqlite.writer.exec(`CREATE TEMP TABLE draft_writes (user_id INTEGER);
      CREATE TEMP TRIGGER draft_inserted AFTER INSERT ON main.drafts BEGIN INSERT INTO draft_writes VALUES (new.user_id); END;
      CREATE TEMP TRIGGER draft_updated AFTER UPDATE ON main.drafts BEGIN INSERT INTO draft_writes VALUES (new.user_id); END;`);
    const writes = () => (sqlite.writer.prepare("SELECT count(*) AS n FROM draft_writes WHERE user_id = ?").get(gil.id) as { n: number }).n;
    try {
      const posted = await call(thread.action, `/threads/${threadId}`, { cookie: gil.cookie, params, form: { intent: "post", body: "Straight through." } });
      expect(posted.status).toBe(302);
      expect(writes()).toBe(0);

      await call(thread.action, `/threads/${threadId}`, { cookie: gil.cookie, params, form: { intent: "draft", body: "Saved for later." } });
      expect(await draftRows(gil.id)).toHaveLength(1);
      const later = await call(thread.action, `/threads/${threadId}`, {
        cookie: gil.cookie,
        params,
        form: { intent: "post", body: "Saved for later, now sent." },
      });
      expect(later.status).toBe(302);
      expect(writes()).toBe(1);
      expect(await draftRows(gil.id)).toEqual([]);
    } finally {
      sqlite.writer.exec("DROP TRIGGER draft_inserted; DROP TRIGGER draft_updated; DROP TABLE draft_writes;");
    }
  });

  it("keeps the text as a draft when a post is refused for its length or for posting too much", async () => {
    const hal = await member();
    const { threadId } = await threadBy();
    const params = { threadId: String(threadId) };
    const tooLong = `My whole night, written out. ${"Still cramping. ".repeat(1400)}`;
    const refused = await call(thread.action, `/threads/${threadId}`, { cookie: hal.cookie, params, form: { intent: "post", body: tooLong } });
    expect(refused.status).toBe(400);
    // A draft keeps as much as a post may hold.
    expect(await draftRows(hal.id)).toEqual([{ key: replyDraftKey(threadId), title: null, body: tooLong.slice(0, BODY_MAX) }]);

    await consume(limiters.newMemberPosts, hal.id, limiters.newMemberPosts.points);
    const limited = await call(newThread.action, `/boards/${SLUG}/new`, {
      cookie: hal.cookie,
      params: { slug: SLUG },
      form: { intent: "post", title: "Warm bath before bed", body: "It helps me most nights." },
    });
    expect(limited.status).toBe(429);
    expect(await draftRows(hal.id)).toContainEqual({ key: threadDraftKey(SLUG), title: "Warm bath before bed", body: "It helps me most nights." });
  });

  it("autosave answers with JSON, and never redirects a logged-out writer", async () => {
    const gus = await member();
    const { threadId } = await threadBy();
    const ok = await call(saveRoute.action, "/drafts/save", { cookie: gus.cookie, form: { key: replyDraftKey(threadId), autosave: "1", body: "typing…" } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ savedAt: expect.any(String) });
    expect(await getDraft(gus, replyDraftKey(threadId))).toMatchObject({ body: "typing…" });
    const out = await call(saveRoute.action, "/drafts/save", { form: { key: replyDraftKey(threadId), autosave: "1", body: "typing…" } });
    expect(out.status).toBe(401);
    const plain = await call(saveRoute.action, "/drafts/save", { cookie: gus.cookie, form: { key: replyDraftKey(threadId), body: "plain post" } });
    expect(plain.headers.get("Location")).toBe(`/threads/${threadId}#reply-heading`);
  });
});

async function deletedAt(postId: number) {
  const [post] = await db.select({ deletedAt: posts.deletedAt }).from(posts).where(eq(posts.id, postId));
  return post!.deletedAt;
}

describe("restoring a deleted post", () => {
  async function counts(threadId: number) {
    const [t] = await db.select({ replyCount: threads.replyCount, boardId: threads.boardId }).from(threads).where(eq(threads.id, threadId));
    const [b] = await db.select({ postCount: boards.postCount }).from(boards).where(eq(boards.id, t!.boardId));
    return { replies: t!.replyCount, boardPosts: b!.postCount };
  }

  const HOUR = 60 * 60 * 1000;

  it("is offered to the author for 24 hours, not 10 seconds, and restores the counts", async () => {
    expect(UNDO_DELETE_MS).toBe(24 * HOUR);
    const { author, threadId } = await threadBy();
    const { postId } = await createReply(author, threadId, "Oops, wrong button.");
    const before = await counts(threadId);
    const t0 = new Date();
    await deletePost(author, postId, t0);
    expect(await counts(threadId)).toEqual({ replies: before.replies - 1, boardPosts: before.boardPosts - 1 });
    // Long after the old 10 seconds (a night's sleep later), the placeholder still offers it.
    const later = new Date(t0.getTime() + 23 * HOUR);
    const page = await getThreadPage(threadId, 1, author, later);
    expect(page.posts.find((p) => p.id === postId)).toMatchObject({ deleted: true, undoUntil: new Date(t0.getTime() + 24 * HOUR).toISOString() });
    // Others never see the Restore, and can't use it.
    const other = await member();
    expect((await getThreadPage(threadId, 1, other, t0)).posts.find((p) => p.id === postId)!.undoUntil).toBeNull();
    await expect(undeletePost(other, postId, t0)).rejects.toBeInstanceOf(Response);

    await undeletePost(author, postId, new Date(t0.getTime() + 24 * HOUR - 1));
    expect(await deletedAt(postId)).toBeNull();
    expect(await counts(threadId)).toEqual(before);
  });

  it("a second Delete (a double tap) changes nothing and doesn't move the window", async () => {
    const { author, threadId } = await threadBy();
    const { postId } = await createReply(author, threadId, "Tapped twice.");
    const before = await counts(threadId);
    const t0 = new Date();
    await deletePost(author, postId, t0);
    expect(await deletePost(author, postId, new Date(t0.getTime() + 5 * HOUR))).toMatchObject({ threadId });
    expect(await deletedAt(postId)).toEqual(t0);
    expect(await counts(threadId)).toEqual({ replies: before.replies - 1, boardPosts: before.boardPosts - 1 });
  });

  it("is refused after 24 hours with a kind 410 that leads back to the thread, and the post stays deleted", async () => {
    const { author, threadId } = await threadBy();
    const { postId, number } = await createReply(author, threadId, "Really gone.");
    const t0 = new Date();
    await deletePost(author, postId, t0);
    expect((await getThreadPage(threadId, 1, author, new Date(t0.getTime() + 24 * HOUR))).posts.find((p) => p.id === postId)!.undoUntil).toBeNull();
    let refused: unknown;
    try {
      await undeletePost(author, postId, new Date(t0.getTime() + 24 * HOUR));
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(410);
    const data = await (refused as Response).json();
    expect(data).toMatchObject({ reason: "restore-expired", threadId, postId, number, body: "Really gone." });
    expect(data.message).toMatch(/more than 24 hours since you deleted this post/);
    expect(data.message).not.toMatch(/10 seconds|not allowed/i);
    expect(await deletedAt(postId)).toEqual(t0);
  });

  it("is not offered to, nor allowed for, an author whose account is read-only", async () => {
    const { author, threadId } = await threadBy();
    const { postId } = await createReply(author, threadId, "Said in haste.");
    const t0 = new Date();
    await deletePost(author, postId, t0);
    const silenced = { ...author, silencedUntil: new Date(t0.getTime() + HOUR) };
    expect((await getThreadPage(threadId, 1, silenced, t0)).posts.find((p) => p.id === postId)!.undoUntil).toBeNull();
    await expect(undeletePost(silenced, postId, t0)).rejects.toBeInstanceOf(Response);
    expect(await deletedAt(postId)).toEqual(t0);
  });

  it("the delete route deletes at once and undoes with intent=undo", async () => {
    const { author, threadId } = await threadBy();
    const { postId } = await createReply(author, threadId, "Round trip.");
    const params = { postId: String(postId) };
    const del = await call(deleteRoute.action, `/posts/${postId}/delete`, { cookie: author.cookie, params, form: { intent: "delete" } });
    expect(del.status).toBe(302);
    expect(await deletedAt(postId)).toBeInstanceOf(Date);
    const undo = await call(deleteRoute.action, `/posts/${postId}/delete`, { cookie: author.cookie, params, form: { intent: "undo" } });
    expect(undo.status).toBe(302);
    expect(await deletedAt(postId)).toBeNull();
  });
});

describe("drafts of an edit", () => {
  async function postBody(postId: number) {
    const [post] = await db.select({ body: posts.bodyMarkdown }).from(posts).where(eq(posts.id, postId));
    return post!.body;
  }

  function edit(cookie: string | undefined, postId: number, form: Record<string, string>, query = "") {
    return call(editRoute.action, `/posts/${postId}/edit${query}`, { cookie, params: { postId: String(postId) }, form });
  }

  function editForm(cookie: string, postId: number, query = "") {
    return call(editRoute.loader, `/posts/${postId}/edit${query}`, { cookie, params: { postId: String(postId) } });
  }

  it("has its own key, linked to the edit page", () => {
    expect(editDraftKey(42)).toBe("edit:42");
    expect(parseDraftKey("edit:42")).toEqual({ kind: "edit", postId: 42 });
    expect(draftHref("edit:42")).toBe("/posts/42/edit");
    for (const bad of ["edit:0", "edit:-1", "edit:4x", "edit:", "edit:9999999999999999", "edits:42"]) {
      expect(parseDraftKey(bad), bad).toBeNull();
      expect(draftHref(bad), bad).toBe("/");
    }
  });

  it("saves without JavaScript, reopens the edit form with it, and is listed on /drafts", async () => {
    const { author, threadId, postId } = await threadBy();
    const saved = await edit(author.cookie, postId, { intent: "draft", title: "Cramps at 3 a.m., solved?", body: "Halfway through rewriting" });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ draftSaved: expect.any(String) });
    expect(await draftRows(author.id)).toEqual([{ key: editDraftKey(postId), title: "Cramps at 3 a.m., solved?", body: "Halfway through rewriting" }]);
    // The post itself is untouched until "Save changes".
    expect(await postBody(postId)).toBe("Every night this week.");

    const form = await (await editForm(author.cookie, postId)).json();
    expect(form.post).toMatchObject({ id: postId, body: "Every night this week.", title: "Cramps at 3 a.m." });
    expect(form.draft).toMatchObject({ title: "Cramps at 3 a.m., solved?", body: "Halfway through rewriting" });

    const list = await (await call(draftsRoute.loader, "/drafts", { cookie: author.cookie })).json();
    expect(list.drafts).toEqual([expect.objectContaining({ where: "Edit of your post in “Cramps at 3 a.m.”", href: `/posts/${postId}/edit`, note: null })]);

    // Autosave goes through /drafts/save like the other forms.
    const reply = await createReply(author, threadId, "A reply of mine.");
    const auto = await call(saveRoute.action, "/drafts/save", {
      cookie: author.cookie,
      form: { key: editDraftKey(reply.postId), autosave: "1", body: "Autosaved edit" },
    });
    expect(auto.status).toBe(200);
    expect(await getDraft(author, editDraftKey(reply.postId))).toMatchObject({ title: null, body: "Autosaved edit" });
  });

  it("belongs only to the post's author", async () => {
    const { author, postId } = await threadBy();
    const other = await member();
    await expect(saveDraft(other, editDraftKey(postId), { body: "Not my post" })).rejects.toBeInstanceOf(Response);
    expect((await edit(other.cookie, postId, { intent: "draft", body: "Not my post" })).status).toBe(403);
    const auto = await call(saveRoute.action, "/drafts/save", {
      cookie: other.cookie,
      form: { key: editDraftKey(postId), autosave: "1", body: "Not my post" },
    });
    expect(auto.status).toBe(403);
    expect((await editForm(other.cookie, postId)).status).toBe(403);
    await expect(saveDraft(other, editDraftKey(987654), { body: "No such post" })).rejects.toBeInstanceOf(Response);
    // Text posted logged out to someone else's edit form never becomes a stranger's draft.
    const kept = await keepPendingText(editDraftKey(postId), { body: "Sneaky" });
    if (!kept.ok) throw new Error("not kept");
    const token = kept.token;
    expect(await claimPendingDraft(other, token)).toBeNull();
    expect(await draftRows(other.id)).toEqual([]);
    // ...and the token is spent, so the author can't be handed it later either.
    expect(await claimPendingDraft(author, token)).toBeNull();
    expect(await draftRows(author.id)).toEqual([]);
  });

  it("is discarded by a successful Save changes, or on request", async () => {
    const { author, threadId, postId } = await threadBy();
    const reply = await createReply(author, threadId, "First words.");
    await saveDraft(author, editDraftKey(reply.postId), { body: "Better words." });
    const saved = await edit(author.cookie, reply.postId, { intent: "post", body: "Better words." });
    expect(saved.status).toBe(302);
    expect(await postBody(reply.postId)).toBe("Better words.");
    expect(await draftRows(author.id)).toEqual([]);

    // A failed save keeps it.
    await saveDraft(author, editDraftKey(postId), { title: "Cramps", body: "x" });
    const refused = await edit(author.cookie, postId, { intent: "post", title: "", body: "Title left empty" });
    expect(refused.status).toBe(400);
    expect(await getDraft(author, editDraftKey(postId))).toMatchObject({ body: "Title left empty" });

    const discarded = await edit(author.cookie, postId, { intent: "discard-draft", title: "ignored", body: "ignored" });
    expect(discarded.headers.get("Location")).toBe(`/posts/${postId}/edit?discarded=1`);
    expect(await draftRows(author.id)).toEqual([]);
    expect(await postBody(postId)).toBe("Every night this week.");
    expect((await (await editForm(author.cookie, postId)).json()).draft).toBeNull();
  });

  it("keeps the text when the session expired, and restores it into the edit form after login", async () => {
    const { author, postId } = await threadBy();
    const res = await edit(undefined, postId, { intent: "post", title: "Cramps at 3 a.m. (update)", body: "Edited while my session ran out." });
    expect(res.status).toBe(302);
    const login = new URL(res.headers.get("Location")!, "http://localhost");
    expect(login.pathname).toBe("/login");
    const back = new URL(login.searchParams.get("redirectTo")!, "http://localhost");
    expect(back.pathname).toBe(`/posts/${postId}/edit`);
    expect(await postBody(postId)).toBe("Every night this week.");

    const claimed = await editForm(`${author.cookie}; ${keptTextCookie(res)}`, postId, back.search);
    expect(claimed.status).toBe(302);
    expect(claimed.headers.get("Location")).toBe(`/posts/${postId}/edit`);
    const form = await (await editForm(author.cookie, postId)).json();
    expect(form.draft).toMatchObject({ title: "Cramps at 3 a.m. (update)", body: "Edited while my session ran out." });
    expect(await claimPendingDraft(author, back.searchParams.get("restore")!)).toBeNull();
  });

  it("of a post since removed or deleted is kept on /drafts in full, but not offered for editing", async () => {
    const { author, threadId, postId } = await threadBy();
    const mod = await member(undefined, "moderator");
    const long = `A long careful edit. ${"More words. ".repeat(40)}`;
    await saveDraft(author, editDraftKey(postId), { title: "Cramps", body: long });
    await removePost(mod, postId, "off-topic");
    expect((await editForm(author.cookie, postId)).status).toBe(403);
    const [item] = (await (await call(draftsRoute.loader, "/drafts", { cookie: author.cookie })).json()).drafts;
    expect(item).toMatchObject({
      where: "Edit of your post in “Cramps at 3 a.m.”",
      href: null,
      excerpt: long,
      note: expect.stringContaining("can't be edited now"),
    });

    // Pressing Save changes on the removed post is refused, but the text stays as the draft.
    const refused = await edit(author.cookie, postId, { intent: "post", title: "Cramps", body: "Last version" });
    expect(refused.status).toBe(403);
    expect(await getDraft(author, editDraftKey(postId))).toMatchObject({ body: "Last version" });

    const reply = await createReply(author, threadId, "Soon deleted.");
    await saveDraft(author, editDraftKey(reply.postId), { body: "Edit of a soon deleted reply" });
    await deletePost(author, reply.postId);
    expect((await listDrafts(author)).find((d) => d.key === editDraftKey(reply.postId))).toMatchObject({ href: null });
  });
});
