// Every statement of a unit of work must go through its transaction's `tx`. On SQLite there is
// one connection, so a statement on the module-level `db` inside a transaction still lands in it;
// on a pooled engine it would commit separately, miss uncommitted rows or wait on the pool.
// This file swaps the module `db` for a guard that records any use while a transaction is open.
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Executor } from "../db/client.ts";

const guard = vi.hoisted(() => ({ depth: 0, violations: [] as string[], mails: [] as string[] }));

function record(what: string) {
  // The first frames inside app/ say where the statement was written and who called it.
  const frames = (new Error().stack ?? "").split("\n").filter((line) => line.includes("/app/"));
  guard.violations.push(
    `${what} ${frames
      .slice(0, 3)
      .map((line) => line.trim().replace(/^at /, ""))
      .join(" < ")}`,
  );
}

vi.mock("../db/client.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../db/client.ts")>();
  const db = new Proxy(real.db, {
    get(target, prop) {
      if (guard.depth > 0) record(`db.${String(prop)}`);
      if (prop === "transaction") {
        return (work: (tx: unknown) => unknown, config?: unknown) =>
          target.transaction((tx) => {
            guard.depth++;
            try {
              return work(tx);
            } finally {
              guard.depth--;
            }
          }, config as never);
      }
      const value = Reflect.get(target, prop, target) as unknown;
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  // A prepared query runs where its caller says: on `db` while a transaction is open, that is wrong.
  const prepared = <T>(build: (executor: Executor) => T) => {
    const query = real.prepared(build);
    return (executor: Executor) => {
      if (guard.depth > 0 && executor === db) record("prepared query on db");
      return query(executor);
    };
  };
  // bestEffort writes on the module connection, outside any transaction.
  const bestEffort = (write: () => unknown) => {
    if (guard.depth > 0) record("bestEffort");
    real.bestEffort(write);
  };
  return { ...real, db, prepared, bestEffort };
});

vi.mock("../app/utils/mail.server.ts", async (importOriginal) => {
  const real = await importOriginal<typeof import("../app/utils/mail.server.ts")>();
  return { ...real, sendMail: async (message: { text: string }) => void guard.mails.push(message.text) };
});

const { eq } = await import("drizzle-orm");
const { db } = await import("../db/client.ts");
const { appeals } = await import("../db/schema.ts");
const { deleteAccount } = await import("~/models/account.server.ts");
const { decideAppeal, prepareSuspensionNotice, submitAppeal } = await import("~/models/appeals.server.ts");
const { createArticle, setArticleStatus, updateArticle } = await import("~/models/article-editing.server.ts");
const { moveArticlePin } = await import("~/models/article-pins.server.ts");
const { linkArticleToThread, unlinkArticleFromThread } = await import("~/models/article-related.server.ts");
const { claimPendingDraft, discardDraft, discardDraftById, keepPendingText, listDrafts, replyDraftKey, saveDraft, threadDraftKey } =
  await import("~/models/drafts.server.ts");
const { removeEvidenceNote, saveEvidenceNote } = await import("~/models/evidence-notes.server.ts");
const { followThread, unfollowThread } = await import("~/models/follows.server.ts");
const { liftRestriction, setRole, silenceMember, suspendMember } = await import("~/models/moderation-members.server.ts");
const { dismissReports, removePost, reopenReports, restorePost } = await import("~/models/moderation-posts.server.ts");
const { lockThread, movePin, moveThread, pinThread, removeThread, restoreThread, unlockThread, unpinThread } =
  await import("~/models/moderation-threads.server.ts");
const { listNotifications, markAllNotificationsRead, openNotification } = await import("~/models/notifications.server.ts");
const { requestPasswordReset, resetPassword } = await import("~/models/password-reset.server.ts");
const { deletePost, editPost, undeletePost } = await import("~/models/posts.server.ts");
const { addReaction, removeReaction } = await import("~/models/reactions.server.ts");
const { reportPost } = await import("~/models/reports.server.ts");
const { savePost, unsavePost } = await import("~/models/saved.server.ts");
const { changeEmail, updateProfileSettings } = await import("~/models/settings.server.ts");
const { articleSchema } = await import("~/utils/schemas.server.ts");
const { createReply, createThread, member } = await import("./helpers.ts");

const BOARD = "night-leg-cramps";

afterEach(() => {
  const violations = guard.violations.splice(0);
  expect(violations).toEqual([]);
});

describe("every statement of a transaction goes through its tx", () => {
  it("posting, mentions, follower fan-out, edits, deletes and reads", async () => {
    const ada = await member();
    const bo = await member();
    const thread = createThread(ada, BOARD, { title: "Magnesium at night?", body: "Has it helped anyone?" });
    followThread(bo, thread.threadId);
    const reply = createReply(bo, thread.threadId, `Some, @${ada.username}. Stretching helped more.`);
    createReply(ada, thread.threadId, "Thanks, trying it tonight.", reply.postId);
    editPost(bo, reply.postId, { body: `Some, @${ada.username}. Stretching helped more, and warmth.` });
    deletePost(bo, reply.postId);
    undeletePost(bo, reply.postId);
    addReaction(ada, reply.postId, "support");
    removeReaction(ada, reply.postId, "support");
    savePost(ada, reply.postId);
    unsavePost(ada, reply.postId);
    const [first] = listNotifications(ada.id, 1).items;
    if (first) openNotification(ada.id, first.id);
    markAllNotificationsRead(ada.id);
    unfollowThread(bo, thread.threadId);
  });

  it("moderation of posts, threads and members, reports and appeals", async () => {
    const mod = await member(undefined, "moderator");
    const cy = await member();
    const dee = await member();
    const thread = createThread(cy, BOARD, { title: "Baclofen doses", body: "What worked for you?" });
    const reply = createReply(dee, thread.threadId, "Ask your neurologist first.");
    reportPost(cy, reply.postId, { reason: "spam" });
    dismissReports(mod, reply.postId, "Fine as it is.");
    reopenReports(mod, reply.postId);
    removePost(mod, reply.postId, "Off topic");
    restorePost(mod, reply.postId, "On second look, fine");
    pinThread(mod, thread.threadId);
    movePin(mod, thread.threadId, "up");
    unpinThread(mod, thread.threadId);
    moveThread(mod, thread.threadId, "fibromyalgia");
    lockThread(mod, thread.threadId, "Cooling off");
    unlockThread(mod, thread.threadId);
    removeThread(mod, thread.threadId, "Duplicate");
    restoreThread(mod, thread.threadId, "Not a duplicate");
    const note = saveEvidenceNote(mod, thread.postId, { body: "See https://www.nice.org.uk/guidance/ng220 on spasticity." }, "http://localhost");
    expect(note).toMatchObject({ ok: true });
    removeEvidenceNote(mod, thread.postId);
    silenceMember(mod, dee.id, { duration: "7d", reason: "Heated replies" });
    liftRestriction(mod, dee.id, "silence");
    suspendMember(mod, dee.id, { duration: "7d", reason: "Repeated abuse", fromReportPostId: reply.postId });
    const token = prepareSuspensionNotice(dee.id)!.token!;
    expect(submitAppeal(token, "I was upset; it will not happen again.")).toMatchObject({ ok: true });
    const appeal = db.select().from(appeals).where(eq(appeals.userId, dee.id)).get()!;
    expect(decideAppeal(mod, appeal.id, "grant", "Welcome back.")).toMatchObject({ ok: true });

    suspendMember(mod, cy.id, { duration: "7d", reason: "Spam links" });
    expect(submitAppeal(prepareSuspensionNotice(cy.id)!.token!, "Those were real studies.")).toMatchObject({ ok: true });
    const second = db.select().from(appeals).where(eq(appeals.userId, cy.id)).get()!;
    expect(decideAppeal(mod, second.id, "deny", "They were ads.")).toMatchObject({ ok: true });
    setRole(await member(undefined, "admin"), dee.id, "moderator");
  });

  it("articles: create, update, status, pins and related reading", async () => {
    const mod = await member(undefined, "moderator");
    const author = await member();
    const thread = createThread(author, BOARD, { title: "Stretches?", body: "Which ones help?" });
    const form = {
      title: "Calf stretches that help",
      slug: "",
      summary: "A short guide to stretches for night cramps.",
      body: "## Why stretch\n\nStretching may help [1].",
      references: "authors: NICE\ntitle: Multiple sclerosis in adults: management\nsource: NICE\nyear: 2022\nurl: https://www.nice.org.uk/guidance/ng220",
      author: "Unclench editorial team",
      reviewer: "Dr A. Patel, consultant neurologist",
      lastReviewedOn: "2026-01-10",
      nextReviewDueOn: "2027-01-10",
      status: "published",
      [`pin-${BOARD}`]: "on",
    };
    const created = createArticle(mod, articleSchema.parse(form));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(updateArticle(mod, created.slug, articleSchema.parse({ ...form, slug: created.slug, summary: "Updated summary." }))).toMatchObject({ ok: true });
    moveArticlePin(mod, created.slug, BOARD, "up");
    setArticleStatus(mod, created.slug, "draft");
    setArticleStatus(mod, created.slug, "published");
    linkArticleToThread(mod, thread.threadId, created.slug);
    unlinkArticleFromThread(mod, thread.threadId, created.slug);
  });

  it("drafts, settings, password reset and account deletion", async () => {
    const eve = await member();
    const thread = createThread(eve, BOARD, { title: "Heat packs", body: "Do they help?" });
    saveDraft(eve, replyDraftKey(thread.threadId), { body: "Half a thought" });
    discardDraft(eve, replyDraftKey(thread.threadId));
    saveDraft(eve, threadDraftKey(BOARD), { title: "Later", body: "An idea for a thread" });
    discardDraftById(eve, listDrafts(eve)[0]!.id);
    const kept = keepPendingText(replyDraftKey(thread.threadId), { body: "Typed while logged out" });
    if (kept.ok) claimPendingDraft(eve, kept.token);
    updateProfileSettings(eve, { bio: "Night cramps since 2019.", conditionSlugs: [], profileHidden: false });

    await requestPasswordReset(`${eve.username}@example.org`, "http://localhost").delivery;
    const token = /token=(\S+)/.exec(guard.mails.at(-1) ?? "")?.[1];
    expect(await resetPassword(token!, "warm bath before bed")).toMatchObject({ ok: true });
    expect(await changeEmail(eve, { email: `${eve.username}@example.net`, password: "warm bath before bed" })).toEqual({ ok: true });
    expect(await deleteAccount(eve, { password: "warm bath before bed", keepPosts: false })).toMatchObject({ ok: true });
  });
});
