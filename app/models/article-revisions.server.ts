// Revision history: every content change keeps the version it replaced, for staff to read back.
import { desc, eq } from "drizzle-orm";
import { db, type Tx } from "../../db/client.ts";
import { articleRevisions, users, type Article } from "../../db/schema.ts";
import type { Actor } from "../utils/permissions.ts";
import { notFound } from "../utils/http.server.ts";
import { withoutCitationIds } from "./article-references.server.ts";
import { articleView, findArticle, requireStaffActor, type Snapshot } from "./articles.server.ts";
import { logModeratorAction } from "./moderation-log.server.ts";

/** Keeps the version an edit is about to replace, and logs the edit under the new title. */
export async function recordRevision(tx: Tx, old: Article, editorId: number, newTitle: string, now: Date) {
  const snapshot: Snapshot = {
    title: old.title,
    slug: old.slug,
    summary: old.summary,
    bodyMarkdown: old.bodyMarkdown,
    bodyHtml: old.bodyHtml,
    references: old.references,
    author: old.author,
    reviewer: old.reviewer,
    lastReviewedOn: old.lastReviewedOn,
    nextReviewDueOn: old.nextReviewDueOn,
    status: old.status,
    writtenAt: old.updatedAt.getTime(),
  };
  await tx.insert(articleRevisions).values({ articleId: old.id, editorId, snapshot, createdAt: now });
  await logModeratorAction(tx, { actorId: editorId, action: "article.edit", targetType: "article", targetId: old.id, reason: newTitle });
}

/** Earlier versions, newest first (staff only). */
export async function getArticleHistory(actor: Actor, slug: string) {
  requireStaffActor(actor);
  const article = await findArticle(slug);
  if (!article) notFound("There is no article at this address.");
  const rows = await db
    .select({ id: articleRevisions.id, snapshot: articleRevisions.snapshot, replacedAt: articleRevisions.createdAt, editor: users.username })
    .from(articleRevisions)
    .leftJoin(users, eq(users.id, articleRevisions.editorId))
    .where(eq(articleRevisions.articleId, article.id))
    .orderBy(desc(articleRevisions.id));
  const revisions = rows.map(({ snapshot, ...r }) => {
    const s = snapshot as Snapshot;
    return { ...r, ...articleView(s), bodyHtml: withoutCitationIds(s.bodyHtml), writtenAt: new Date(s.writtenAt) };
  });
  return {
    article: {
      ...articleView(article),
      bodyHtml: withoutCitationIds(article.bodyHtml),
      status: article.status,
      updatedAt: article.updatedAt,
    },
    revisions,
  };
}
