// The evidence library: articles with references, review dates and board pins. This module is
// what an article is and how readers find it; article-editing, article-pins, article-revisions,
// article-references and article-related (*.server.ts) build on it.
import { and, asc, desc, eq, inArray, ne } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { articleBoards, articles, boards, threadArticles, threads, type ArticleReference } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";
import { citationIds } from "./article-references.server.ts";
import { listedThreadSql } from "./visibility.server.ts";

export const articleStatuses = ["draft", "published", "archived"] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

export const SUMMARY_MAX = 300;
export const PERSON_MAX = 200;
export const SLUG_MAX = 80;
export const PIN_POSITION_MAX = 999;

export type ArticleInput = {
  title: string;
  slug: string;
  summary: string;
  body: string;
  references: ArticleReference[];
  author: string;
  reviewer: string;
  lastReviewedOn: string;
  nextReviewDueOn: string;
  status: ArticleStatus;
  /** Boards to pin to; a null position means "at the end". Boards not listed are unpinned. */
  pins: { boardSlug: string; position: number | null }[];
};

/** One saved version of an article, as the revision history keeps it. */
export type Snapshot = {
  title: string;
  slug: string;
  summary: string;
  bodyMarkdown: string;
  bodyHtml: string;
  references: ArticleReference[];
  author: string;
  reviewer: string;
  lastReviewedOn: string;
  nextReviewDueOn: string;
  status: ArticleStatus;
  writtenAt: number;
};

export function requireStaffActor(actor: Actor, message = "Only moderators can manage articles."): asserts actor is NonNullable<Actor> {
  if (!isStaff(actor)) forbidden(message);
}

/** Today's calendar date in UTC, as YYYY-MM-DD (review dates are days, not instants). */
export function todayUtc(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

/** Overdue once the due date has passed: due today is not yet overdue. */
export function isReviewOverdue(nextReviewDueOn: string, today = todayUtc()) {
  return nextReviewDueOn < today;
}

export async function findArticle(slug: string) {
  const [article] = await db.select().from(articles).where(eq(articles.slug, slug)).limit(1);
  return article;
}

export async function articlePins(articleId: number) {
  return await db
    .select({ boardId: boards.id, slug: boards.slug, name: boards.name, position: articleBoards.position })
    .from(articleBoards)
    .innerJoin(boards, eq(boards.id, articleBoards.boardId))
    .where(eq(articleBoards.articleId, articleId))
    .orderBy(asc(boards.position), asc(boards.id));
}

/** What a reader sees of one version of an article: the page, and each version in its history. */
export function articleView(a: Omit<Snapshot, "bodyMarkdown" | "status" | "writtenAt">) {
  return {
    slug: a.slug,
    title: a.title,
    summary: a.summary,
    bodyHtml: a.bodyHtml,
    references: a.references,
    author: a.author,
    reviewer: a.reviewer,
    lastReviewedOn: a.lastReviewedOn,
    nextReviewDueOn: a.nextReviewDueOn,
  };
}

/** The article page. Drafts and archived articles exist only for staff. */
export async function getArticle(actor: Actor, slug: string) {
  const article = await findArticle(slug);
  if (!article || (article.status !== "published" && !isStaff(actor))) notFound("There is no article at this address.");
  const [pins, discussedIn] = await Promise.all([
    articlePins(article.id),
    db
      .select({ id: threads.id, title: threads.title, boardName: boards.name, replyCount: threads.replyCount })
      .from(threadArticles)
      .innerJoin(threads, eq(threads.id, threadArticles.threadId))
      .innerJoin(boards, eq(boards.id, threads.boardId))
      .where(and(eq(threadArticles.articleId, article.id), listedThreadSql(actor)))
      .orderBy(desc(threads.lastPostAt))
      .limit(50),
  ]);
  return {
    id: article.id,
    ...articleView(article),
    reviewOverdue: isReviewOverdue(article.nextReviewDueOn),
    status: article.status,
    updatedAt: article.updatedAt,
    boards: pins.map(({ slug, name }) => ({ slug, name })),
    threads: discussedIn,
    citations: citationIds(article.bodyHtml, article.references.length),
  };
}

/** /articles: published articles (pinned order when filtered by a board); staff also see the rest. */
export async function listArticles(actor: Actor, boardSlug: string | null) {
  const staff = isStaff(actor);
  const allBoards = await db.select({ id: boards.id, slug: boards.slug, name: boards.name }).from(boards).orderBy(asc(boards.position), asc(boards.id));
  const board = boardSlug === null ? null : allBoards.find((b) => b.slug === boardSlug);
  if (board === undefined) notFound("There is no board with that name.");

  const columns = {
    id: articles.id,
    slug: articles.slug,
    title: articles.title,
    summary: articles.summary,
    lastReviewedOn: articles.lastReviewedOn,
    nextReviewDueOn: articles.nextReviewDueOn,
    status: articles.status,
  };
  const published = await (board
    ? db
        .select(columns)
        .from(articleBoards)
        .innerJoin(articles, eq(articles.id, articleBoards.articleId))
        .where(and(eq(articleBoards.boardId, board.id), eq(articles.status, "published")))
        .orderBy(asc(articleBoards.position), asc(articles.title))
    : db.select(columns).from(articles).where(eq(articles.status, "published")).orderBy(asc(articles.title)));

  const boardNames = new Map<number, { slug: string; name: string }[]>();
  if (published.length) {
    const rows = await db
      .select({ articleId: articleBoards.articleId, slug: boards.slug, name: boards.name })
      .from(articleBoards)
      .innerJoin(boards, eq(boards.id, articleBoards.boardId))
      .where(
        inArray(
          articleBoards.articleId,
          published.map((a) => a.id),
        ),
      )
      .orderBy(asc(boards.position));
    for (const row of rows) boardNames.set(row.articleId, [...(boardNames.get(row.articleId) ?? []), { slug: row.slug, name: row.name }]);
  }

  // Staff: every article pinned to the filtered board (any status), in order, to reorder them;
  // without a filter, the drafts and archived articles that the public list leaves out.
  // At most one of the two runs (a board filter or none), so they need no Promise.all.
  const boardOrder =
    staff && board
      ? await db
          .select({ slug: articles.slug, title: articles.title, status: articles.status })
          .from(articleBoards)
          .innerJoin(articles, eq(articles.id, articleBoards.articleId))
          .where(eq(articleBoards.boardId, board.id))
          .orderBy(asc(articleBoards.position), asc(articles.title))
      : [];
  const unpublished =
    staff && !board
      ? await db
          .select({ slug: articles.slug, title: articles.title, status: articles.status, updatedAt: articles.updatedAt })
          .from(articles)
          .where(ne(articles.status, "published"))
          .orderBy(desc(articles.updatedAt))
      : [];

  const today = todayUtc();
  return {
    boards: allBoards.map(({ slug, name }) => ({ slug, name })),
    board: board ? { slug: board.slug, name: board.name } : null,
    articles: published.map(({ id, nextReviewDueOn, status: _status, ...a }) => ({
      ...a,
      reviewOverdue: isReviewOverdue(nextReviewDueOn, today),
      boards: boardNames.get(id) ?? [],
    })),
    boardOrder,
    unpublished,
  };
}
