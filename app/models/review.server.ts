/**
 * First-post review (docs/decisions/034). Where a board asks for it, a member's first posts wait for
 * a moderator: held, they are there only for their author and staff (visibility.server.ts). A
 * moderator approves one, and it is published as if just posted, or returns it with a note; the
 * author may then edit it, which sends it back, or delete it.
 */
import { and, asc, count, desc, eq, isNotNull, isNull, lt, min, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, transaction, type Executor, type Tx } from "../../db/client.ts";
import { boards, posts, reports, threads, users } from "../../db/schema.ts";
import { badRequest, conflict, forbidden } from "../utils/http.server.ts";
import { reviewLabel } from "../utils/board-access.ts";
import { pageOfPost, REVIEW_FIRST_POSTS_MAX, REVIEW_QUEUE_SIZE } from "../utils/limits.ts";
import { isAdmin, isStaff, type Actor } from "../utils/permissions.ts";
import { isBlockedEitherWay } from "./blocks.server.ts";
import { getBoard } from "./boards.server.ts";
import { getWarningChoices, viewWarning } from "./content-warnings.server.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { moderate, postForModeration } from "./moderation.server.ts";
import { afterPostCreated, notifyModeration } from "./notifications.server.ts";

/**
 * Whether a new post by `author` waits for a moderator on a board that holds a member's first
 * `wanted` posts (boards.reviewFirstPosts): they have fewer than that published, forum-wide, and
 * still up. Staff never wait.
 */
export async function mustHold(executor: Executor, author: NonNullable<Actor>, wanted: number) {
  if (isStaff(author) || wanted < 1) return false;
  // Only "fewer than N?" matters: stop counting at N.
  const published = executor
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.authorId, author.id), isNull(posts.heldAt), isNull(posts.deletedAt), isNull(posts.removedAt)))
    .limit(wanted)
    .as("published");
  const [row] = await executor.select({ n: count() }).from(published);
  return (row?.n ?? 0) < wanted;
}

/** For the forms: whether this member's next post on the board would wait for a moderator, so they know before. */
export async function wouldHold(actor: Actor, wanted: number) {
  return !!actor && mustHold(db, actor, wanted);
}

/**
 * The number a held reply takes: below 1, so it is on no page, and unique in its thread. Call with
 * the thread's row locked (createReply locks it first), so two held replies can't take the same one.
 */
export async function heldNumber(tx: Tx, threadId: number) {
  const [row] = await tx
    .select({ lowest: min(posts.number) })
    .from(posts)
    .where(and(eq(posts.threadId, threadId), lt(posts.number, 1)));
  return Math.min(row?.lowest ?? 1, 1) - 1;
}

/** What a thread page shows of a post's review: null once it is published. */
export type ReviewState = { returnReason: string | null } | null;

export const reviewState = (post: { heldAt: Date | null; returnReason: string | null }): ReviewState =>
  post.heldAt ? { returnReason: post.returnReason } : null;

/** What a thread page shows of each post (threads.server.ts), held replies at its end too. */
export const postColumns = {
  id: posts.id,
  number: posts.number,
  author: users.username,
  authorId: posts.authorId,
  authorRole: users.role,
  createdAt: posts.createdAt,
  editedAt: posts.editedAt,
  deletedAt: posts.deletedAt,
  removedAt: posts.removedAt,
  removalReason: posts.removalReason,
  bodyHtml: posts.bodyHtml,
  warningKind: posts.warningKind,
  warningText: posts.warningText,
  heldAt: posts.heldAt,
  returnReason: posts.returnReason,
};

/**
 * The held replies of a thread this viewer may see, for the end of its last page: their own (a
 * deleted one too, while it can be restored: the page decides), and for staff everyone's still up.
 */
export async function heldRepliesFor(viewer: Actor, threadId: number) {
  if (!viewer) return [];
  const whose = isStaff(viewer) ? or(eq(posts.authorId, viewer.id), isNull(posts.deletedAt)) : eq(posts.authorId, viewer.id);
  return db
    .select(postColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.threadId, threadId), lt(posts.number, 1), whose))
    .orderBy(desc(posts.number));
}

/** Waiting in the queue: held, not returned, and neither deleted nor removed. */
const waiting = and(isNotNull(posts.heldAt), isNull(posts.returnReason), isNull(posts.deletedAt), isNull(posts.removedAt));

/** For the header: how many posts wait for a moderator. */
export async function countWaitingPosts() {
  const [row] = await db.select({ n: count() }).from(posts).where(waiting);
  return row?.n ?? 0;
}

const author = alias(users, "author");
// 1 when the safety check flagged the post and that report is still open (reports.server.ts's queue shows it too).
const atRisk = sql<number>`case when exists (select 1 from ${reports} where ${reports.postId} = ${posts.id} and ${reports.reason} = 'at-risk' and ${reports.status} = 'open') then 1 else 0 end`;

/** The queue: posts at risk first (the author was shown crisis resources), then the longest-waiting. */
export async function listReviewQueue(actor: Actor) {
  if (!isStaff(actor)) forbidden("Only moderators can see the review queue.");
  const [rows, choices] = await Promise.all([
    db
      .select({
        id: posts.id,
        number: posts.number,
        threadId: posts.threadId,
        bodyHtml: posts.bodyHtml,
        warningKind: posts.warningKind,
        warningText: posts.warningText,
        heldAt: posts.heldAt,
        authorId: posts.authorId,
        author: author.username,
        threadTitle: threads.title,
        lastNumber: threads.postCount,
        boardName: boards.name,
        atRisk: atRisk.mapWith(Number),
      })
      .from(posts)
      .innerJoin(author, eq(author.id, posts.authorId))
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .innerJoin(boards, eq(boards.id, threads.boardId))
      .where(waiting)
      .orderBy(desc(atRisk), asc(posts.heldAt), asc(posts.id))
      .limit(REVIEW_QUEUE_SIZE),
    getWarningChoices(actor),
  ]);
  return rows.map(({ lastNumber, heldAt, ...post }) => ({
    ...post,
    opening: post.number === 1,
    atRisk: post.atRisk === 1,
    waitingSince: heldAt!,
    href: `/threads/${post.threadId}?page=${pageOfPost(post.number, lastNumber)}#post-${post.id}`,
    // Moderators read what they judge, behind its label like anyone (never as a stand-in).
    warning: viewWarning(post, choices, { standIn: false }),
  }));
}

type HeldPost = Awaited<ReturnType<typeof postForModeration>>;

/** Refuses (409, said on the queue) a post that left the queue while the moderator read it. */
function requireWaiting(post: HeldPost) {
  if (post.deletedAt) conflict("Its author deleted this post meanwhile, so there is nothing to review.");
  if (post.removedAt) conflict("A moderator removed this post meanwhile; restore it first to review it.");
  if (post.returnReason !== null) conflict("This post was returned to its author meanwhile; it comes back here when they edit it.");
}

/**
 * Publishes a held post as if it were just posted: it takes the thread's next number (an opening
 * post publishes its thread), the counters and activity times move, and mentions, replies and
 * follows notify now. Approving a post that is already published changes nothing.
 */
export async function approvePost(actor: Actor, postId: number) {
  return moderate(actor, postForModeration, postId, async (tx, post, staff) => {
    if (!post.heldAt) return { threadId: post.threadId, number: post.number };
    requireWaiting(post);
    // A block made while the reply waited stops it as it would have stopped it being written.
    if (post.number !== 1 && (await isBlockedEitherWay(post.authorId, post.threadAuthorId, tx))) {
      conflict("A block now stands between this reply's author and the member who started the thread, so it can't be published; return it instead.");
    }
    const now = new Date();
    let number = post.number;
    let threadRemoved = false;
    if (post.number === 1) {
      await tx.update(threads).set({ heldAt: null, createdAt: now, lastPostAt: now }).where(eq(threads.id, post.threadId));
    } else {
      // The number comes from the counter's own update, as in createReply.
      const [counted] = await tx
        .update(threads)
        .set({ postCount: sql`${threads.postCount} + 1`, replyCount: sql`${threads.replyCount} + 1`, lastPostAt: now, lastPosterId: post.authorId })
        .where(eq(threads.id, post.threadId))
        .returning({ number: threads.postCount, removedAt: threads.removedAt });
      number = counted!.number;
      // A removed thread's replies are out of its board's count until it is restored (moderation-threads.server.ts).
      threadRemoved = !!counted!.removedAt;
    }
    await tx.update(posts).set({ number, heldAt: null, returnReason: null, createdAt: now }).where(eq(posts.id, postId));
    await afterPostCreated(tx, { actorId: post.authorId, threadId: post.threadId, postId, number, bodyMarkdown: post.bodyMarkdown });
    await logModeratorAction(tx, { actorId: staff.id, action: "approve-post", targetType: "post", targetId: postId, subjectUserId: post.authorId });
    await notifyModeration(tx, {
      userId: post.authorId,
      actorId: staff.id,
      threadId: post.threadId,
      postId,
      text: "A moderator approved your post: everyone who can read the thread sees it now.",
    });
    if (!threadRemoved) {
      await tx
        .update(boards)
        .set({
          threadCount: sql`${boards.threadCount} + ${number === 1 ? 1 : 0}`,
          postCount: sql`${boards.postCount} + 1`,
          lastPostAt: now,
        })
        .where(eq(boards.id, post.boardId));
    }
    return { threadId: post.threadId, number };
  });
}

/** Sends a held post back to its author with the moderator's note; it stays theirs alone to edit or delete. */
export async function returnPost(actor: Actor, postId: number, reason: string) {
  return moderate(actor, postForModeration, postId, async (tx, post, staff) => {
    if (!post.heldAt) conflict("This post was approved meanwhile, so it is published.");
    requireWaiting(post);
    await tx.update(posts).set({ returnReason: reason }).where(eq(posts.id, postId));
    await logModeratorAction(tx, { actorId: staff.id, action: "return-post", targetType: "post", targetId: postId, subjectUserId: post.authorId, reason });
    await notifyModeration(tx, {
      userId: post.authorId,
      actorId: staff.id,
      threadId: post.threadId,
      postId,
      text: `A moderator returned your post before publishing it: ${reason} Only you can see it. Edit it to send it back for review, or delete it.`,
    });
  });
}

/** What an author's edit does to a held post: a returned one goes back to the queue, at its end. */
export function resubmitted(post: { heldAt: Date | null; returnReason: string | null }, now = new Date()) {
  return post.heldAt && post.returnReason !== null ? { heldAt: now, returnReason: null } : {};
}

/** For /admin/boards: how many first posts each board holds. */
export async function listBoardReview(actor: Actor) {
  if (!isAdmin(actor)) forbidden("Only admins decide which boards review new members' posts.");
  const rows = await db.select({ slug: boards.slug, reviewFirstPosts: boards.reviewFirstPosts }).from(boards);
  return Object.fromEntries(rows.map((r) => [r.slug, r.reviewFirstPosts]));
}

/** An admin sets how many of a new member's first posts on a board wait for review (0 = none); logged. */
export async function setBoardReview(actor: Actor, slug: string, value: string) {
  if (!actor || !isAdmin(actor)) forbidden("Only admins decide which boards review new members' posts.");
  if (!/^\d{1,2}$/.test(value) || Number(value) > REVIEW_FIRST_POSTS_MAX) badRequest(`Choose a number from 0 to ${REVIEW_FIRST_POSTS_MAX}.`);
  const n = Number(value);
  const board = await getBoard(slug);
  if (board.reviewFirstPosts === n) return board;
  return transaction(async (tx) => {
    await tx.update(boards).set({ reviewFirstPosts: n }).where(eq(boards.id, board.id));
    await logModeratorAction(tx, {
      actorId: actor.id,
      action: "board.review",
      targetType: "board",
      targetId: board.id,
      reason: `${board.name}: ${reviewLabel(n)}`,
    });
    return { ...board, reviewFirstPosts: n };
  });
}
