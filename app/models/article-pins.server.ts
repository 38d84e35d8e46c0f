// Board pins: the moderators' ordered list of articles on each board. Saving an article
// sets its pins through applyPins; the list itself is reordered here.
import { and, asc, eq, inArray, max, ne } from "drizzle-orm";
import { db, transaction, type Executor, type Tx } from "../../db/client.ts";
import { articleBoards, articles, boards } from "../../db/schema.ts";
import type { FieldErrors } from "../utils/forms.server.ts";
import { notFound } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";
import { isReviewOverdue, requireStaffActor, todayUtc, type ArticleInput } from "./articles.server.ts";
import { logModeratorAction } from "./moderation-log.server.ts";

/** A pin the editor asked for, with its board found. */
type ResolvedPin = { boardId: number; name: string; position: number | null };

/** For the board page: its published pinned articles, in the moderators' order. */
export async function listPinnedArticles(boardId: number) {
  const today = todayUtc();
  const rows = await db
    .select({
      slug: articles.slug,
      title: articles.title,
      summary: articles.summary,
      lastReviewedOn: articles.lastReviewedOn,
      nextReviewDueOn: articles.nextReviewDueOn,
    })
    .from(articleBoards)
    .innerJoin(articles, eq(articles.id, articleBoards.articleId))
    .where(and(eq(articleBoards.boardId, boardId), eq(articles.status, "published")))
    .orderBy(asc(articleBoards.position), asc(articles.title));
  return rows.map(({ nextReviewDueOn, ...a }) => ({ ...a, reviewOverdue: isReviewOverdue(nextReviewDueOn, today) }));
}

/** Finds the boards the editor's pins name; a board that does not exist is a form error. */
export async function resolvePins(tx: Tx, pins: ArticleInput["pins"]): Promise<{ ok: true; pins: ResolvedPin[] } | { ok: false; errors: FieldErrors }> {
  if (!pins.length) return { ok: true, pins: [] };
  const found = await tx
    .select({ id: boards.id, slug: boards.slug, name: boards.name })
    .from(boards)
    .where(
      inArray(
        boards.slug,
        pins.map((p) => p.boardSlug),
      ),
    );
  const out = [];
  for (const pin of pins) {
    const board = found.find((b) => b.slug === pin.boardSlug);
    if (!board) return { ok: false, errors: { form: `There is no board called “${pin.boardSlug}”.` } };
    out.push({ boardId: board.id, name: board.name, position: pin.position });
  }
  return { ok: true, pins: out };
}

/**
 * Puts an article at a 1-based place in a board's pinned list (null: at the end) and
 * renumbers the list 1..n, so positions stay small and meaningful.
 */
async function placePin(tx: Tx, boardId: number, articleId: number, position: number | null) {
  const others = (
    await tx
      .select({ articleId: articleBoards.articleId })
      .from(articleBoards)
      .innerJoin(articles, eq(articles.id, articleBoards.articleId))
      .where(and(eq(articleBoards.boardId, boardId), ne(articleBoards.articleId, articleId)))
      .orderBy(asc(articleBoards.position), asc(articles.title))
  ).map((r) => r.articleId);
  const index = position === null ? others.length : Math.min(Math.max(position - 1, 0), others.length);
  const ordered = [...others.slice(0, index), articleId, ...others.slice(index)];
  await tx
    .insert(articleBoards)
    .values({ articleId, boardId, position: index + 1 })
    .onConflictDoNothing();
  for (const [i, id] of ordered.entries()) {
    await tx
      .update(articleBoards)
      .set({ position: i + 1 })
      .where(and(eq(articleBoards.boardId, boardId), eq(articleBoards.articleId, id)));
  }
}

export async function applyPins(tx: Tx, actorId: number, articleId: number, wanted: ResolvedPin[]) {
  const current = await tx
    .select({ boardId: articleBoards.boardId, position: articleBoards.position, name: boards.name })
    .from(articleBoards)
    .innerJoin(boards, eq(boards.id, articleBoards.boardId))
    .where(eq(articleBoards.articleId, articleId));
  for (const pin of current) {
    if (wanted.some((w) => w.boardId === pin.boardId)) continue;
    await tx.delete(articleBoards).where(and(eq(articleBoards.articleId, articleId), eq(articleBoards.boardId, pin.boardId)));
    await logModeratorAction(tx, { actorId, action: "article.unpin", targetType: "article", targetId: articleId, reason: `Unpinned from “${pin.name}”` });
  }
  for (const pin of wanted) {
    const existing = current.find((c) => c.boardId === pin.boardId);
    if (!existing) {
      await placePin(tx, pin.boardId, articleId, pin.position);
      await logModeratorAction(tx, { actorId, action: "article.pin", targetType: "article", targetId: articleId, reason: `Pinned to “${pin.name}”` });
    } else if (pin.position !== null && pin.position !== existing.position) {
      await placePin(tx, pin.boardId, articleId, pin.position);
      await logModeratorAction(tx, {
        actorId,
        action: "article.reorder",
        targetType: "article",
        targetId: articleId,
        reason: `Moved to place ${pin.position} on “${pin.name}”`,
      });
    }
  }
}

/** Moves an article one place up or down in a board's pinned list. */
export async function moveArticlePin(actor: Actor, slug: string, boardSlug: string, direction: "up" | "down") {
  requireStaffActor(actor);
  return await transaction(async (tx) => {
    const [article] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug)).limit(1);
    const [board] = await tx.select({ id: boards.id, name: boards.name }).from(boards).where(eq(boards.slug, boardSlug)).limit(1);
    if (!article || !board) notFound("That article is not pinned to that board.");
    const ordered = (
      await tx
        .select({ articleId: articleBoards.articleId })
        .from(articleBoards)
        .innerJoin(articles, eq(articles.id, articleBoards.articleId))
        .where(eq(articleBoards.boardId, board.id))
        .orderBy(asc(articleBoards.position), asc(articles.title))
    ).map((r) => r.articleId);
    const index = ordered.indexOf(article.id);
    if (index === -1) notFound("That article is not pinned to that board.");
    const target = direction === "up" ? index - 1 : index + 1;
    if (target < 0 || target >= ordered.length) return { moved: false };
    await placePin(tx, board.id, article.id, target + 1);
    await logModeratorAction(tx, {
      actorId: actor.id,
      action: "article.reorder",
      targetType: "article",
      targetId: article.id,
      reason: `Moved to place ${target + 1} on “${board.name}”`,
    });
    return { moved: true };
  });
}

/** Used by seeding: the highest position on a board, so new pins go last. */
export async function nextPinPosition(tx: Executor, boardId: number) {
  const [row] = await tx
    .select({ max: max(articleBoards.position) })
    .from(articleBoards)
    .where(eq(articleBoards.boardId, boardId));
  return (row?.max ?? 0) + 1;
}
