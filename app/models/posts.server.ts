/** Writing posts: a new thread with its opening post, replies, and the author's edits, deletes and restores. */
import { eq, sql } from "drizzle-orm";
import { db, forUpdate, transaction, type Executor, type Tx } from "../../db/client.ts";
import { boards, postRevisions, posts, threads } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { renderMarkdown } from "../utils/markdown.server.ts";
import { canEditPost, canParticipate, canReply, isStaff, type Actor } from "../utils/permissions.ts";
import { answersBlockedPost, BLOCKED_POST, refuseBlockedThread } from "./blocks.server.ts";
import { getBoard } from "./boards.server.ts";
import type { PostWarning } from "./content-warnings.server.ts";
import { hasAcceptedGuidelines } from "./guidelines.server.ts";
import { afterPostCreated, afterPostEdited } from "./notifications.server.ts";
import { checkNewPost, flagAtRisk } from "./safety.server.ts";
import { resolveTags, setThreadTagIds } from "./tags.server.ts";
import { threadStateColumns, requireReadablePost, requireReadableThread } from "./visibility.server.ts";

type Author = NonNullable<Actor>;

/** A post's warning columns: text only with "other" (the zod schema has checked it). */
const warningColumns = (warning: PostWarning | null | undefined) => ({
  warningKind: warning?.kind ?? null,
  warningText: warning?.kind === "other" ? warning.text : null,
});

function assertCanParticipate(actor: Actor) {
  if (!canParticipate(actor)) forbidden("Your account is read-only for now, so you can't post, reply, react or report.");
}

export type PostResult = { ok: false; errors: Record<string, string> } | { ok: true; threadId: number; postId: number; number: number; atRisk: boolean };

/**
 * The checks every new post passes inside its transaction: the guidelines accepted, the
 * new-member link limit, and the duplicate guard (a double submit lands on the first post).
 */
async function preflight(actor: Author, body: string, tx: Tx) {
  if (!(await hasAcceptedGuidelines(actor.id, tx))) {
    return { ok: false as const, errors: { form: "Please read and accept the community guidelines before your first post. Your text is kept below." } };
  }
  return checkNewPost(actor, { body }, tx);
}

/**
 * A new thread. Where the board lets its author choose who reads it, `readers` must say
 * ("members" or "everyone"); elsewhere the board decides and `readers` is ignored.
 */
export async function createThread(
  actor: Author,
  boardSlug: string,
  input: { title: string; body: string; warning?: PostWarning | null; readers?: string; tags?: string[] },
): Promise<PostResult> {
  assertCanParticipate(actor);
  const board = await getBoard(boardSlug);
  const choosing = board.access === "author-choice";
  if (choosing && input.readers !== "members" && input.readers !== "everyone") {
    return { ok: false, errors: { readers: "Choose who can read this thread: only members, or everyone." } };
  }
  const membersOnly = choosing && input.readers === "members";
  const bodyHtml = renderMarkdown(input.body);
  return transaction(async (tx): Promise<PostResult> => {
    const check = await preflight(actor, input.body, tx);
    if (!check.ok) return check;
    if (check.duplicate) return { ok: true, ...check.duplicate, atRisk: false };
    const chosenTags = await resolveTags(tx, input.tags ?? []);
    if (!chosenTags.ok) return { ok: false, errors: { tags: chosenTags.error } };
    const now = new Date();
    const [thread] = await tx
      .insert(threads)
      .values({
        boardId: board.id,
        authorId: actor.id,
        title: input.title,
        createdAt: now,
        lastPostAt: now,
        lastPosterId: actor.id,
        postCount: 1,
        membersOnly,
      })
      .returning({ id: threads.id });
    const [post] = await tx
      .insert(posts)
      .values({ threadId: thread!.id, authorId: actor.id, number: 1, bodyMarkdown: input.body, bodyHtml, createdAt: now, ...warningColumns(input.warning) })
      .returning({ id: posts.id });
    await setThreadTagIds(tx, thread!.id, chosenTags.ids);
    await afterPostCreated(tx, { actorId: actor.id, threadId: thread!.id, postId: post!.id, number: 1, bodyMarkdown: input.body });
    if (check.atRisk) await flagAtRisk(tx, post!.id);
    // Last: every post on the board updates this one row, so on PostgreSQL its lock is held only
    // from here to the commit, not through the notifications above.
    await tx
      .update(boards)
      .set({
        threadCount: sql`${boards.threadCount} + 1`,
        postCount: sql`${boards.postCount} + 1`,
        lastPostAt: now,
      })
      .where(eq(boards.id, board.id));
    return { ok: true, threadId: thread!.id, postId: post!.id, number: 1, atRisk: check.atRisk };
  });
}

export async function createReply(
  actor: Author,
  threadId: number,
  body: string,
  replyToPostId?: number | null,
  warning?: PostWarning | null,
): Promise<PostResult> {
  assertCanParticipate(actor);
  const bodyHtml = renderMarkdown(body);
  return transaction(async (tx): Promise<PostResult> => {
    // The thread row is locked first: on PostgreSQL a concurrent reply to it waits here, then sees
    // this one's post in its duplicate check (SQLite's transactions already run one at a time).
    const [thread] = await forUpdate(
      tx
        .select({
          id: threads.id,
          boardId: threads.boardId,
          lockedAt: threads.lockedAt,
          ...threadStateColumns(),
        })
        .from(threads)
        .where(eq(threads.id, threadId))
        .limit(1),
    );
    if (!thread) notFound("There is no thread at this address.");
    requireReadableThread(actor, thread);
    // Its author may still read a removed thread, but only staff may answer in it.
    if (thread.removedAt && !isStaff(actor)) forbidden("This thread was removed, so new replies are closed.");
    if (!canReply(actor, thread)) forbidden("This thread is locked, so new replies are closed.");
    // A block either way with the thread's author, or with the post answered (decision 032).
    await refuseBlockedThread(actor, thread.authorId, tx);
    if (await answersBlockedPost(actor, replyToPostId, tx)) return { ok: false, errors: { form: BLOCKED_POST } };
    const check = await preflight(actor, body, tx);
    if (!check.ok) return check;
    if (check.duplicate) return { ok: true, ...check.duplicate, atRisk: false };
    const now = new Date();
    // The post's number comes from the counter's own update: exact under concurrent replies on an
    // engine with row locks too, where a number read earlier in the transaction could be taken.
    const [counted] = await tx
      .update(threads)
      .set({ postCount: sql`${threads.postCount} + 1`, replyCount: sql`${threads.replyCount} + 1`, lastPostAt: now, lastPosterId: actor.id })
      .where(eq(threads.id, threadId))
      .returning({ number: threads.postCount });
    const number = counted!.number;
    const [post] = await tx
      .insert(posts)
      .values({ threadId, authorId: actor.id, number, bodyMarkdown: body, bodyHtml, createdAt: now, ...warningColumns(warning) })
      .returning({ id: posts.id });
    await afterPostCreated(tx, { actorId: actor.id, threadId, postId: post!.id, number, bodyMarkdown: body, replyToPostId });
    if (check.atRisk) await flagAtRisk(tx, post!.id);
    // Last, as in createThread: the board's row is the one every reply on the board waits for.
    await tx
      .update(boards)
      .set({ postCount: sql`${boards.postCount} + 1`, lastPostAt: now })
      .where(eq(boards.id, thread.boardId));
    return { ok: true, threadId, postId: post!.id, number, atRisk: check.atRisk };
  });
}

/** Says which rule refused an edit: "only the author" is wrong, and unsettling, for the author. */
function whyNotEditable(actor: Actor, post: { authorId: number; removedAt: Date | null; deletedAt: Date | null }) {
  if (actor?.id !== post.authorId) return "Only the author can edit this post.";
  if (post.removedAt) return "Moderators removed this post, so it can no longer be edited.";
  if (post.deletedAt) return "This post was deleted, so it can no longer be edited.";
  return "Your account can't edit posts at the moment.";
}

/** The author's own live post, words included, in a thread they may open (visibility.server.ts). */
async function requireEditablePost(actor: Actor, postId: number, executor: Executor = db) {
  const post = await requireReadablePost(actor, postId, executor);
  if (!canEditPost(actor, post) || post.bodyMarkdown === null || post.bodyHtml === null) forbidden(whyNotEditable(actor, post));
  return { ...post, bodyMarkdown: post.bodyMarkdown, bodyHtml: post.bodyHtml };
}

/** The post as its author edits it (markdown included). Only the author may load it. */
export async function getPostForEdit(actor: Actor, postId: number) {
  const post = await requireEditablePost(actor, postId);
  return {
    id: post.id,
    threadId: post.threadId,
    number: post.number,
    body: post.bodyMarkdown,
    title: post.number === 1 ? post.threadTitle : null,
    warningKind: post.warningKind,
    warningText: post.warningText,
  };
}

/** The author's edit. `warning` left out keeps the post's warning; null clears it. */
export async function editPost(actor: Actor, postId: number, input: { body: string; title?: string; warning?: PostWarning | null }) {
  const bodyHtml = renderMarkdown(input.body);
  return transaction(async (tx) => {
    const post = await requireEditablePost(actor, postId, tx);
    const isOpening = post.number === 1;
    await tx.insert(postRevisions).values({
      postId,
      title: isOpening ? post.threadTitle : null,
      bodyMarkdown: post.bodyMarkdown,
      bodyHtml: post.bodyHtml,
      warningKind: post.warningKind,
      warningText: post.warningText,
      writtenAt: post.editedAt ?? post.createdAt,
    });
    const warning = input.warning === undefined ? {} : warningColumns(input.warning);
    await tx
      .update(posts)
      .set({ bodyMarkdown: input.body, bodyHtml, editedAt: new Date(), ...warning })
      .where(eq(posts.id, postId));
    if (isOpening && input.title !== undefined) {
      await tx.update(threads).set({ title: input.title }).where(eq(threads.id, post.threadId));
    }
    // Only the author gets here (canEditPost), so the author is the one who mentions.
    await afterPostEdited(tx, {
      actorId: post.authorId,
      threadId: post.threadId,
      postId,
      previousMarkdown: post.bodyMarkdown,
      bodyMarkdown: input.body,
    });
    return { threadId: post.threadId, number: post.number };
  });
}

/** Soft delete: the row stays so the thread reads on, shown as "deleted by its author". */
export async function deletePost(actor: Actor, postId: number, now = new Date()) {
  return transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    // A second tap (a spasm, or a form sent twice) finds it already deleted: not an error,
    // and the first deletedAt stands, so the restore window isn't moved.
    if (post.deletedAt && canParticipate(actor) && actor!.id === post.authorId) {
      return { threadId: post.threadId, number: post.number };
    }
    if (!canEditPost(actor, post)) forbidden("Only the author can delete this post.");
    await tx.update(posts).set({ deletedAt: now }).where(eq(posts.id, postId));
    // Counts show what members can read; the opening post is not a reply.
    if (post.number > 1) {
      await tx
        .update(threads)
        .set({ replyCount: sql`${threads.replyCount} - 1` })
        .where(eq(threads.id, post.threadId));
    }
    await tx
      .update(boards)
      .set({ postCount: sql`${boards.postCount} - 1` })
      .where(eq(boards.id, post.boardId));
    return { threadId: post.threadId, number: post.number };
  });
}

/**
 * How long an author may restore their own deleted post: 24 hours. Delete acts at once (no
 * "are you sure?" to fight past with a shaking hand), so the way back has to outlast a slip
 * noticed late: after a cramp, a night's sleep, a day of fatigue or fog (WCAG 2.2.1 asks at
 * least 20 seconds of any timed step). It matches Discourse's window to "recover" a post, and
 * keeps "deleted" meaning deleted soon enough for a member who regrets sharing something.
 */
export const UNDO_DELETE_MS = 24 * 60 * 60 * 1000;

/** Until when the author can restore a post deleted at `deletedAt`, or null once that has passed. */
export function restorableUntil(deletedAt: Date, now: Date) {
  const until = deletedAt.getTime() + UNDO_DELETE_MS;
  return now.getTime() < until ? new Date(until) : null;
}

/** A post's stored markdown, for its author only (undeletePost checks), whatever the visibility rule hides. */
async function ownWords(tx: Tx, postId: number) {
  const [row] = await tx.select({ body: posts.bodyMarkdown }).from(posts).where(eq(posts.id, postId)).limit(1);
  return row?.body ?? "";
}

/** What a Restore pressed too late answers (410): the route's error boundary shows it. */
export type RestoreExpired = { reason: "restore-expired"; message: string; threadId: number; postId: number; number: number; body: string };

/**
 * Restores the author's own deleted post within UNDO_DELETE_MS (deleting happens at once, with
 * no confirmation, so a slip of a spastic hand is not final), and the counters with it. Later,
 * a 410 that says so plainly, leads back to the thread and gives the author their own text to
 * copy: the post stays deleted, but what they wrote isn't lost to them.
 */
export async function undeletePost(actor: Actor, postId: number, now = new Date()) {
  return transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    if (!actor || actor.id !== post.authorId) forbidden("Only the author can restore this post.");
    if (!canParticipate(actor)) forbidden("Your account is read-only for now, so you can't restore posts.");
    // A second click (or a replayed form) after the restore already worked is not an error.
    if (!post.deletedAt) return { threadId: post.threadId, number: post.number };
    if (!restorableUntil(post.deletedAt, now)) {
      const expired: RestoreExpired = {
        reason: "restore-expired",
        message: `It's been more than ${UNDO_DELETE_MS / 3_600_000} hours since you deleted this post, so it can't be restored any more. It stays deleted; others see only that it was deleted by its author.`,
        threadId: post.threadId,
        postId: post.id,
        number: post.number,
        // Deleted words are shown to nobody, but this is the author, losing the way back: their own text.
        body: await ownWords(tx, postId),
      };
      throw Response.json(expired, { status: 410, statusText: "Gone" });
    }
    await tx.update(posts).set({ deletedAt: null }).where(eq(posts.id, postId));
    if (post.number > 1) {
      await tx
        .update(threads)
        .set({ replyCount: sql`${threads.replyCount} + 1` })
        .where(eq(threads.id, post.threadId));
    }
    await tx
      .update(boards)
      .set({ postCount: sql`${boards.postCount} + 1` })
      .where(eq(boards.id, post.boardId));
    return { threadId: post.threadId, number: post.number };
  });
}
