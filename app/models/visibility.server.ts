/**
 * Who may see a post: the one rule every read of a post or thread asks (docs/decisions/004).
 * - A removed thread is gone (410, with the reason) for members and visitors; its author and
 *   staff still read it.
 * - In a thread the viewer may open, a deleted post's words are shown to nobody; a removed
 *   post's words only to its author and staff. Everyone else gets the placeholder.
 * - A members-only thread (its board is for members, or its author kept it to them) is refused to
 *   visitors with a 403 that names nothing of it; every list a visitor reads leaves it out.
 * - A post waiting for a moderator (and a thread whose opening post waits) is not there at all for
 *   anyone but its author and staff: a 404, in no list, count or search (docs/decisions/034).
 */
import { and, type AnyColumn, eq, isNull, not, or, sql } from "drizzle-orm";
import { db, type Executor } from "../../db/client.ts";
import { boards, conversationMembers, posts, threads, users } from "../../db/schema.ts";
import { FOR_MEMBERS } from "../utils/board-access.ts";
import { notFound } from "../utils/http.server.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";

export type ThreadState = {
  authorId: number;
  removedAt: Date | null;
  removedById: number | null;
  removalReason: string | null;
  membersOnly: boolean;
  heldAt: Date | null;
};

/** What threadRefusal reads of a thread, as the columns of a select (spread into a larger one, or nested). */
export const threadStateColumns = () => ({
  authorId: threads.authorId,
  removedAt: threads.removedAt,
  removedById: threads.removedById,
  removalReason: threads.removalReason,
  membersOnly: membersOnlySql(),
  heldAt: threads.heldAt,
});

/** `membersOnly` of a thread in SQL: its board is for members, or its author kept it to them. */
export const membersOnlySql = () =>
  sql<boolean>`(${threads.membersOnly} or ${threads.boardId} in (select ${boards.id} from ${boards} where ${boards.access} = 'members'))`.mapWith(Boolean);
export type PostState = { authorId: number; deletedAt: Date | null; removedAt: Date | null; removalReason: string | null; heldAt: Date | null };

/** The 404's text for a held thread or post: to anyone but its author and staff it does not exist. */
export const NOT_THERE = "There is no thread at this address.";

/** Whether the viewer may see a held post or thread at all: its author and staff only. */
const seesHeld = (viewer: Actor, authorId: number) => isStaff(viewer) || viewer?.id === authorId;

/** Why the thread is gone for this viewer (the 410's text, or NOT_THERE), or null when they may open it. */
export function threadRefusal(viewer: Actor, thread: ThreadState): string | null {
  if (thread.heldAt && !seesHeld(viewer, thread.authorId)) return NOT_THERE;
  if (thread.membersOnly && !viewer) return FOR_MEMBERS;
  if (!thread.removedAt || isStaff(viewer) || viewer?.id === thread.authorId) return null;
  // Only account deletion removes a thread on its author's behalf (moderation-threads.server.ts).
  return thread.removedById === thread.authorId
    ? "This thread was deleted by its author."
    : `This thread was removed by moderators — ${thread.removalReason ?? "no reason given"}.`;
}

/**
 * The thread when the viewer may open it, before anything of it is read; else a 403 for a visitor
 * at a members-only thread, or a 410 with the reason when it is gone.
 */
export function requireReadableThread<T extends ThreadState>(viewer: Actor, thread: T): T {
  const why = threadRefusal(viewer, thread);
  if (why === NOT_THERE) notFound(why);
  if (why === FOR_MEMBERS) throw new Response(why, { status: 403, statusText: "For members" });
  if (why !== null) throw new Response(why, { status: 410, statusText: "Removed" });
  return thread;
}

/** Whether the viewer may read a post's words, in a thread they may open. */
export function canReadPostText(viewer: Actor, post: Pick<PostState, "authorId" | "deletedAt" | "removedAt" | "heldAt">) {
  return !post.deletedAt && ((!post.removedAt && !post.heldAt) || seesHeld(viewer, post.authorId));
}

/** What members and visitors read: a live, published post in a live thread (feeds, bookmarks, reactions, profiles, counts). */
export function isListed(post: Pick<PostState, "deletedAt" | "removedAt" | "heldAt">, thread: Pick<ThreadState, "removedAt">) {
  return !post.deletedAt && !post.removedAt && !post.heldAt && !thread.removedAt;
}

export type PostView = {
  /** Set when the thread is gone for this viewer: the 410's text. Nothing of the post may be shown. */
  refusal: string | null;
  /** The words may be shown to this viewer. */
  text: boolean;
  /** The moderators' reason, for the placeholder members see (and authors and staff see beside the words). */
  removalReason: string | null;
  /** Neither deleted, removed nor waiting for a moderator: it can be quoted, reacted to, saved. */
  live: boolean;
  listed: boolean;
};

export function postVisibility(viewer: Actor, post: PostState, thread: ThreadState): PostView {
  const refusal = threadRefusal(viewer, thread);
  return {
    refusal,
    text: refusal === null && canReadPostText(viewer, post),
    removalReason: post.removedAt ? (post.removalReason ?? "no reason given") : null,
    live: !post.deletedAt && !post.removedAt && !post.heldAt,
    listed: isListed(post, thread),
  };
}

/** `threadRefusal(viewer, thread) === null` in SQL over `threads`, for lists that name threads. */
export function threadOpenSql(viewer: Actor) {
  if (isStaff(viewer)) return sql`1 = 1`;
  const open = and(isNull(threads.removedAt), isNull(threads.heldAt))!;
  return viewer ? or(open, eq(threads.authorId, viewer.id))! : and(open, not(membersOnlySql()))!;
}

/** Threads in lists members and visitors read: not removed or held, and for a visitor not members-only. */
export function listedThreadSql(viewer: Actor) {
  const listed = and(isNull(threads.removedAt), isNull(threads.heldAt))!;
  return viewer ? listed : and(listed, not(membersOnlySql()))!;
}

/** `isListed` in SQL over `posts` joined to `threads`, and for a visitor not members-only. */
export function listedPostSql(viewer: Actor) {
  const listed = and(isNull(posts.removedAt), isNull(posts.deletedAt), isNull(posts.heldAt), isNull(threads.removedAt))!;
  return viewer ? listed : and(listed, not(membersOnlySql()))!;
}

async function loadPost(postId: number, tx: Executor) {
  const [row] = await tx
    .select({
      id: posts.id,
      threadId: posts.threadId,
      number: posts.number,
      authorId: posts.authorId,
      author: users.username,
      authorRole: users.role,
      bodyMarkdown: posts.bodyMarkdown,
      bodyHtml: posts.bodyHtml,
      createdAt: posts.createdAt,
      editedAt: posts.editedAt,
      deletedAt: posts.deletedAt,
      removedAt: posts.removedAt,
      removedById: posts.removedById,
      removalReason: posts.removalReason,
      warningKind: posts.warningKind,
      warningText: posts.warningText,
      heldAt: posts.heldAt,
      returnReason: posts.returnReason,
      boardId: threads.boardId,
      threadTitle: threads.title,
      /** Where a held reply shows: after the thread's last post (pageOfPost). */
      lastNumber: threads.postCount,
      thread: threadStateColumns(),
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(eq(posts.id, postId))
    .limit(1);
  return row;
}

export type ReadablePost = Omit<NonNullable<Awaited<ReturnType<typeof loadPost>>>, "bodyMarkdown" | "bodyHtml"> & {
  /** Null when the rule hides the words from this viewer. */
  bodyMarkdown: string | null;
  bodyHtml: string | null;
  view: PostView;
};

/** The post as this viewer may see it; null when there is no such post or its thread is gone for them. */
export async function findReadablePost(viewer: Actor, postId: number, tx: Executor = db): Promise<ReadablePost | null> {
  const post = await readPost(viewer, postId, tx);
  return post && post.view.refusal === null ? post : null;
}

/** The post as this viewer may see it: 404 when there is no such post, 410 when its thread is gone for them. */
export async function requireReadablePost(viewer: Actor, postId: number, tx: Executor = db): Promise<ReadablePost> {
  const post = await readPost(viewer, postId, tx);
  if (!post) notFound("There is no post at this address.");
  requireReadableThread(viewer, post.thread);
  return post;
}

async function readPost(viewer: Actor, postId: number, tx: Executor): Promise<ReadablePost | null> {
  const row = await loadPost(postId, tx);
  if (!row || (row.heldAt && !seesHeld(viewer, row.authorId))) return null;
  const view = postVisibility(viewer, row, row.thread);
  // Hidden words leave the data entirely, so no page, ?_data= answer or export can carry them.
  return { ...row, bodyMarkdown: view.text ? row.bodyMarkdown : null, bodyHtml: view.text ? row.bodyHtml : null, view };
}

/** A member's row in a conversation while they are still in it: without it, no access. */
export const stillIn = (userId: number, conversationId: AnyColumn | number) =>
  and(eq(conversationMembers.conversationId, conversationId), eq(conversationMembers.userId, userId), isNull(conversationMembers.leftAt));
