import { and, count, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, transaction, type Executor, type Tx } from "../../db/client.ts";
import { boards, follows, mutes, notifications, posts, threads, users } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { pageOfPost } from "../utils/limits.ts";
import { watcherIdsOfThreadBoard } from "./board-watches.server.ts";
import { unreachableFrom } from "./blocks.server.ts";
import { inIdList } from "./id-list.server.ts";
import { chunks, othersInGroups, withMailDue, writeReplyGroups } from "./notification-groups.server.ts";
import { recordRead } from "./reads.server.ts";
import { threadOpenSql } from "./visibility.server.ts";

export const NOTIFICATIONS_PER_PAGE = 30;
export const MAX_MENTIONS_PER_POST = 10;

/** The exact place of a post: its thread page and anchor (for a held reply, give the thread's post count: pageOfPost). */
export function postHref(threadId: number, postId: number, number: number, lastNumber?: number) {
  return `/threads/${threadId}?page=${pageOfPost(number, lastNumber)}#post-${postId}`;
}

/** Looks a post up and returns its link; 404 when there is no such post. */
export async function getPostHref(postId: number, tx: Executor = db) {
  const [post] = await tx.select({ threadId: posts.threadId, number: posts.number }).from(posts).where(eq(posts.id, postId)).limit(1);
  if (!post) notFound("There is no post at this address.");
  return postHref(post.threadId, postId, post.number);
}

/**
 * Usernames written as `@name` in a post, in order of appearance, lower-cased, without
 * duplicates. Code (fenced blocks and `inline`) and quoted lines (`> …`) are skipped: a
 * quote of someone else's mention, or an example in code, should not ping anyone again.
 * An address like bob@example.org is not a mention (a word character precedes the @).
 */
export function extractMentions(markdown: string, limit = MAX_MENTIONS_PER_POST) {
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    const opener = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length) fence = null;
      continue;
    }
    if (opener) {
      fence = opener;
      continue;
    }
    if (/^ {0,3}>/.test(line)) continue;
    kept.push(line.replace(/(`+)[^`]*?\1/g, " "));
  }
  const names: string[] = [];
  for (const match of kept.join("\n").matchAll(/(?<![\p{L}\p{N}_@./-])@([a-z0-9_-]{3,24})(?![a-z0-9_-])/giu)) {
    const name = match[1]!.toLowerCase();
    if (!names.includes(name)) names.push(name);
    if (names.length >= limit) break;
  }
  return names;
}

type NotificationKind = "reply" | "quote" | "mention" | "thread";

/** The state of a post that decides whether it may notify anyone, or be quoted. */
async function postState(tx: Tx, postId: number) {
  const [post] = await tx
    .select({ authorId: posts.authorId, threadId: posts.threadId, removedAt: posts.removedAt, deletedAt: posts.deletedAt, heldAt: posts.heldAt })
    .from(posts)
    .where(eq(posts.id, postId))
    .limit(1);
  return post;
}

/**
 * Called by the thread model inside the transaction that created the post.
 *
 * - The author follows the thread (and has read up to their own post).
 * - One notification per member per post, with precedence quote > mention > reply > thread;
 *   replies fold into one unread row per member per thread (notification-groups.server.ts).
 * - A thread's first post notifies the members watching its board (board-watches.server.ts).
 * - `replyToPostId`: the post this one answers or quotes (a hidden field on the reply form);
 *   it counts only when that post is in the same thread and still visible.
 * - Who is never notified: see notifyAboutPost.
 */
export async function afterPostCreated(
  tx: Tx,
  event: { actorId: number; threadId: number; postId: number; number: number; bodyMarkdown: string; replyToPostId?: number | null },
) {
  const { actorId, threadId } = event;
  await tx.insert(follows).values({ userId: actorId, threadId }).onConflictDoNothing();
  await recordRead(tx, actorId, threadId, event.number);

  const candidates: [number, NotificationKind][] = [];
  if (event.replyToPostId) {
    const target = await postState(tx, event.replyToPostId);
    if (target && target.threadId === threadId && !target.removedAt && !target.deletedAt) candidates.push([target.authorId, "quote"]);
  }
  for (const id of await mentionedUserIds(tx, extractMentions(event.bodyMarkdown))) candidates.push([id, "mention"]);
  const followers = await tx
    .select({ userId: follows.userId })
    .from(follows)
    .innerJoin(users, eq(users.id, follows.userId))
    .where(and(eq(follows.threadId, threadId), isNull(users.deletedAt)));
  for (const follower of followers) candidates.push([follower.userId, "reply"]);
  if (event.number === 1) for (const id of await watcherIdsOfThreadBoard(tx, threadId)) candidates.push([id, "thread"]);
  await notifyAboutPost(tx, event, candidates);
}

/**
 * Called by the thread model inside the transaction that edited the post. Like Discourse, a
 * name newly @mentioned by the edit pings that member once; a name that was already in the
 * previous text does not (it was handled, or deliberately skipped, when it was written), and a
 * removed mention takes nothing back. Every other rule is the same as for a new post.
 */
export async function afterPostEdited(tx: Tx, event: { actorId: number; threadId: number; postId: number; previousMarkdown: string; bodyMarkdown: string }) {
  // No limit on the old text: a name past the limit there was left out on purpose, not forgotten.
  const before = new Set(extractMentions(event.previousMarkdown, Infinity));
  const added = extractMentions(event.bodyMarkdown).filter((name) => !before.has(name));
  const mentioned = await mentionedUserIds(tx, added);
  await notifyAboutPost(
    tx,
    event,
    mentioned.map((id): [number, NotificationKind] => [id, "mention"]),
  );
}

/** Ids of the live accounts with these usernames, in the order the names were written. */
async function mentionedUserIds(tx: Tx, names: string[]) {
  if (names.length === 0) return [];
  const mentioned = await tx
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(inArray(users.username, names), isNull(users.deletedAt)));
  mentioned.sort((a, b) => names.indexOf(a.username) - names.indexOf(b.username));
  return mentioned.map((u) => u.id);
}

/**
 * Writes one notification per member about a post, the first candidate of each member winning.
 *
 * - Nobody is notified about a removed, deleted or held post, a post in a removed thread, their own
 *   post, or by a member they have muted (muting means "I don't want to hear from them",
 *   notifications included), nor across a block either way (unless the author is staff: blocks.server.ts).
 *   Deleted accounts are never notified.
 * - A member already notified about this post is not notified again: the unique index on
 *   (member, post) keeps the first row, so an edit can't ping twice.
 */
async function notifyAboutPost(tx: Tx, event: { actorId: number; threadId: number; postId: number }, candidates: [number, NotificationKind][]) {
  const { actorId, threadId, postId } = event;
  if (candidates.length === 0) return;
  const [thread] = await tx.select({ removedAt: threads.removedAt }).from(threads).where(eq(threads.id, threadId)).limit(1);
  const post = await postState(tx, postId);
  if (!thread || thread.removedAt || !post || post.removedAt || post.deletedAt || post.heldAt) return;

  const muters = await tx.select({ userId: mutes.userId }).from(mutes).where(eq(mutes.mutedUserId, actorId));
  const mutedBy = new Set(muters.map((r) => r.userId));
  const blocked = new Set(await unreachableFrom(actorId, tx));
  const recipients = new Map<number, NotificationKind>();
  for (const [userId, kind] of candidates) {
    if (userId === actorId || mutedBy.has(userId) || blocked.has(userId) || recipients.has(userId)) continue;
    recipients.set(userId, kind);
  }

  // Re-check deleted accounts for quote recipients too.
  const live = new Set<number>();
  for (const ids of chunks([...recipients.keys()])) {
    const liveRows = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(inIdList(users.id, ids), isNull(users.deletedAt)));
    for (const u of liveRows) live.add(u.id);
  }
  const kept = [...recipients].filter(([userId]) => live.has(userId));
  const rows = kept.filter(([, kind]) => kind !== "reply").map(([userId, kind]) => ({ userId, kind, actorId, threadId, postId }));
  // In the candidates' order; a row already there is kept as it is.
  for (const part of chunks(rows))
    await tx
      .insert(notifications)
      .values(await withMailDue(tx, part))
      .onConflictDoNothing();
  const repliedTo = kept.filter(([, kind]) => kind === "reply").map(([userId]) => userId);
  if (repliedTo.length > 0) await writeReplyGroups(tx, event, repliedTo);
}

/**
 * Called by the moderation model in the transaction of the action. `text` is the whole sentence
 * shown to the member, reason included (e.g. "A moderator removed your post. Reason: spam").
 * Never to oneself.
 */
export async function notifyModeration(
  tx: Tx,
  event: { userId: number; actorId: number; threadId?: number | null; postId?: number | null; conversationId?: number | null; text: string },
) {
  if (event.userId === event.actorId) return;
  await tx.insert(notifications).values({
    userId: event.userId,
    kind: "moderation",
    actorId: event.actorId,
    threadId: event.threadId ?? null,
    postId: event.postId ?? null,
    conversationId: event.conversationId ?? null,
    text: event.text,
  });
}

/**
 * Notifications about posts or threads that were removed (or deleted by their author) since
 * are not shown or counted; moderation notices always are (they explain the removal).
 */
const visible = or(eq(notifications.kind, "moderation"), and(isNull(posts.removedAt), isNull(posts.deletedAt), isNull(threads.removedAt)));

/** The header's count, on every page a member opens. */
export async function getUnreadCount(userId: number) {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), visible))
    .limit(1);
  return row?.n ?? 0;
}

const actor = alias(users, "actor");

export type NotificationItem = {
  id: number;
  kind: "reply" | "quote" | "mention" | "moderation" | "message" | "thread";
  actor: string | null;
  /** For a reply group: how many other people replied besides `actor`. */
  others: number;
  threadTitle: string | null;
  boardName: string | null;
  text: string | null;
  createdAt: Date;
  read: boolean;
  href: string | null;
};

/**
 * Newest first, one page at a time. A moderation notice stays even once its thread is removed,
 * but names the thread only where the visibility rule lets this member open it.
 */
export async function listNotifications(userId: number, page: number) {
  const [[viewer], [counted]] = await Promise.all([
    db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId)).limit(1),
    db
      .select({ n: count() })
      .from(notifications)
      .leftJoin(posts, eq(posts.id, notifications.postId))
      .leftJoin(threads, eq(threads.id, notifications.threadId))
      .where(and(eq(notifications.userId, userId), visible))
      .limit(1),
  ]);
  const total = counted!.n;
  const pageCount = Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE));
  if (page > pageCount) notFound("That page of notifications doesn't exist.");
  const rows = await db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      actor: actor.username,
      threadId: notifications.threadId,
      threadTitle: sql<string | null>`case when ${threadOpenSql(viewer)} then ${threads.title} end`,
      boardName: boards.name,
      postId: notifications.postId,
      number: posts.number,
      conversationId: notifications.conversationId,
      lastNumber: threads.postCount,
      text: notifications.text,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .leftJoin(boards, eq(boards.id, threads.boardId))
    .leftJoin(actor, eq(actor.id, notifications.actorId))
    .where(and(eq(notifications.userId, userId), visible))
    .orderBy(desc(notifications.id))
    .limit(NOTIFICATIONS_PER_PAGE)
    .offset((page - 1) * NOTIFICATIONS_PER_PAGE);
  const others = await othersInGroups(
    userId,
    rows.filter((r) => r.kind === "reply").map((r) => r.id),
  );
  const items: NotificationItem[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    actor: r.actor,
    others: others.get(r.id) ?? 0,
    threadTitle: r.threadTitle,
    boardName: r.threadTitle === null ? null : r.boardName,
    text: r.text,
    createdAt: r.createdAt,
    read: r.readAt !== null,
    href: hrefOf(r),
  }));
  return { items, page, pageCount, unread: await getUnreadCount(userId) };
}

function hrefOf(r: { threadId: number | null; postId: number | null; number: number | null; lastNumber: number | null; conversationId: number | null }) {
  if (r.conversationId !== null) return `/messages/${r.conversationId}`;
  if (r.threadId !== null && r.postId !== null && r.number !== null) return postHref(r.threadId, r.postId, r.number, r.lastNumber ?? undefined);
  if (r.threadId !== null) return `/threads/${r.threadId}`;
  return null;
}

/** Marks one of the member's notifications read and returns where it points (or null). */
export async function openNotification(userId: number, notificationId: number) {
  return transaction(async (tx) => {
    const [row] = await tx
      .select({
        threadId: notifications.threadId,
        postId: notifications.postId,
        number: posts.number,
        conversationId: notifications.conversationId,
        lastNumber: threads.postCount,
        readAt: notifications.readAt,
      })
      .from(notifications)
      .leftJoin(posts, eq(posts.id, notifications.postId))
      .leftJoin(threads, eq(threads.id, notifications.threadId))
      .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
      .limit(1);
    // Someone else's notification looks exactly like a missing one.
    if (!row) notFound("There is no such notification.");
    if (!row.readAt) await tx.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, notificationId));
    return { href: hrefOf(row) };
  });
}

export async function markAllNotificationsRead(userId: number) {
  await transaction((tx) =>
    tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(and(eq(notifications.userId, userId), isNull(notifications.readAt))),
  );
}
