/**
 * Saved posts: a member's own bookmarks, so a post that helped is one tap away at 3 a.m.
 * Saving is private bookkeeping (like reads), so a read-only (silenced) member may save too.
 */
import { and, count, desc, eq } from "drizzle-orm";
import { db, transaction } from "../../db/client.ts";
import { boards, posts, savedPosts, threads, users } from "../../db/schema.ts";
import { postExcerpt } from "../utils/excerpt.ts";
import { forbidden } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";
import { inIdList } from "./id-list.server.ts";
import { getPostHref, postHref } from "./notifications.server.ts";
import { findReadablePost, isListed, requireReadablePost } from "./visibility.server.ts";

export const SAVED_PER_PAGE = 20;
/** Characters of plain text shown from each saved post. */
const EXCERPT_MAX = 200;

function requireMember(actor: Actor): asserts actor is NonNullable<Actor> {
  if (!actor) forbidden("Log in to save posts.");
}

/** Saves a live post for the member; saving it again changes nothing. Returns the post's link. */
export async function savePost(actor: Actor, postId: number) {
  requireMember(actor);
  return transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    // A bookmark is for finding what members can read: staff and authors, who may still read
    // a removed post or thread, can't save it either.
    if (!post.view.listed) forbidden("This post is no longer available, so it can't be saved.");
    await tx.insert(savedPosts).values({ userId: actor.id, postId }).onConflictDoNothing();
    return { href: postHref(post.threadId, postId, post.number) };
  });
}

/** Whether savePost would accept this post (it exists, is live, and its thread is visible). */
export async function isSavable(actor: Actor, postId: number) {
  return !!(await findReadablePost(actor, postId))?.view.listed;
}

/**
 * Takes a post off the member's list. Always allowed, even once the post or its thread is gone:
 * it only removes the member's own data.
 */
export async function unsavePost(actor: Actor, postId: number) {
  requireMember(actor);
  // Only the link is read (the thread page then applies the visibility rule): nothing of the post is shown.
  const href = await getPostHref(postId);
  await transaction((tx) => tx.delete(savedPosts).where(and(eq(savedPosts.userId, actor.id), eq(savedPosts.postId, postId))));
  return { href };
}

/** Which of these posts (one page of a thread) the viewer saved: one lookup on the primary key. */
export async function getSavedPostIds(viewerId: number | null, postIds: number[]): Promise<number[]> {
  if (viewerId === null || postIds.length === 0) return [];
  const rows = await db
    .select({ postId: savedPosts.postId })
    .from(savedPosts)
    .where(and(eq(savedPosts.userId, viewerId), inIdList(savedPosts.postId, postIds)));
  return rows.map((row) => row.postId);
}

export type SavedItem =
  | {
      available: true;
      postId: number;
      savedAt: Date;
      href: string;
      number: number;
      threadTitle: string;
      boardName: string;
      boardSlug: string;
      author: string;
      postedAt: Date;
      excerpt: string;
    }
  | { available: false; postId: number; savedAt: Date };

/**
 * One page of the member's saved posts, newest saved first (a range scan on
 * saved_posts_user_created_idx, then primary-key lookups for the 20 rows shown).
 *
 * A post removed or deleted since it was saved stays on the list as "no longer available", with
 * an Unsave button, rather than vanishing: a bookmark that silently disappears reads as "I lost
 * it" to someone in fog at night, and the page count stays true to the indexed count. Nothing of
 * the post (title, author, words) is shown, since members can no longer see it.
 * A page past the end shows the last page (after unsaving the last item on it).
 */
export async function listSavedPosts(actor: Actor, page: number) {
  requireMember(actor);
  const [counted] = await db.select({ n: count() }).from(savedPosts).where(eq(savedPosts.userId, actor.id)).limit(1);
  const total = counted?.n ?? 0;
  const pageCount = Math.max(1, Math.ceil(total / SAVED_PER_PAGE));
  const current = Math.min(Math.max(1, page), pageCount);
  const rows = await db
    .select({
      postId: savedPosts.postId,
      savedAt: savedPosts.createdAt,
      threadId: posts.threadId,
      number: posts.number,
      bodyMarkdown: posts.bodyMarkdown,
      warningKind: posts.warningKind,
      warningText: posts.warningText,
      postedAt: posts.createdAt,
      deletedAt: posts.deletedAt,
      removedAt: posts.removedAt,
      heldAt: posts.heldAt,
      threadTitle: threads.title,
      threadRemovedAt: threads.removedAt,
      boardName: boards.name,
      boardSlug: boards.slug,
      author: users.username,
    })
    .from(savedPosts)
    .innerJoin(posts, eq(posts.id, savedPosts.postId))
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(eq(savedPosts.userId, actor.id))
    .orderBy(desc(savedPosts.createdAt), desc(savedPosts.postId))
    .limit(SAVED_PER_PAGE)
    .offset((current - 1) * SAVED_PER_PAGE);
  const items = rows.map((row): SavedItem => {
    if (!isListed(row, { removedAt: row.threadRemovedAt })) return { available: false, postId: row.postId, savedAt: row.savedAt };
    return {
      available: true,
      postId: row.postId,
      savedAt: row.savedAt,
      href: postHref(row.threadId, row.postId, row.number),
      number: row.number,
      threadTitle: row.threadTitle,
      boardName: row.boardName,
      boardSlug: row.boardSlug,
      author: row.author,
      postedAt: row.postedAt,
      // A warned post's words stay behind their label, which the list shows instead.
      excerpt: postExcerpt(row, EXCERPT_MAX),
    };
  });
  return { items, page: current, pageCount, total };
}

/** For the account export: every saved post's id, when it was saved, and its link. */
export async function exportSavedPosts(userId: number) {
  const rows = await db
    .select({ postId: savedPosts.postId, savedAt: savedPosts.createdAt, threadId: posts.threadId, number: posts.number })
    .from(savedPosts)
    .innerJoin(posts, eq(posts.id, savedPosts.postId))
    .where(eq(savedPosts.userId, userId))
    .orderBy(desc(savedPosts.createdAt), desc(savedPosts.postId));
  return rows.map(({ postId, savedAt, threadId, number }) => ({ postId, savedAt, link: postHref(threadId, postId, number) }));
}
