// Every statement of a unit of work must go through its transaction's `tx`: on a pooled engine a
// statement on the module-level `db` would commit separately, miss uncommitted rows or wait on the
// pool. Outside production db/client.ts throws on any use of `db` inside an open transaction (and
// on any write on `db`), so running every unit of work here, end to end, is the check.
import { describe, expect, it, vi } from "vitest";

const guard = vi.hoisted(() => ({ mails: [] as string[] }));

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
const { updateProfileSettings } = await import("~/models/settings.server.ts");
const { confirmEmail, requestEmailChange, resendConfirmation } = await import("~/models/email-address.server.ts");
const { deliverDueMail, sweepOldMail } = await import("~/models/mail-outbox.server.ts");
const { articleSchema } = await import("~/utils/schemas.server.ts");
const { createReply, createThread, member } = await import("./helpers.ts");

const BOARD = "night-leg-cramps";

describe("every statement of a transaction goes through its tx", () => {
  it("posting, mentions, follower fan-out, edits, deletes and reads", async () => {
    const ada = await member();
    const bo = await member();
    const thread = await createThread(ada, BOARD, { title: "Magnesium at night?", body: "Has it helped anyone?" });
    await followThread(bo, thread.threadId);
    const reply = await createReply(bo, thread.threadId, `Some, @${ada.username}. Stretching helped more.`);
    await createReply(ada, thread.threadId, "Thanks, trying it tonight.", reply.postId);
    await editPost(bo, reply.postId, { body: `Some, @${ada.username}. Stretching helped more, and warmth.` });
    await deletePost(bo, reply.postId);
    await undeletePost(bo, reply.postId);
    await addReaction(ada, reply.postId, "support");
    await removeReaction(ada, reply.postId, "support");
    await savePost(ada, reply.postId);
    await unsavePost(ada, reply.postId);
    const [first] = (await listNotifications(ada.id, 1)).items;
    if (first) await openNotification(ada.id, first.id);
    await markAllNotificationsRead(ada.id);
    await unfollowThread(bo, thread.threadId);
  });

  it("moderation of posts, threads and members, reports and appeals", async () => {
    const mod = await member(undefined, "moderator");
    const cy = await member();
    const dee = await member();
    const thread = await createThread(cy, BOARD, { title: "Baclofen doses", body: "What worked for you?" });
    const reply = await createReply(dee, thread.threadId, "Ask your neurologist first.");
    await reportPost(cy, reply.postId, { reason: "spam" });
    await dismissReports(mod, reply.postId, "Fine as it is.");
    await reopenReports(mod, reply.postId);
    await removePost(mod, reply.postId, "Off topic");
    await restorePost(mod, reply.postId, "On second look, fine");
    await pinThread(mod, thread.threadId);
    await movePin(mod, thread.threadId, "up");
    await unpinThread(mod, thread.threadId);
    await moveThread(mod, thread.threadId, "fibromyalgia");
    await lockThread(mod, thread.threadId, "Cooling off");
    await unlockThread(mod, thread.threadId);
    await removeThread(mod, thread.threadId, "Duplicate");
    await restoreThread(mod, thread.threadId, "Not a duplicate");
    const note = await saveEvidenceNote(mod, thread.postId, { body: "See https://www.nice.org.uk/guidance/ng220 on spasticity." }, "http://localhost");
    expect(note).toMatchObject({ ok: true });
    await removeEvidenceNote(mod, thread.postId);
    await silenceMember(mod, dee.id, { duration: "7d", reason: "Heated replies" });
    await liftRestriction(mod, dee.id, "silence");
    await suspendMember(mod, dee.id, { duration: "7d", reason: "Repeated abuse", fromReportPostId: reply.postId });
    const token = (await prepareSuspensionNotice(dee.id))!.token!;
    expect(await submitAppeal(token, "I was upset; it will not happen again.")).toMatchObject({ ok: true });
    const appeal = (await db.select().from(appeals).where(eq(appeals.userId, dee.id)).limit(1))[0]!;
    expect(await decideAppeal(mod, appeal.id, "grant", "Welcome back.")).toMatchObject({ ok: true });

    await suspendMember(mod, cy.id, { duration: "7d", reason: "Spam links" });
    expect(await submitAppeal((await prepareSuspensionNotice(cy.id))!.token!, "Those were real studies.")).toMatchObject({ ok: true });
    const second = (await db.select().from(appeals).where(eq(appeals.userId, cy.id)).limit(1))[0]!;
    expect(await decideAppeal(mod, second.id, "deny", "They were ads.")).toMatchObject({ ok: true });
    await setRole(await member(undefined, "admin"), dee.id, "moderator");
  });

  it("articles: create, update, status, pins and related reading", async () => {
    const mod = await member(undefined, "moderator");
    const author = await member();
    const thread = await createThread(author, BOARD, { title: "Stretches?", body: "Which ones help?" });
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
    const created = await createArticle(mod, articleSchema.parse(form));
    if (!created.ok) throw new Error(JSON.stringify(created.errors));
    expect(await updateArticle(mod, created.slug, articleSchema.parse({ ...form, slug: created.slug, summary: "Updated summary." }))).toMatchObject({
      ok: true,
    });
    await moveArticlePin(mod, created.slug, BOARD, "up");
    await setArticleStatus(mod, created.slug, "draft");
    await setArticleStatus(mod, created.slug, "published");
    await linkArticleToThread(mod, thread.threadId, created.slug);
    await unlinkArticleFromThread(mod, thread.threadId, created.slug);
  });

  it("drafts, settings, password reset and account deletion", async () => {
    const eve = await member();
    const thread = await createThread(eve, BOARD, { title: "Heat packs", body: "Do they help?" });
    await saveDraft(eve, replyDraftKey(thread.threadId), { body: "Half a thought" });
    await discardDraft(eve, replyDraftKey(thread.threadId));
    await saveDraft(eve, threadDraftKey(BOARD), { title: "Later", body: "An idea for a thread" });
    await discardDraftById(eve, (await listDrafts(eve))[0]!.id);
    const kept = await keepPendingText(replyDraftKey(thread.threadId), { body: "Typed while logged out" });
    if (kept.ok) await claimPendingDraft(eve, kept.token);
    await updateProfileSettings(eve, {
      bio: "Night cramps since 2019.",
      conditionSlugs: [],
      bioVisibility: "everyone",
      conditionsVisibility: "everyone",
      joinedVisibility: "everyone",
    });

    await requestPasswordReset(`${eve.username}@example.org`, "http://localhost");
    await deliverDueMail();
    const token = /token=(\S+)/.exec(guard.mails.at(-1) ?? "")?.[1];
    expect(await resetPassword(token!, "warm bath before bed")).toMatchObject({ ok: true });
    expect(await requestEmailChange(eve, { email: `${eve.username}@example.net`, password: "warm bath before bed" })).toEqual({ ok: true, changing: true });
    expect(await resendConfirmation(eve)).toEqual({ ok: true });
    await deliverDueMail();
    const link = /email\/confirm\?token=(\S+)/.exec(guard.mails.at(-1) ?? "")?.[1];
    expect(await confirmEmail(link!)).toMatchObject({ ok: true, changed: true });
    await sweepOldMail();
    expect(await deleteAccount(eve, { password: "warm bath before bed", keepPosts: false })).toMatchObject({ ok: true });
  });
});
