import { and, asc, desc, eq, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, prepared } from "../../db/client.ts";
import { boards, threads, users } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { THREADS_PER_PAGE } from "../utils/limits.ts";

// Every page with the board list or a board on it runs one of these (db/client.ts, `prepared`).
const boardLookups = prepared(() => ({
  all: db
    .select({
      slug: boards.slug,
      name: boards.name,
      description: boards.description,
      threadCount: boards.threadCount,
      postCount: boards.postCount,
      lastPostAt: boards.lastPostAt,
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
};

function threadList() {
  return db
    .select(threadListColumns)
    .from(threads)
    .innerJoin(users, eq(users.id, threads.authorId))
    .leftJoin(lastPoster, eq(lastPoster.id, threads.lastPosterId));
}

// A board page's two reads, built once (db/client.ts, `prepared`).
const boardQueries = prepared(() => {
  const boardId = sql.placeholder("boardId");
  // The page's ids come from the partial index alone; only those 30 rows are then joined to
  // their authors. Joining first made a deep page join and discard every row it skipped.
  const pageIds = db
    .select({ id: threads.id })
    .from(threads)
    .where(and(eq(threads.boardId, boardId), isNull(threads.removedAt), isNull(threads.pinPosition)))
    .orderBy(desc(threads.lastPostAt), desc(threads.id))
    .limit(THREADS_PER_PAGE)
    .offset(sql.placeholder("offset"));
  return {
    pinned: threadList()
      .where(and(eq(threads.boardId, boardId), isNotNull(threads.pinPosition), isNull(threads.removedAt)))
      .orderBy(asc(threads.pinPosition))
      .prepare(),
    listed: threadList().where(inArray(threads.id, pageIds)).orderBy(desc(threads.lastPostAt), desc(threads.id)).prepare(),
  };
});

/**
 * A board page: its pinned threads (page 1 only, in the moderators' order), then visible
 * threads by latest activity — a range scan on the partial index threads_board_listed_idx.
 * Removed threads are in neither list nor in the board's counts.
 */
export async function listBoardThreads(slug: string, page: number) {
  const board = await getBoard(slug);
  const pinned = await boardQueries().pinned.execute({ boardId: board.id });
  const pageCount = Math.max(1, Math.ceil((board.threadCount - pinned.length) / THREADS_PER_PAGE));
  if (page > pageCount) notFound("That page of the board doesn't exist.");
  const rows = await boardQueries().listed.execute({ boardId: board.id, offset: (page - 1) * THREADS_PER_PAGE });
  return { board, pinned: page === 1 ? pinned : [], threads: rows, page, pageCount };
}
