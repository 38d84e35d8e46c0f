import { asc, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db } from "../../db/client.ts";
import { boards, threads, users } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { THREADS_PER_PAGE } from "../utils/limits.ts";

export function listBoards() {
  return db
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
    .all();
}

export function getBoard(slug: string) {
  const board = db.select().from(boards).where(eq(boards.slug, slug)).get();
  if (!board) notFound("There is no board at this address.");
  return board;
}

const lastPoster = alias(users, "last_poster");

/** One page of a board's threads by latest activity: a range scan on (board_id, last_post_at). */
export function listBoardThreads(slug: string, page: number) {
  const board = getBoard(slug);
  const pageCount = Math.max(1, Math.ceil(board.threadCount / THREADS_PER_PAGE));
  if (page > pageCount) notFound("That page of the board doesn't exist.");
  const rows = db
    .select({
      id: threads.id,
      title: threads.title,
      author: users.username,
      replyCount: threads.replyCount,
      lastPostAt: threads.lastPostAt,
      lastPoster: lastPoster.username,
    })
    .from(threads)
    .innerJoin(users, eq(users.id, threads.authorId))
    .leftJoin(lastPoster, eq(lastPoster.id, threads.lastPosterId))
    .where(eq(threads.boardId, board.id))
    .orderBy(desc(threads.lastPostAt), desc(threads.id))
    .limit(THREADS_PER_PAGE)
    .offset((page - 1) * THREADS_PER_PAGE)
    .all();
  return { board, threads: rows, page, pageCount };
}
