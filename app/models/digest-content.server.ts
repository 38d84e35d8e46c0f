/**
 * What a digest says (docs/decisions/039): everything since the last digest of its period, read
 * through the same visibility rules as the member's own pages. Removed, deleted and held posts
 * and threads are left out, and so are the posts of members they muted or are in a block with.
 * Each item is a headline naming where, a short plain-text excerpt (a warned post gives only its
 * label) and a link; the whole digest is a few bounded queries per member.
 */
import { and, type AnyColumn, asc, count, desc, eq, gt, inArray, isNull, lte, min, ne, notExists, notInArray, or, sql, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db } from "../../db/client.ts";
import { boards, boardWatches, follows, notifications, posts, reactions, threads, userConditions, users, type WarningKind } from "../../db/schema.ts";
import { MAIL_EXCERPT_MAX, plainExcerpt, postExcerpt } from "../utils/excerpt.ts";
import type { Actor } from "../utils/permissions.ts";
import { blockedEitherWayIds } from "./blocks.server.ts";
import { PREF_KIND_OF, type NotificationPrefKind } from "./mail-preferences.server.ts";
import { getMutedUserIds } from "./mutes.server.ts";
import { postHref } from "./notifications.server.ts";
import { listedPostSql, listedThreadSql } from "./visibility.server.ts";

/** Items named per section; a count says how many there were in all. */
const ITEMS_PER_SECTION = 10;
const BEST_POSTS = 3;

/** A link is a path on the site; the mail makes it absolute. */
export type DigestItem = { headline: string; excerpt: string | null; href: string };
export type DigestContent = {
  /** "3 replies to your posts, 1 mention": the kinds the member chose for this period. */
  summary: string | null;
  addressed: DigestItem[];
  followed: DigestItem[];
  watched: DigestItem[];
  best: DigestItem[];
};

export const isEmpty = (digest: DigestContent) => digest.addressed.length + digest.followed.length + digest.watched.length + digest.best.length === 0;

type Member = NonNullable<Actor>;
type Window = { since: Date; until: Date };

const author = alias(users, "author");
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const where = (title: string, board: string) => `'${title}' (${board})`;

const shortText = (post: { bodyMarkdown: string; warningKind: WarningKind | null; warningText: string | null }) => postExcerpt(post, MAIL_EXCERPT_MAX);

/** The members whose posts this member does not see in a digest: muted, or a block either way. */
async function hiddenAuthors(memberId: number) {
  const [muted, blocked] = await Promise.all([getMutedUserIds(memberId), blockedEitherWayIds(memberId)]);
  return [...new Set([...muted, ...blocked])];
}

/** A post this member may read in a list, by someone other than them and not hidden from them. */
function shownPost(member: Member, hidden: number[]): SQL {
  return and(listedPostSql(member), listedThreadSql(member), ne(posts.authorId, member.id), hidden.length ? notInArray(posts.authorId, hidden) : undefined)!;
}

const inWindow = (column: AnyColumn, { since, until }: Window) => and(gt(column, since), lte(column, until));

// The notification kinds a digest lists one by one; followed and watched have sections of their own.
const ITEMIZED = ["quote", "mention", "moderation", "message"] as const;
type Itemized = (typeof ITEMIZED)[number];
const COUNT_WORDS: Record<Itemized, [string, string]> = {
  quote: ["reply to your posts", "replies to your posts"],
  mention: ["mention", "mentions"],
  moderation: ["note from the moderators", "notes from the moderators"],
  message: ["conversation with new messages", "conversations with new messages"],
};

/**
 * Unread, unmailed notifications of the chosen kinds: a post's notice only while the post is
 * listed for the member and its author not hidden; a conversation's notice never carries its words.
 */
async function addressedItems(member: Member, kinds: Itemized[], hidden: number[], window: Window) {
  if (kinds.length === 0) return { summary: null, items: [] };
  const base = and(
    eq(notifications.userId, member.id),
    inArray(notifications.kind, kinds),
    inWindow(notifications.createdAt, window),
    isNull(notifications.readAt),
    isNull(notifications.mailedAt),
    or(
      inArray(notifications.kind, ["moderation", "message"]),
      and(listedPostSql(member), listedThreadSql(member), hidden.length ? notInArray(posts.authorId, hidden) : undefined),
    ),
  );
  const from = () =>
    db
      .select({
        id: notifications.id,
        kind: notifications.kind,
        text: notifications.text,
        conversationId: notifications.conversationId,
        actor: author.username,
        threadId: posts.threadId,
        postId: posts.id,
        number: posts.number,
        bodyMarkdown: posts.bodyMarkdown,
        warningKind: posts.warningKind,
        warningText: posts.warningText,
        title: threads.title,
        board: boards.name,
      })
      .from(notifications)
      .leftJoin(posts, eq(posts.id, notifications.postId))
      .leftJoin(threads, eq(threads.id, posts.threadId))
      .leftJoin(boards, eq(boards.id, threads.boardId))
      .leftJoin(author, eq(author.id, posts.authorId));
  const [counts, rows] = await Promise.all([
    db
      .select({ kind: notifications.kind, n: count() })
      .from(notifications)
      .leftJoin(posts, eq(posts.id, notifications.postId))
      .leftJoin(threads, eq(threads.id, posts.threadId))
      .where(base)
      .groupBy(notifications.kind),
    from().where(base).orderBy(asc(notifications.id)).limit(ITEMS_PER_SECTION),
  ]);
  const summary = ITEMIZED.flatMap((kind) => {
    const n = counts.find((c) => c.kind === kind)?.n ?? 0;
    return n > 0 ? [plural(n, ...COUNT_WORDS[kind])] : [];
  }).join(", ");
  const items = rows.map((row): DigestItem => {
    if (row.kind === "message") return { headline: "New messages in a private conversation", excerpt: null, href: `/messages/${row.conversationId}` };
    if (row.kind === "moderation")
      return { headline: "A note from the moderators", excerpt: row.text ? plainExcerpt(row.text, MAIL_EXCERPT_MAX) : null, href: "/notifications" };
    const verb = row.kind === "quote" ? "replied to your post in" : "mentioned you in";
    return {
      headline: `${row.actor} ${verb} ${where(row.title!, row.board!)}`,
      excerpt: shortText({ bodyMarkdown: row.bodyMarkdown!, warningKind: row.warningKind, warningText: row.warningText }),
      href: postHref(row.threadId!, row.postId!, row.number!),
    };
  });
  return { summary: summary || null, items };
}

/**
 * A reply that answered or mentioned the member: their "replies" and "mentions" choices decide how
 * they hear of it, so the followed section doesn't count it again. Written to use the partial
 * unique index on (user_id, post_id).
 */
const notAddressedTo = (memberId: number) =>
  notExists(
    db
      .select({ one: sql`1` })
      .from(notifications)
      .where(
        and(
          eq(notifications.userId, memberId),
          eq(notifications.postId, posts.id),
          sql`${notifications.kind} != 'moderation'`,
          inArray(notifications.kind, ["quote", "mention"]),
        ),
      ),
  );

/** Followed threads with new replies by others (not their opening post, nor those addressed to them), most first, each linking to its first new reply. */
async function followedItems(member: Member, hidden: number[], window: Window) {
  const newReplies = count(posts.id);
  const rows = await db
    .select({ threadId: threads.id, title: threads.title, board: boards.name, n: newReplies, first: min(posts.number) })
    .from(follows)
    .innerJoin(threads, eq(threads.id, follows.threadId))
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .innerJoin(posts, eq(posts.threadId, threads.id))
    .where(
      and(
        eq(follows.userId, member.id),
        gt(threads.lastPostAt, window.since),
        gt(posts.number, 1),
        inWindow(posts.createdAt, window),
        shownPost(member, hidden),
        notAddressedTo(member.id),
      ),
    )
    .groupBy(threads.id, threads.title, boards.name)
    .orderBy(desc(newReplies), asc(threads.id))
    .limit(ITEMS_PER_SECTION);
  if (rows.length === 0) return [];
  const firsts = await db
    .select({ id: posts.id, threadId: posts.threadId, number: posts.number })
    .from(posts)
    .where(or(...rows.map((r) => and(eq(posts.threadId, r.threadId), eq(posts.number, r.first!)))));
  return rows.map((row): DigestItem => {
    const first = firsts.find((p) => p.threadId === row.threadId);
    return {
      headline: `${where(row.title, row.board)} — ${plural(row.n, "new reply", "new replies")}`,
      excerpt: null,
      href: first ? postHref(row.threadId, first.id, first.number) : `/threads/${row.threadId}`,
    };
  });
}

/** Threads started in the window in boards the member watches, oldest first. */
async function watchedItems(member: Member, hidden: number[], window: Window) {
  const rows = await db
    .select({
      threadId: threads.id,
      title: threads.title,
      board: boards.name,
      author: author.username,
      bodyMarkdown: posts.bodyMarkdown,
      warningKind: posts.warningKind,
      warningText: posts.warningText,
    })
    .from(boardWatches)
    .innerJoin(threads, eq(threads.boardId, boardWatches.boardId))
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .innerJoin(posts, and(eq(posts.threadId, threads.id), eq(posts.number, 1)))
    .innerJoin(author, eq(author.id, posts.authorId))
    .where(and(eq(boardWatches.userId, member.id), gt(threads.lastPostAt, window.since), inWindow(threads.createdAt, window), shownPost(member, hidden)))
    .orderBy(asc(threads.id))
    .limit(ITEMS_PER_SECTION);
  return rows.map((row): DigestItem => ({
    headline: `'${row.title}' in ${row.board}, started by ${row.author}`,
    excerpt: shortText(row),
    href: `/threads/${row.threadId}`,
  }));
}

/** The member's boards: those of the threads they follow, the boards they watch, their profile's conditions. */
function memberBoardIds(memberId: number) {
  return sql`(select ${threads.boardId} from ${follows} inner join ${threads} on ${threads.id} = ${follows.threadId} where ${follows.userId} = ${memberId}
    union select ${boardWatches.boardId} from ${boardWatches} where ${boardWatches.userId} = ${memberId}
    union select ${userConditions.boardId} from ${userConditions} where ${userConditions.userId} = ${memberId})`;
}

/** The posts of the window in the member's boards with the most reactions, earliest first on a tie. */
async function bestItems(member: Member, hidden: number[], window: Window) {
  const support = count(reactions.postId);
  const rows = await db
    .select({
      postId: posts.id,
      threadId: posts.threadId,
      number: posts.number,
      bodyMarkdown: posts.bodyMarkdown,
      warningKind: posts.warningKind,
      warningText: posts.warningText,
      title: threads.title,
      board: boards.name,
      author: author.username,
      n: support,
    })
    .from(posts)
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .innerJoin(author, eq(author.id, posts.authorId))
    .innerJoin(reactions, eq(reactions.postId, posts.id))
    .where(
      and(
        sql`${threads.boardId} in ${memberBoardIds(member.id)}`,
        gt(threads.lastPostAt, window.since),
        inWindow(posts.createdAt, window),
        shownPost(member, hidden),
      ),
    )
    .groupBy(posts.id, threads.id, boards.id, author.id)
    .orderBy(desc(support), asc(posts.id))
    .limit(BEST_POSTS);
  return rows.map((row): DigestItem => ({
    headline: `${row.author} in ${where(row.title, row.board)} — ${plural(row.n, "reaction", "reactions")}`,
    excerpt: shortText(row),
    href: postHref(row.threadId, row.postId, row.number),
  }));
}

/** The digest for `member` over (since, until], for the kinds they chose to hear about in this period. */
export async function gatherDigest(member: Member, kinds: NotificationPrefKind[], window: Window): Promise<DigestContent> {
  const hidden = await hiddenAuthors(member.id);
  const itemized = ITEMIZED.filter((kind) => kinds.includes(PREF_KIND_OF[kind]));
  const [addressed, followed, watched, best] = await Promise.all([
    addressedItems(member, itemized, hidden, window),
    kinds.includes("followed") ? followedItems(member, hidden, window) : [],
    kinds.includes("watched") ? watchedItems(member, hidden, window) : [],
    bestItems(member, hidden, window),
  ]);
  return { summary: addressed.summary, addressed: addressed.items, followed, watched, best };
}
