import { and, asc, count, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, prepared, transaction } from "../../db/client.ts";
import { boardAccesses, boards, threadTags, threads, users, type Board, type BoardAccess } from "../../db/schema.ts";
import { badRequest, forbidden, notFound } from "../utils/http.server.ts";
import { BOARD_ACCESS_LABELS, FOR_MEMBERS } from "../utils/board-access.ts";
import { THREADS_PER_PAGE } from "../utils/limits.ts";
import { isAdmin, type Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { getTag } from "./tags.server.ts";
import { listedThreadSql } from "./visibility.server.ts";

// Every page with the board list or a board on it runs one of these (db/client.ts, `prepared`).
const boardLookups = prepared(() => ({
  all: db
    .select({
      id: boards.id,
      slug: boards.slug,
      name: boards.name,
      description: boards.description,
      threadCount: boards.threadCount,
      postCount: boards.postCount,
      lastPostAt: boards.lastPostAt,
      access: boards.access,
    })
    .from(boards)
    .orderBy(asc(boards.position), asc(boards.id))
    .prepare(),
  bySlug: db
    .select()
    .from(boards)
    .where(eq(boards.slug, sql.placeholder("slug")))
    .limit(1)
    .prepare(),
}));

export async function listBoards() {
  return boardLookups().all.execute();
}

// Listed, unpinned threads an author kept to members, written as the partial index
// threads_kept_to_members_idx states it, so the index is used.
const keptToMembers = sql`${threads.membersOnly} and ${threads.removedAt} is null and ${threads.pinPosition} is null and ${threads.heldAt} is null`;

/**
 * The board list as the home page shows it to this viewer. A visitor's thread counts and latest
 * activity leave out threads their authors kept to members, so not even their timing shows.
 */
export async function listBoardsSeenBy(viewer: Actor) {
  const all = await listBoards();
  if (viewer) return all;
  // Two reads, each on its partial index (threads_kept_to_members_idx, threads_board_pinned_idx).
  const keptOf = (pinned: boolean) =>
    db
      .select({ boardId: threads.boardId, n: count() })
      .from(threads)
      .where(
        pinned
          ? sql`${threads.pinPosition} is not null and ${threads.membersOnly} and ${threads.removedAt} is null and ${threads.heldAt} is null`
          : keptToMembers,
      )
      .groupBy(threads.boardId);
  const hiddenBy = new Map<number, number>();
  for (const row of [...(await keptOf(false)), ...(await keptOf(true))]) hiddenBy.set(row.boardId, (hiddenBy.get(row.boardId) ?? 0) + row.n);
  if (hiddenBy.size === 0) return all;
  return Promise.all(
    all.map(async (board) => {
      const hidden = hiddenBy.get(board.id);
      if (!hidden) return board;
      const [latest] = await db
        .select({ at: threads.lastPostAt })
        .from(threads)
        .where(and(eq(threads.boardId, board.id), eq(threads.membersOnly, false), isNull(threads.removedAt), isNull(threads.heldAt)))
        .orderBy(desc(threads.lastPostAt))
        .limit(1);
      return { ...board, threadCount: Math.max(0, board.threadCount - hidden), lastPostAt: latest?.at ?? null };
    }),
  );
}

export async function getBoard(slug: string) {
  // Board addresses are letters, digits and hyphens; anything else (a NUL, a path) is no board.
  const [board] = /^[a-z0-9-]{1,100}$/.test(slug) ? await boardLookups().bySlug.execute({ slug }) : [];
  if (!board) notFound("There is no board at this address.");
  return board;
}

const lastPoster = alias(users, "last_poster");

const threadListColumns = {
  id: threads.id,
  title: threads.title,
  author: users.username,
  replyCount: threads.replyCount,
  postCount: threads.postCount,
  lastPostAt: threads.lastPostAt,
  lastPoster: lastPoster.username,
  locked: sql<boolean>`${threads.lockedAt} is not null`.mapWith(Boolean),
  membersOnly: threads.membersOnly,
};

function threadList() {
  return db
    .select(threadListColumns)
    .from(threads)
    .innerJoin(users, eq(users.id, threads.authorId))
    .leftJoin(lastPoster, eq(lastPoster.id, threads.lastPosterId));
}

// A board page's reads, built once (db/client.ts, `prepared`): one set for everyone who may read
// every thread, one that leaves out threads their authors kept to members (visitors).
function boardReads(everyone: boolean) {
  const boardId = sql.placeholder("boardId");
  const shown = everyone ? undefined : eq(threads.membersOnly, false);
  // The page's ids come from the partial index alone; only those 30 rows are then joined to
  // their authors. Joining first made a deep page join and discard every row it skipped.
  const pageIds = db
    .select({ id: threads.id })
    .from(threads)
    .where(and(eq(threads.boardId, boardId), isNull(threads.removedAt), isNull(threads.pinPosition), isNull(threads.heldAt), shown))
    .orderBy(desc(threads.lastPostAt), desc(threads.id))
    .limit(THREADS_PER_PAGE)
    .offset(sql.placeholder("offset"));
  return {
    pinned: threadList()
      .where(and(eq(threads.boardId, boardId), isNotNull(threads.pinPosition), isNull(threads.removedAt), shown))
      .orderBy(asc(threads.pinPosition))
      .prepare(),
    listed: threadList().where(inArray(threads.id, pageIds)).orderBy(desc(threads.lastPostAt), desc(threads.id)).prepare(),
  };
}
const boardQueries = prepared(() => ({ all: boardReads(true), open: boardReads(false) }));

/** The board when the viewer may read it: a members-only board is a 403 for a visitor. */
export function requireReadableBoard<T extends { access: Board["access"] }>(viewer: Actor, board: T): T {
  if (board.access === "members" && !viewer) throw new Response(FOR_MEMBERS, { status: 403, statusText: "For members" });
  return board;
}

/** Listed, unpinned threads an author kept to members: what a visitor's page count leaves out. */
async function keptToMembersCount(boardId: number) {
  const [row] = await db
    .select({ n: count() })
    .from(threads)
    .where(and(eq(threads.boardId, boardId), keptToMembers));
  return row?.n ?? 0;
}

/**
 * A board page: its pinned threads (page 1 only, in the moderators' order), then visible
 * threads by latest activity — a range scan on the partial index threads_board_listed_idx.
 * Removed threads are in neither list nor in the board's counts.
 */
export async function listBoardThreads(slug: string, page: number, viewer: Actor = null) {
  const board = requireReadableBoard(viewer, await getBoard(slug));
  // A visitor is shown fewer threads than the board holds only where an author kept one to members
  // (the choice stays with the thread if the board's access changes later).
  const hidden = viewer ? 0 : await keptToMembersCount(board.id);
  const reads = hidden ? boardQueries().open : boardQueries().all;
  const [pinned, allPinned] = await Promise.all([
    reads.pinned.execute({ boardId: board.id }),
    hidden ? boardQueries().all.pinned.execute({ boardId: board.id }) : null,
  ]);
  const pageCount = Math.max(1, Math.ceil((board.threadCount - (allPinned ?? pinned).length - hidden) / THREADS_PER_PAGE));
  if (page > pageCount) notFound("That page of the board doesn't exist.");
  const rows = await reads.listed.execute({ boardId: board.id, offset: (page - 1) * THREADS_PER_PAGE });
  return { board, pinned: page === 1 ? pinned : [], threads: rows, page, pageCount };
}

/**
 * An admin sets who reads a board (logged, and shown on /transparency). Threads an author kept
 * to members stay so whatever the board becomes.
 */
export async function setBoardAccess(actor: Actor, slug: string, access: string) {
  if (!actor || !isAdmin(actor)) forbidden("Only admins decide who can read a board.");
  if (!(boardAccesses as readonly string[]).includes(access)) badRequest("Choose who can read the board.");
  const board = await getBoard(slug);
  if (board.access === access) return board;
  return transaction(async (tx) => {
    await tx
      .update(boards)
      .set({ access: access as BoardAccess })
      .where(eq(boards.id, board.id));
    await logModeratorAction(tx, {
      actorId: actor.id,
      action: "board.access",
      targetType: "board",
      targetId: board.id,
      reason: `${board.name}: ${BOARD_ACCESS_LABELS[access as BoardAccess]}`,
    });
    return { ...board, access: access as BoardAccess };
  });
}

/**
 * A board's threads with one tag, by latest activity, pinned ones among them: what a visitor
 * may read (visibility.server.ts) or, for a member, every listed thread.
 */
export async function listBoardThreadsTagged(slug: string, tagSlug: string, page: number, viewer: Actor = null) {
  const board = requireReadableBoard(viewer, await getBoard(slug));
  return { board, ...(await listTaggedThreads(tagSlug, page, viewer, board.id)) };
}

/** Threads with one tag, on one board or (for the tag's own page) on every board the viewer reads. */
export async function listTaggedThreads(tagSlug: string, page: number, viewer: Actor, boardId?: number) {
  const tag = await getTag(tagSlug);
  const where = and(boardId === undefined ? undefined : eq(threads.boardId, boardId), listedThreadSql(viewer));
  const tagged = and(eq(threadTags.threadId, threads.id), eq(threadTags.tagId, tag.id));
  const [[total], rows] = await Promise.all([
    db.select({ n: count() }).from(threads).innerJoin(threadTags, tagged).where(where),
    db
      .select({ ...threadListColumns, boardSlug: boards.slug, boardName: boards.name })
      .from(threads)
      .innerJoin(users, eq(users.id, threads.authorId))
      .leftJoin(lastPoster, eq(lastPoster.id, threads.lastPosterId))
      .innerJoin(boards, eq(boards.id, threads.boardId))
      .innerJoin(threadTags, tagged)
      .where(where)
      .orderBy(desc(threads.lastPostAt), desc(threads.id))
      .limit(THREADS_PER_PAGE)
      .offset((page - 1) * THREADS_PER_PAGE),
  ]);
  const pageCount = Math.max(1, Math.ceil((total?.n ?? 0) / THREADS_PER_PAGE));
  if (page > pageCount) notFound("That page doesn't exist.");
  return { tag, threads: rows, page, pageCount };
}

/** The admin page: every board and who reads it. */
export async function listBoardAccess(actor: Actor) {
  if (!actor || !isAdmin(actor)) forbidden("Only admins decide who can read a board.");
  return (await listBoards()).map(({ slug, name, access }) => ({ slug, name, access }));
}
