import { and, asc, eq, or } from "drizzle-orm";
import { db, transaction, type Executor } from "../../db/client.ts";
import { blocks, posts, users } from "../../db/schema.ts";
import { badRequest, forbidden, notFound } from "../utils/http.server.ts";
import { canBlock, isStaff, type Actor } from "../utils/permissions.ts";

type Member = NonNullable<Actor>;

/**
 * What a member is told where a block stops them: the same words on both sides, so neither learns
 * who blocked whom, only that a block stands between them (which the refusal itself shows).
 */
export const BLOCKED_THREAD = "You can't reply in this thread: there is a block between you and the member who started it.";
export const BLOCKED_POST =
  "You can't answer or quote that post: there is a block between you and its author. Your text is kept below; you can post it as a reply to the thread.";

/**
 * A block works both ways for contact (neither can message, mention or reply to the other), so
 * every check asks "either way". Only the blocker's own pages collapse the other's posts.
 */
export async function isBlockedEitherWay(aId: number, bId: number, executor: Executor = db) {
  const [row] = await executor
    .select({ id: blocks.userId })
    .from(blocks)
    .where(or(and(eq(blocks.userId, aId), eq(blocks.blockedUserId, bId)), and(eq(blocks.userId, bId), eq(blocks.blockedUserId, aId))))
    .limit(1);
  return !!row;
}

/** Everyone the member blocked or who blocked them: the people they can't reach. */
export async function blockedEitherWayIds(userId: number, executor: Executor = db) {
  const rows = await executor
    .select({ userId: blocks.userId, blockedUserId: blocks.blockedUserId })
    .from(blocks)
    .where(or(eq(blocks.userId, userId), eq(blocks.blockedUserId, userId)));
  return [...new Set(rows.map((r) => (r.userId === userId ? r.blockedUserId : r.userId)))];
}

/**
 * Whether a block stops the actor contacting another member (replying, quoting, reacting,
 * notifying). Moderators and admins are never stopped: they must be able to reach everyone
 * (docs/decisions/032).
 */
export async function blockStopsContact(actor: Member, otherId: number, executor: Executor = db) {
  return !isStaff(actor) && actor.id !== otherId && (await isBlockedEitherWay(actor.id, otherId, executor));
}

/** The members a post by this author may not notify (notifications.server.ts): none for staff. */
export async function unreachableFrom(authorId: number, executor: Executor = db) {
  const [author] = await executor.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, authorId)).limit(1);
  return !author || isStaff(author) ? [] : blockedEitherWayIds(authorId, executor);
}

/** createReply's check: 403 with BLOCKED_THREAD when a block stands between the replier and the thread's author. */
export async function refuseBlockedThread(actor: Member, threadAuthorId: number, executor: Executor) {
  if (await blockStopsContact(actor, threadAuthorId, executor)) forbidden(BLOCKED_THREAD);
}

/** Whether the post a reply answers (or quotes) is by someone a block keeps the actor from. */
export async function answersBlockedPost(actor: Member, replyToPostId: number | null | undefined, executor: Executor) {
  if (!replyToPostId) return false;
  const [post] = await executor.select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, replyToPostId)).limit(1);
  return !!post && (await blockStopsContact(actor, post.authorId, executor));
}

/**
 * What blocks change on one page of a thread for this viewer: posts by members they blocked
 * (collapsed), posts they may not answer, quote or react to, and whether they may reply at all.
 * Only this page's posts are named, so the data never lists who blocked the viewer.
 */
export async function getBlocksOnPage(viewer: Actor, threadAuthorId: number, pagePosts: { id: number; authorId: number }[]) {
  if (!viewer) return { blockedPostIds: [], noContactPostIds: [], replyRefusal: null };
  const rows = await db
    .select({ userId: blocks.userId, blockedUserId: blocks.blockedUserId })
    .from(blocks)
    .where(or(eq(blocks.userId, viewer.id), eq(blocks.blockedUserId, viewer.id)));
  const blocked = new Set(rows.filter((r) => r.userId === viewer.id).map((r) => r.blockedUserId));
  const unreachable = isStaff(viewer) ? new Set<number>() : new Set(rows.map((r) => (r.userId === viewer.id ? r.blockedUserId : r.userId)));
  return {
    blockedPostIds: pagePosts.filter((p) => blocked.has(p.authorId)).map((p) => p.id),
    noContactPostIds: pagePosts.filter((p) => unreachable.has(p.authorId)).map((p) => p.id),
    replyRefusal: unreachable.has(threadAuthorId) ? BLOCKED_THREAD : null,
  };
}

/** A member by name; deleted accounts only when asked (a block on one can still be lifted). */
async function findMember(username: string, withDeleted = false) {
  const [user] = await db
    .select({ id: users.id, role: users.role, deletedAt: users.deletedAt })
    .from(users)
    .where(eq(users.username, username.toLowerCase()))
    .limit(1);
  if (!user || (user.deletedAt && !withDeleted)) notFound("There is no member with that name.");
  return user;
}

/**
 * Blocking is private: the other member is never told. Nobody blocks themself, and nobody blocks
 * a moderator or admin. A mute on the same member may stay: the block covers it.
 */
export async function blockMember(actor: Member, username: string) {
  const target = await findMember(username);
  if (target.id === actor.id) badRequest("You can't block yourself.");
  if (!canBlock(actor, target)) badRequest("Moderators and admins can't be blocked: they must be able to reach every member. You can mute them instead.");
  await transaction((tx) => tx.insert(blocks).values({ userId: actor.id, blockedUserId: target.id }).onConflictDoNothing());
}

/** Lifting a block only removes the member's own row, so it is always allowed. */
export async function unblockMember(actor: Member, username: string) {
  const target = await findMember(username, true);
  await transaction((tx) => tx.delete(blocks).where(and(eq(blocks.userId, actor.id), eq(blocks.blockedUserId, target.id))));
}

export async function hasBlocked(userId: number, otherId: number) {
  const [row] = await db
    .select({ id: blocks.blockedUserId })
    .from(blocks)
    .where(and(eq(blocks.userId, userId), eq(blocks.blockedUserId, otherId)))
    .limit(1);
  return !!row;
}

/** The members this member blocked, by name, with when (settings and the data export). */
export async function listBlockedMembers(userId: number) {
  const rows = await db
    .select({ username: users.username, since: blocks.createdAt, deletedAt: users.deletedAt })
    .from(blocks)
    .innerJoin(users, eq(users.id, blocks.blockedUserId))
    .where(eq(blocks.userId, userId))
    .orderBy(asc(users.username));
  return rows.map((r) => ({ username: r.username, since: r.since, deleted: r.deletedAt !== null }));
}
