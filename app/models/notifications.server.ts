import { and, count, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, prepared, type Executor, type Tx } from "../../db/client.ts";
import { follows, mutes, notifications, posts, threads, users } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { pageOfPost } from "../utils/limits.ts";
import { idList, inIdList } from "./id-list.server.ts";
import { recordRead } from "./reads.server.ts";
import { threadOpenSql } from "./visibility.server.ts";

export const NOTIFICATIONS_PER_PAGE = 30;
export const MAX_MENTIONS_PER_POST = 10;

/** The exact place of a post: its thread page and anchor. */
export function postHref(threadId: number, postId: number, number: number) {
  return `/threads/${threadId}?page=${pageOfPost(number)}#post-${postId}`;
}

/** Looks a post up and returns its link; 404 when there is no such post. */
export function getPostHref(postId: number, tx: Executor = db) {
  const post = tx.select({ threadId: posts.threadId, number: posts.number }).from(posts).where(eq(posts.id, postId)).get();
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

type NotificationKind = "reply" | "quote" | "mention";

/**
 * Called by the thread model inside the transaction that created the post.
 *
 * - The author follows the thread (and has read up to their own post).
 * - One notification per member per post, with precedence quote > mention > reply.
 * - `replyToPostId`: the post this one answers or quotes (a hidden field on the reply form);
 *   it counts only when that post is in the same thread and still visible.
 * - Who is never notified: see notifyAboutPost.
 */
// Every new post runs these inside its write turn (db/client.ts, `prepared`).
const postQueries = prepared((executor) => ({
  follow: executor
    .insert(follows)
    .values({ userId: sql.placeholder("userId"), threadId: sql.placeholder("threadId") })
    .onConflictDoNothing()
    .prepare(),
  post: executor
    .select({ authorId: posts.authorId, threadId: posts.threadId, removedAt: posts.removedAt, deletedAt: posts.deletedAt })
    .from(posts)
    .where(eq(posts.id, sql.placeholder("postId")))
    .prepare(),
  threadRemovedAt: executor
    .select({ removedAt: threads.removedAt })
    .from(threads)
    .where(eq(threads.id, sql.placeholder("threadId")))
    .prepare(),
  followers: executor
    .select({ userId: follows.userId })
    .from(follows)
    .innerJoin(users, eq(users.id, follows.userId))
    .where(and(eq(follows.threadId, sql.placeholder("threadId")), isNull(users.deletedAt)))
    .prepare(),
  mutedBy: executor
    .select({ userId: mutes.userId })
    .from(mutes)
    .where(eq(mutes.mutedUserId, sql.placeholder("actorId")))
    .prepare(),
  live: executor
    .select({ id: users.id })
    .from(users)
    .where(and(inIdList(users.id), isNull(users.deletedAt)))
    .prepare(),
  // One row per run: a statement for the whole list would be built and prepared anew for each
  // count of rows, which cost more than the inserts.
  notify: executor
    .insert(notifications)
    .values({
      userId: sql.placeholder("userId"),
      kind: sql.placeholder("kind"),
      actorId: sql.placeholder("actorId"),
      threadId: sql.placeholder("threadId"),
      postId: sql.placeholder("postId"),
    })
    .onConflictDoNothing()
    .prepare(),
}));

export function afterPostCreated(
  tx: Tx,
  event: { actorId: number; threadId: number; postId: number; number: number; bodyMarkdown: string; replyToPostId?: number | null },
) {
  const { actorId, threadId } = event;
  postQueries(tx).follow.run({ userId: actorId, threadId });
  recordRead(tx, actorId, threadId, event.number);

  const candidates: [number, NotificationKind][] = [];
  if (event.replyToPostId) {
    const target = postQueries(tx).post.get({ postId: event.replyToPostId });
    if (target && target.threadId === threadId && !target.removedAt && !target.deletedAt) candidates.push([target.authorId, "quote"]);
  }
  for (const id of mentionedUserIds(tx, extractMentions(event.bodyMarkdown))) candidates.push([id, "mention"]);
  const followers = postQueries(tx).followers.all({ threadId });
  for (const follower of followers) candidates.push([follower.userId, "reply"]);
  notifyAboutPost(tx, event, candidates);
}

/**
 * Called by the thread model inside the transaction that edited the post. Like Discourse, a
 * name newly @mentioned by the edit pings that member once; a name that was already in the
 * previous text does not (it was handled, or deliberately skipped, when it was written), and a
 * removed mention takes nothing back. Every other rule is the same as for a new post.
 */
export function afterPostEdited(tx: Tx, event: { actorId: number; threadId: number; postId: number; previousMarkdown: string; bodyMarkdown: string }) {
  // No limit on the old text: a name past the limit there was left out on purpose, not forgotten.
  const before = new Set(extractMentions(event.previousMarkdown, Infinity));
  const added = extractMentions(event.bodyMarkdown).filter((name) => !before.has(name));
  notifyAboutPost(
    tx,
    event,
    mentionedUserIds(tx, added).map((id): [number, NotificationKind] => [id, "mention"]),
  );
}

/** Ids of the live accounts with these usernames, in the order the names were written. */
function mentionedUserIds(tx: Tx, names: string[]) {
  if (names.length === 0) return [];
  const mentioned = tx
    .select({ id: users.id, username: users.username })
    .from(users)
    .where(and(inArray(users.username, names), isNull(users.deletedAt)))
    .all();
  mentioned.sort((a, b) => names.indexOf(a.username) - names.indexOf(b.username));
  return mentioned.map((u) => u.id);
}

/**
 * Writes one notification per member about a post, the first candidate of each member winning.
 *
 * - Nobody is notified about a removed or deleted post, a post in a removed thread, their own
 *   post, or by a member they have muted (muting means "I don't want to hear from them",
 *   notifications included). Deleted accounts are never notified.
 * - A member already notified about this post is not notified again: the unique index on
 *   (member, post) keeps the first row, so an edit can't ping twice.
 */
function notifyAboutPost(tx: Tx, event: { actorId: number; threadId: number; postId: number }, candidates: [number, NotificationKind][]) {
  const { actorId, threadId, postId } = event;
  if (candidates.length === 0) return;
  const thread = postQueries(tx).threadRemovedAt.get({ threadId });
  const post = postQueries(tx).post.get({ postId });
  if (!thread || thread.removedAt || !post || post.removedAt || post.deletedAt) return;

  const mutedBy = new Set(
    postQueries(tx)
      .mutedBy.all({ actorId })
      .map((r) => r.userId),
  );
  const recipients = new Map<number, NotificationKind>();
  for (const [userId, kind] of candidates) {
    if (userId === actorId || mutedBy.has(userId) || recipients.has(userId)) continue;
    recipients.set(userId, kind);
  }

  // Re-check deleted accounts for quote recipients too.
  const ids = [...recipients.keys()];
  if (ids.length === 0) return;
  const live = new Set(
    postQueries(tx)
      .live.all({ ids: idList(ids) })
      .map((u) => u.id),
  );
  for (const [userId, kind] of recipients) {
    if (live.has(userId)) postQueries(tx).notify.run({ userId, kind, actorId, threadId, postId });
  }
}

/**
 * Called by the moderation model in the transaction of the action. `text` is the whole sentence
 * shown to the member, reason included (e.g. "A moderator removed your post. Reason: spam").
 * Never to oneself.
 */
export function notifyModeration(tx: Tx, event: { userId: number; actorId: number; threadId?: number | null; postId?: number | null; text: string }) {
  if (event.userId === event.actorId) return;
  tx.insert(notifications)
    .values({
      userId: event.userId,
      kind: "moderation",
      actorId: event.actorId,
      threadId: event.threadId ?? null,
      postId: event.postId ?? null,
      text: event.text,
    })
    .run();
}

/**
 * Notifications about posts or threads that were removed (or deleted by their author) since
 * are not shown or counted; moderation notices always are (they explain the removal).
 */
const visible = or(eq(notifications.kind, "moderation"), and(isNull(posts.removedAt), isNull(posts.deletedAt), isNull(threads.removedAt)));

// The header's count, on every page a member opens.
const unreadCount = prepared((executor) =>
  executor
    .select({ n: count() })
    .from(notifications)
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .where(and(eq(notifications.userId, sql.placeholder("userId")), isNull(notifications.readAt), visible))
    .prepare(),
);

export function getUnreadCount(userId: number) {
  return unreadCount(db).get({ userId })?.n ?? 0;
}

const actor = alias(users, "actor");

export type NotificationItem = {
  id: number;
  kind: "reply" | "quote" | "mention" | "moderation";
  actor: string | null;
  threadTitle: string | null;
  text: string | null;
  createdAt: Date;
  read: boolean;
  href: string | null;
};

/**
 * Newest first, one page at a time. A moderation notice stays even once its thread is removed,
 * but names the thread only where the visibility rule lets this member open it.
 */
export function listNotifications(userId: number, page: number) {
  const viewer = db.select({ id: users.id, role: users.role }).from(users).where(eq(users.id, userId)).get();
  const total = db
    .select({ n: count() })
    .from(notifications)
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .where(and(eq(notifications.userId, userId), visible))
    .get()!.n;
  const pageCount = Math.max(1, Math.ceil(total / NOTIFICATIONS_PER_PAGE));
  if (page > pageCount) notFound("That page of notifications doesn't exist.");
  const rows = db
    .select({
      id: notifications.id,
      kind: notifications.kind,
      actor: actor.username,
      threadId: notifications.threadId,
      threadTitle: sql<string | null>`case when ${threadOpenSql(viewer)} then ${threads.title} end`,
      postId: notifications.postId,
      number: posts.number,
      text: notifications.text,
      createdAt: notifications.createdAt,
      readAt: notifications.readAt,
    })
    .from(notifications)
    .leftJoin(posts, eq(posts.id, notifications.postId))
    .leftJoin(threads, eq(threads.id, notifications.threadId))
    .leftJoin(actor, eq(actor.id, notifications.actorId))
    .where(and(eq(notifications.userId, userId), visible))
    .orderBy(desc(notifications.id))
    .limit(NOTIFICATIONS_PER_PAGE)
    .offset((page - 1) * NOTIFICATIONS_PER_PAGE)
    .all();
  const items: NotificationItem[] = rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    actor: r.actor,
    threadTitle: r.threadTitle,
    text: r.text,
    createdAt: r.createdAt,
    read: r.readAt !== null,
    href: hrefOf(r),
  }));
  return { items, page, pageCount, unread: getUnreadCount(userId) };
}

function hrefOf(r: { threadId: number | null; postId: number | null; number: number | null }) {
  if (r.threadId !== null && r.postId !== null && r.number !== null) return postHref(r.threadId, r.postId, r.number);
  if (r.threadId !== null) return `/threads/${r.threadId}`;
  return null;
}

/** Marks one of the member's notifications read and returns where it points (or null). */
export function openNotification(userId: number, notificationId: number) {
  return db.transaction(
    (tx) => {
      const row = tx
        .select({ threadId: notifications.threadId, postId: notifications.postId, number: posts.number, readAt: notifications.readAt })
        .from(notifications)
        .leftJoin(posts, eq(posts.id, notifications.postId))
        .where(and(eq(notifications.id, notificationId), eq(notifications.userId, userId)))
        .get();
      // Someone else's notification looks exactly like a missing one.
      if (!row) notFound("There is no such notification.");
      if (!row.readAt) tx.update(notifications).set({ readAt: new Date() }).where(eq(notifications.id, notificationId)).run();
      return { href: hrefOf(row) };
    },
    { behavior: "immediate" },
  );
}

export function markAllNotificationsRead(userId: number) {
  db.update(notifications)
    .set({ readAt: new Date() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)))
    .run();
}
