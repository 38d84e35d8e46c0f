/** Writing posts: a new thread with its opening post, replies, and the author's edits, deletes and restores. */
import { eq, sql } from "drizzle-orm";
import { db, forUpdate, transaction, type Executor, type Tx } from "../../db/client.ts";
import { boards, postRevisions, posts, threads } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { pageOfPost } from "../utils/limits.ts";
import { renderMarkdown } from "../utils/markdown.server.ts";
import { canEditPost, canParticipate, canReply, isStaff, type Actor } from "../utils/permissions.ts";
import { answersBlockedPost, BLOCKED_POST, refuseBlockedThread } from "./blocks.server.ts";
import { getBoard } from "./boards.server.ts";
import type { PostWarning } from "./content-warnings.server.ts";
import { hasAcceptedGuidelines } from "./guidelines.server.ts";
import { afterPostCreated, afterPostEdited } from "./notifications.server.ts";
import { heldNumber, mustHold, resubmitted, reviewState } from "./review.server.ts";
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

/** `held`: the post waits for a moderator (review.server.ts); `page`: the page of its thread it shows on. */
export type PostResult =
  { ok: false; errors: Record<string, string> } | { ok: true; threadId: number; postId: number; number: number; atRisk: boolean; held: boolean; page: number };

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

/** A double submit lands on the post that already exists, held or not, on the page it shows on. */
async function alreadyPosted(tx: Tx, found: { postId: number; threadId: number; number: number }): Promise<PostResult> {
  const [row] = await tx
    .select({ heldAt: posts.heldAt, lastNumber: threads.postCount })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, found.postId))
    .limit(1);
  return { ok: true, ...found, atRisk: false, held: !!row?.heldAt, page: pageOfPost(found.number, row?.lastNumber) };
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
    if (check.duplicate) return alreadyPosted(tx, check.duplicate);
    const chosenTags = await resolveTags(tx, input.tags ?? []);
    if (!chosenTags.ok) return { ok: false, errors: { tags: chosenTags.error } };
    const now = new Date();
    // A held opening post holds its thread: listed nowhere and counted nowhere until approved.
    const held = await mustHold(tx, actor, board.reviewFirstPosts);
    const heldAt = held ? now : null;
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
        heldAt,
      })
      .returning({ id: threads.id });
    const [post] = await tx
      .insert(posts)
      .values({
        threadId: thread!.id,
        authorId: actor.id,
        number: 1,
        bodyMarkdown: input.body,
        bodyHtml,
        createdAt: now,
        heldAt,
        ...warningColumns(input.warning),
      })
      .returning({ id: posts.id });
    await setThreadTagIds(tx, thread!.id, chosenTags.ids);
    // Held, it is flagged all the same: moderators see an at-risk post at once.
    if (check.atRisk) await flagAtRisk(tx, post!.id);
    const result = { ok: true as const, threadId: thread!.id, postId: post!.id, number: 1, atRisk: check.atRisk, held, page: 1 };
    if (held) return result;
    await afterPostCreated(tx, { actorId: actor.id, threadId: thread!.id, postId: post!.id, number: 1, bodyMarkdown: input.body });
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
    return result;
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
          postCount: threads.postCount,
          // Read beside the thread, so the lock stays on the thread's row alone.
          reviewFirstPosts: sql<number>`(select ${boards.reviewFirstPosts} from ${boards} where ${boards.id} = ${threads.boardId})`.mapWith(Number),
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
    if (thread.heldAt) forbidden("This thread is waiting for a moderator, so replies open once it is published.");
    if (!canReply(actor, thread)) forbidden("This thread is locked, so new replies are closed.");
    // A block either way with the thread's author, or with the post answered (decision 032).
    await refuseBlockedThread(actor, thread.authorId, tx);
    if (await answersBlockedPost(actor, replyToPostId, tx)) return { ok: false, errors: { form: BLOCKED_POST } };
    const check = await preflight(actor, body, tx);
    if (!check.ok) return check;
    if (check.duplicate) return alreadyPosted(tx, check.duplicate);
    const now = new Date();
    // A held reply takes no place in the thread and moves no counter until it is approved.
    const held = await mustHold(tx, actor, thread.reviewFirstPosts);
    let number: number;
    if (held) number = await heldNumber(tx, threadId);
    else {
      // The post's number comes from the counter's own update: exact under concurrent replies on an
      // engine with row locks too, where a number read earlier in the transaction could be taken.
      const [counted] = await tx
        .update(threads)
        .set({ postCount: sql`${threads.postCount} + 1`, replyCount: sql`${threads.replyCount} + 1`, lastPostAt: now, lastPosterId: actor.id })
        .where(eq(threads.id, threadId))
        .returning({ number: threads.postCount });
      number = counted!.number;
    }
    const [post] = await tx
      .insert(posts)
      .values({ threadId, authorId: actor.id, number, bodyMarkdown: body, bodyHtml, createdAt: now, heldAt: held ? now : null, ...warningColumns(warning) })
      .returning({ id: posts.id });
    if (check.atRisk) await flagAtRisk(tx, post!.id);
    const result = { ok: true as const, threadId, postId: post!.id, number, atRisk: check.atRisk, held, page: pageOfPost(number, thread.postCount) };
    if (held) return result;
    await afterPostCreated(tx, { actorId: actor.id, threadId, postId: post!.id, number, bodyMarkdown: body, replyToPostId });
    // Last, as in createThread: the board's row is the one every reply on the board waits for.
    await tx
      .update(boards)
      .set({ postCount: sql`${boards.postCount} + 1`, lastPostAt: now })
      .where(eq(boards.id, thread.boardId));
    return result;
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
    page: pageOfPost(post.number, post.lastNumber),
    review: reviewState(post),
  };
}

/** The author's edit. `warning` left out keeps the post's warning; null clears it. */
export async function editPost(actor: Actor, postId: number, input: { body: string; title?: string; warning?: PostWarning | null }) {
  const bodyHtml = renderMarkdown(input.body);
  return transaction(async (tx) => {
    const post = await requireEditablePost(actor, postId, tx);
    const isOpening = post.number === 1;
    // Not yet published, a held post keeps no history and pings no one: that waits for approval.
    const held = !!post.heldAt;
    if (!held) {
      await tx.insert(postRevisions).values({
        postId,
        title: isOpening ? post.threadTitle : null,
        bodyMarkdown: post.bodyMarkdown,
        bodyHtml: post.bodyHtml,
        warningKind: post.warningKind,
        warningText: post.warningText,
        writtenAt: post.editedAt ?? post.createdAt,
      });
    }
    const warning = input.warning === undefined ? {} : warningColumns(input.warning);
    await tx
      .update(posts)
      .set({ bodyMarkdown: input.body, bodyHtml, ...(held ? resubmitted(post) : { editedAt: new Date() }), ...warning })
      .where(eq(posts.id, postId));
    if (isOpening && input.title !== undefined) {
      await tx.update(threads).set({ title: input.title }).where(eq(threads.id, post.threadId));
    }
    const place = { threadId: post.threadId, number: post.number, page: pageOfPost(post.number, post.lastNumber) };
    if (held) return place;
    // Only the author gets here (canEditPost), so the author is the one who mentions.
    await afterPostEdited(tx, {
      actorId: post.authorId,
      threadId: post.threadId,
      postId,
      previousMarkdown: post.bodyMarkdown,
      bodyMarkdown: input.body,
    });
    return place;
  });
}

/** Soft delete: the row stays so the thread reads on, shown as "deleted by its author". */
export async function deletePost(actor: Actor, postId: number, now = new Date()) {
  return transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    const place = { threadId: post.threadId, number: post.number, page: pageOfPost(post.number, post.lastNumber) };
    // A second tap (a spasm, or a form sent twice) finds it already deleted: not an error,
    // and the first deletedAt stands, so the restore window isn't moved.
    if (post.deletedAt && canParticipate(actor) && actor!.id === post.authorId) return place;
    if (!canEditPost(actor, post)) forbidden("Only the author can delete this post.");
    await tx.update(posts).set({ deletedAt: now }).where(eq(posts.id, postId));
    // Counts show what members can read; the opening post is not a reply, and a held post was never counted.
    if (!post.heldAt) await countPost(tx, post, -1);
    return place;
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
    const place = { threadId: post.threadId, number: post.number, page: pageOfPost(post.number, post.lastNumber) };
    // A second click (or a replayed form) after the restore already worked is not an error.
    if (!post.deletedAt) return place;
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
    if (!post.heldAt) await countPost(tx, post, 1);
    return place;
  });
}

/** Moves the counters members see by one post: its thread's replies (not for an opening post) and its board's posts. */
async function countPost(tx: Tx, post: { threadId: number; number: number; boardId: number }, delta: 1 | -1) {
  if (post.number > 1) {
    await tx
      .update(threads)
      .set({ replyCount: sql`${threads.replyCount} + ${delta}` })
      .where(eq(threads.id, post.threadId));
  }
  await tx
    .update(boards)
    .set({ postCount: sql`${boards.postCount} + ${delta}` })
    .where(eq(boards.id, post.boardId));
}
