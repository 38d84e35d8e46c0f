/** Reading a thread: its pages, a post's history, and what a Quote link copies. */
import { and, asc, between, desc, eq, sql } from "drizzle-orm";
import { db, prepared } from "../../db/client.ts";
import { boards, postRevisions, posts, threads, users, type Role, type WarningKind } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { POSTS_PER_PAGE } from "../utils/limits.ts";
import { warningLabel, type WarningView } from "../utils/content-warnings.ts";
import { canParticipate, type Actor } from "../utils/permissions.ts";
import { blockStopsContact } from "./blocks.server.ts";
import { getWarningChoices, viewWarning } from "./content-warnings.server.ts";
import { restorableUntil } from "./posts.server.ts";
import { heldRepliesFor, postColumns, reviewState, type ReviewState } from "./review.server.ts";
import { canReadPostText, findReadablePost, membersOnlySql, requireReadablePost, requireReadableThread } from "./visibility.server.ts";

const threadRow = {
  id: threads.id,
  title: threads.title,
  authorId: threads.authorId,
  postCount: threads.postCount,
  replyCount: threads.replyCount,
  createdAt: threads.createdAt,
  boardId: threads.boardId,
  boardSlug: boards.slug,
  boardName: boards.name,
  pinned: sql<boolean>`${threads.pinPosition} is not null`.mapWith(Boolean),
  lockedAt: threads.lockedAt,
  lockReason: threads.lockReason,
  removedAt: threads.removedAt,
  removedById: threads.removedById,
  removalReason: threads.removalReason,
  membersOnly: membersOnlySql(),
  /** Its opening post waits for a moderator (review.server.ts): no replies until it is published. */
  heldAt: threads.heldAt,
  /** The author's own choice (only where the board's access is "author-choice"). */
  keptToMembers: threads.membersOnly,
  boardAccess: boards.access,
  /** How many first posts of a new member the board holds for review (review.server.ts). */
  boardReview: boards.reviewFirstPosts,
};

// The two reads behind every thread page, built once (db/client.ts, `prepared`).
const threadRowQuery = prepared(() =>
  db
    .select(threadRow)
    .from(threads)
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .where(eq(threads.id, sql.placeholder("threadId")))
    .limit(1)
    .prepare(),
);
const pageQuery = prepared(() =>
  db
    .select(postColumns)
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .where(and(eq(posts.threadId, sql.placeholder("threadId")), between(posts.number, sql.placeholder("first"), sql.placeholder("last"))))
    .orderBy(asc(posts.number))
    .prepare(),
);

async function getThreadRow(threadId: number) {
  const [thread] = await threadRowQuery().execute({ threadId });
  if (!thread) notFound("There is no thread at this address.");
  return thread;
}

/** A thread as the viewer may see it: 410 with the reason where visibility.server.ts says it is gone. */
export async function getThreadSummary(threadId: number, viewer: Actor = null) {
  return requireReadableThread(viewer, await getThreadRow(threadId));
}

export type ThreadPost = {
  id: number;
  number: number;
  author: string;
  authorId: number;
  authorRole: Role;
  createdAt: Date;
  editedAt: Date | null;
  deleted: boolean;
  /** The moderators' reason when removed; the text is then shown only to its author and staff. */
  removalReason: string | null;
  bodyHtml: string | null;
  /** For the viewer's own deleted post: until when they can still restore it (ISO), else null. */
  undoUntil: string | null;
  /** The content warning, drawn as the viewer chose for its kind; null when none or no words are shown. */
  warning: WarningView | null;
  /** Set while it waits for a moderator (then only its author and staff see it), with the note if returned. */
  review: ReviewState;
};

type PostRow = Awaited<ReturnType<ReturnType<typeof pageQuery>["execute"]>>[number];

/**
 * One page of a thread: a range scan on (thread_id, number), never the whole thread. On the last
 * page, `held`: the replies waiting for a moderator that the viewer may see (review.server.ts).
 */
export async function getThreadPage(threadId: number, page: number, viewer: Actor = null, now = new Date()) {
  const thread = await getThreadSummary(threadId, viewer);
  const pageCount = Math.max(1, Math.ceil(thread.postCount / POSTS_PER_PAGE));
  if (page > pageCount) notFound("That page of the thread doesn't exist.");
  const first = (page - 1) * POSTS_PER_PAGE + 1;
  const [rows, held, choices] = await Promise.all([
    pageQuery().execute({ threadId, first, last: first + POSTS_PER_PAGE - 1 }),
    page === pageCount ? heldRepliesFor(viewer, threadId) : [],
    getWarningChoices(viewer),
  ]);
  // Each field by name: in V8 an object spread followed by more properties ends up in the old
  // generation, where it waits for a full collection.
  const toThreadPost = (row: PostRow): ThreadPost => {
    const text = canReadPostText(viewer, row);
    return {
      id: row.id,
      number: row.number,
      author: row.author,
      authorId: row.authorId,
      authorRole: row.authorRole,
      createdAt: row.createdAt,
      editedAt: row.editedAt,
      deleted: !!row.deletedAt,
      removalReason: row.removedAt ? (row.removalReason ?? "no reason given") : null,
      // Hidden words leave the page data entirely, not just the view.
      bodyHtml: text ? row.bodyHtml : null,
      // Only to an author who could press it (undeletePost's rule): a read-only account can't.
      undoUntil: row.deletedAt && canParticipate(viewer) && viewer!.id === row.authorId ? (restorableUntil(row.deletedAt, now)?.toISOString() ?? null) : null,
      warning: text ? viewWarning(row, choices) : null,
      review: reviewState(row),
    };
  };
  // A held reply its author deleted stays in their view only while they can restore it.
  const waiting = held.map(toThreadPost).filter((post) => !post.deleted || post.undoUntil);
  return { thread, posts: rows.map(toThreadPost), held: waiting, page, pageCount };
}

/**
 * The current version and every earlier one, newest first: only for a viewer who may read the
 * post's words (visibility.server.ts), so a deleted or hidden post has no history to show.
 */
export async function getPostHistory(postId: number, viewer: Actor = null) {
  const post = await requireReadablePost(viewer, postId);
  if (post.deletedAt) notFound("This post was deleted by its author.");
  if (post.bodyHtml === null) notFound(`This post was removed by moderators — ${post.view.removalReason}.`);
  const [revisionRows, choices] = await Promise.all([
    db
      .select({
        id: postRevisions.id,
        title: postRevisions.title,
        bodyHtml: postRevisions.bodyHtml,
        warningKind: postRevisions.warningKind,
        warningText: postRevisions.warningText,
        writtenAt: postRevisions.writtenAt,
      })
      .from(postRevisions)
      .where(eq(postRevisions.postId, postId))
      .orderBy(desc(postRevisions.id)),
    getWarningChoices(viewer),
  ]);
  // Each version behind the warning it had; the viewer came for this post, so nothing is a stand-in.
  const revisions = revisionRows.map((r) => ({
    id: r.id,
    title: r.title,
    bodyHtml: r.bodyHtml,
    writtenAt: r.writtenAt,
    warning: viewWarning(r, choices, { standIn: false }),
  }));
  return {
    post: {
      id: post.id,
      threadId: post.threadId,
      number: post.number,
      title: post.threadTitle,
      author: post.author,
      bodyHtml: post.bodyHtml,
      writtenAt: post.editedAt ?? post.createdAt,
      warning: viewWarning(post, choices, { standIn: false }),
    },
    revisions,
  };
}

/** How much of a post a Quote link copies into the reply box. */
export const QUOTE_MAX = 600;

/**
 * The post a Quote link copies: only a live post (not deleted, not removed) of this thread,
 * in a thread the viewer can see, and only for a member (visitors can't reply) with no block
 * between them and its author (decision 032). Else null.
 */
export async function getQuotablePost(viewer: Actor, threadId: number, postId: number) {
  if (!viewer) return null;
  const post = await findReadablePost(viewer, postId);
  if (!post || post.threadId !== threadId || !post.view.live || post.bodyMarkdown === null) return null;
  if (await blockStopsContact(viewer, post.authorId)) return null;
  const warning = post.warningKind ? { kind: post.warningKind, text: post.warningText } : null;
  return { number: post.number, author: post.author, bodyMarkdown: post.bodyMarkdown, warning };
}

/**
 * The quote as markdown: "**alice** wrote in post 12:", the first QUOTE_MAX characters of the
 * post (cut at a word, "…" where cut) as a blockquote, then an empty line for the answer. No
 * link to the post: the renderer keeps only absolute http(s) links, and it reads fine without.
 */
export function quoteMarkdown(post: { number: number; author: string; bodyMarkdown: string; warning?: { kind: WarningKind; text: string | null } | null }) {
  let text = post.bodyMarkdown.replace(/\r\n?/g, "\n").trim();
  if (text.length > QUOTE_MAX) {
    const cut = text.slice(0, QUOTE_MAX);
    const space = cut.search(/\s\S*$/);
    // A single long word (a URL) is cut where it stands rather than dropped whole.
    text = `${(space > QUOTE_MAX / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
  }
  const quoted = text
    .split("\n")
    .map((line) => (line.trim() ? `> ${line}` : ">"))
    .join("\n");
  // A warned post's words carry its label into the reply (whose form starts with the same warning).
  const warned = post.warning ? ` (content warning: ${escapeMarkdown(warningLabel(post.warning.kind, post.warning.text))})` : "";
  // Usernames may hold "_", which would otherwise start emphasis in the attribution.
  return `**${post.author.replace(/_/g, "\\_")}** wrote in post ${post.number}${warned}:\n\n${quoted}\n\n`;
}

/** An author's own words inside a line of markdown as plain text: no emphasis, links, code or HTML of their own. */
function escapeMarkdown(text: string) {
  return text.replace(/[\\`*_[\]<>~]/g, "\\$&");
}
