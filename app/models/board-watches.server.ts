/**
 * Watching a board: each new thread started there notifies the member (notifications.server.ts,
 * kind "thread"). A watch says only which boards; how a member hears (on the site, by mail)
 * is a separate preference per notification kind (docs/decisions/037).
 */
import { and, asc, eq, isNull } from "drizzle-orm";
import { db, transaction, type Tx } from "../../db/client.ts";
import { boards, boardWatches, threads, users } from "../../db/schema.ts";
import type { Actor } from "../utils/permissions.ts";
import { getBoard, requireReadableBoard } from "./boards.server.ts";

type Member = NonNullable<Actor>;

/** Watching is open to every member who may read the board; watching twice is one watch. */
export async function watchBoard(actor: Member, boardSlug: string) {
  const board = requireReadableBoard(actor, await getBoard(boardSlug));
  await transaction((tx) => tx.insert(boardWatches).values({ userId: actor.id, boardId: board.id }).onConflictDoNothing());
  return { slug: board.slug, name: board.name };
}

/** Stopping is always allowed, even when there was nothing to stop. */
export async function unwatchBoard(actor: Member, boardSlug: string) {
  const board = await getBoard(boardSlug);
  await transaction((tx) => tx.delete(boardWatches).where(and(eq(boardWatches.userId, actor.id), eq(boardWatches.boardId, board.id))));
  return { slug: board.slug, name: board.name };
}

export async function isWatchingBoard(userId: number, boardId: number) {
  const [row] = await db
    .select({ userId: boardWatches.userId })
    .from(boardWatches)
    .where(and(eq(boardWatches.userId, userId), eq(boardWatches.boardId, boardId)))
    .limit(1);
  return !!row;
}

/** The member's watched boards by name, for Settings and the data export. */
export async function listWatchedBoards(userId: number) {
  return db
    .select({ slug: boards.slug, name: boards.name, since: boardWatches.createdAt })
    .from(boardWatches)
    .innerJoin(boards, eq(boards.id, boardWatches.boardId))
    .where(eq(boardWatches.userId, userId))
    .orderBy(asc(boards.name));
}

/** Live accounts watching the board a thread is in: the candidates for its "new thread" notice. */
export async function watcherIdsOfThreadBoard(tx: Tx, threadId: number) {
  const rows = await tx
    .select({ userId: boardWatches.userId })
    .from(threads)
    .innerJoin(boardWatches, eq(boardWatches.boardId, threads.boardId))
    .innerJoin(users, eq(users.id, boardWatches.userId))
    .where(and(eq(threads.id, threadId), isNull(users.deletedAt)));
  return rows.map((r) => r.userId);
}
