// Related reading: the articles a moderator links under a thread, and the threads an article
// page lists as discussing it.
import { and, asc, eq, notInArray, sql } from "drizzle-orm";
import { db, prepared, transaction, type Executor } from "../../db/client.ts";
import { articles, boards, threadArticles, threads } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";
import { requireStaffActor } from "./articles.server.ts";
import { logModeratorAction } from "./moderation-log.server.ts";

const ONLY_STAFF = "Only moderators can change related reading.";

// Every thread page runs this, so it is built once (db/client.ts, `prepared`).
const relatedToThread = prepared(() =>
  db
    .select({ slug: articles.slug, title: articles.title })
    .from(threadArticles)
    .innerJoin(articles, eq(articles.id, threadArticles.articleId))
    .where(and(eq(threadArticles.threadId, sql.placeholder("threadId")), eq(articles.status, "published")))
    .orderBy(asc(threadArticles.createdAt), asc(articles.title))
    .prepare(),
);

/** For the thread page: published articles a moderator linked as related reading. */
export async function listRelatedArticles(threadId: number) {
  return await relatedToThread().execute({ threadId });
}

async function getThreadRow(threadId: number, executor: Executor = db) {
  const [thread] = await executor
    .select({ id: threads.id, title: threads.title, boardSlug: boards.slug, boardName: boards.name })
    .from(threads)
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .where(eq(threads.id, threadId))
    .limit(1);
  if (!thread) notFound("There is no thread at this address.");
  return thread;
}

/** The staff page for a thread's related reading: what is linked and what could be. */
export async function getRelatedReadingEditor(actor: Actor, threadId: number) {
  requireStaffActor(actor, ONLY_STAFF);
  const thread = await getThreadRow(threadId);
  const linkedIds = db.select({ id: threadArticles.articleId }).from(threadArticles).where(eq(threadArticles.threadId, threadId));
  const [linked, available] = await Promise.all([
    db
      .select({ slug: articles.slug, title: articles.title, status: articles.status })
      .from(threadArticles)
      .innerJoin(articles, eq(articles.id, threadArticles.articleId))
      .where(eq(threadArticles.threadId, threadId))
      .orderBy(asc(threadArticles.createdAt), asc(articles.title)),
    db
      .select({ slug: articles.slug, title: articles.title })
      .from(articles)
      .where(and(eq(articles.status, "published"), notInArray(articles.id, linkedIds)))
      .orderBy(asc(articles.title)),
  ]);
  return { thread, linked, available };
}

export async function linkArticleToThread(actor: Actor, threadId: number, articleSlug: string) {
  requireStaffActor(actor, ONLY_STAFF);
  return await transaction(async (tx) => {
    await getThreadRow(threadId, tx);
    const [article] = await tx
      .select({ id: articles.id, title: articles.title, status: articles.status })
      .from(articles)
      .where(eq(articles.slug, articleSlug))
      .limit(1);
    if (!article || article.status !== "published") return { ok: false as const, errors: { article: "Choose a published article from the list." } };
    const inserted = await tx
      .insert(threadArticles)
      .values({ threadId, articleId: article.id, addedById: actor.id })
      .onConflictDoNothing()
      .returning({ threadId: threadArticles.threadId });
    if (inserted.length) {
      await logModeratorAction(tx, {
        actorId: actor.id,
        action: "thread.link_article",
        targetType: "thread",
        targetId: threadId,
        reason: `Related reading: “${article.title}”`,
      });
    }
    return { ok: true as const };
  });
}

export async function unlinkArticleFromThread(actor: Actor, threadId: number, articleSlug: string) {
  requireStaffActor(actor, ONLY_STAFF);
  return await transaction(async (tx) => {
    await getThreadRow(threadId, tx);
    const [article] = await tx.select({ id: articles.id, title: articles.title }).from(articles).where(eq(articles.slug, articleSlug)).limit(1);
    if (!article) return { ok: true as const };
    const removed = await tx
      .delete(threadArticles)
      .where(and(eq(threadArticles.threadId, threadId), eq(threadArticles.articleId, article.id)))
      .returning({ threadId: threadArticles.threadId });
    if (removed.length) {
      await logModeratorAction(tx, {
        actorId: actor.id,
        action: "thread.unlink_article",
        targetType: "thread",
        targetId: threadId,
        reason: `Removed related reading: “${article.title}”`,
      });
    }
    return { ok: true as const };
  });
}
