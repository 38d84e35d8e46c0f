// Writing articles: the editor's form and preview, saving (create and update) and status changes.
// The form itself is read by articleSchema in app/utils/schemas.server.ts.
import { asc, eq } from "drizzle-orm";
import { db, transaction, type Tx } from "../../db/client.ts";
import { articles, boards } from "../../db/schema.ts";
import type { FieldErrors } from "../utils/forms.server.ts";
import { notFound } from "../utils/http.server.ts";
import { BODY_MAX, TITLE_MAX } from "../utils/limits.ts";
import type { Actor } from "../utils/permissions.ts";
import { applyPins, resolvePins } from "./article-pins.server.ts";
import { citationIds, formatReferences, parseReferences, renderArticleBody } from "./article-references.server.ts";
import { recordRevision } from "./article-revisions.server.ts";
import { articlePins, findArticle, requireStaffActor, SUMMARY_MAX, todayUtc, type ArticleInput, type ArticleStatus } from "./articles.server.ts";
import { logModeratorAction } from "./moderation-log.server.ts";

const clean = (value: string | undefined) => (value ?? "").replace(/\r\n?/g, "\n");

/** The editor: the article's fields as typed, plus every board for the pin controls. */
export async function getArticleForEdit(actor: Actor, slug: string | null) {
  requireStaffActor(actor);
  const allBoards = await db.select({ slug: boards.slug, name: boards.name }).from(boards).orderBy(asc(boards.position), asc(boards.id));
  if (slug === null) {
    // A new article starts as a draft, reviewed today, due for review in a year.
    const today = todayUtc();
    const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4).replace("-02-29", "-02-28")}`;
    return { boards: allBoards, article: null, values: { status: "draft", lastReviewedOn: today, nextReviewDueOn: nextYear } as Record<string, string> };
  }
  const article = await findArticle(slug);
  if (!article) notFound("There is no article at this address.");
  const pins = await articlePins(article.id);
  return {
    boards: allBoards,
    article: { slug: article.slug, title: article.title, status: article.status },
    values: {
      title: article.title,
      slug: article.slug,
      summary: article.summary,
      body: article.bodyMarkdown,
      references: formatReferences(article.references),
      author: article.author,
      reviewer: article.reviewer,
      lastReviewedOn: article.lastReviewedOn,
      nextReviewDueOn: article.nextReviewDueOn,
      status: article.status,
      ...Object.fromEntries(
        pins.flatMap((p) => [
          [`pin-${p.slug}`, "on"],
          [`order-${p.slug}`, String(p.position)],
        ]),
      ),
    } as Record<string, string>,
  };
}

/**
 * Server-side preview of the editor form. Renders whatever can be rendered (the body even
 * when the references still have a mistake), so it never throws on bad input.
 */
export function previewArticle(values: Record<string, string>) {
  const refs = parseReferences(clean(values.references));
  const references = refs.ok ? refs.references : [];
  const body = clean(values.body).slice(0, BODY_MAX);
  const bodyHtml = renderArticleBody(body, references.length);
  return {
    title: clean(values.title).trim().slice(0, TITLE_MAX),
    summary: clean(values.summary).trim().slice(0, SUMMARY_MAX),
    bodyHtml,
    references,
    citations: citationIds(bodyHtml, references.length),
    referencesError: refs.ok ? null : refs.error,
  };
}

const statusActions: Record<ArticleStatus, string> = {
  published: "article.publish",
  draft: "article.unpublish",
  archived: "article.archive",
};

type SaveResult = { ok: true; slug: string } | { ok: false; errors: FieldErrors };

async function slugTaken(tx: Tx, slug: string, exceptId?: number) {
  const [row] = await tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug)).limit(1);
  return !!row && row.id !== exceptId;
}

/** What a save needs before it writes: a free address and boards that exist. */
async function checkSave(tx: Tx, input: ArticleInput, exceptId?: number): ReturnType<typeof resolvePins> {
  if (await slugTaken(tx, input.slug, exceptId)) return { ok: false, errors: { slug: "Another article already uses this address." } };
  return await resolvePins(tx, input.pins);
}

/** The columns the editor sets. Rendered before the transaction, so the write lock is held briefly. */
function editorColumns(input: ArticleInput) {
  return {
    slug: input.slug,
    title: input.title,
    summary: input.summary,
    bodyMarkdown: input.body,
    bodyHtml: renderArticleBody(input.body, input.references.length),
    references: input.references,
    author: input.author,
    reviewer: input.reviewer,
    lastReviewedOn: input.lastReviewedOn,
    nextReviewDueOn: input.nextReviewDueOn,
    status: input.status,
  };
}

export async function createArticle(actor: Actor, input: ArticleInput): Promise<SaveResult> {
  requireStaffActor(actor);
  const columns = editorColumns(input);
  return await transaction(async (tx): Promise<SaveResult> => {
    const pins = await checkSave(tx, input);
    if (!pins.ok) return pins;
    const now = new Date();
    const [created] = await tx
      .insert(articles)
      .values({
        ...columns,
        createdAt: now,
        updatedAt: now,
        publishedAt: input.status === "published" ? now : null,
      })
      .returning({ id: articles.id });
    const id = created!.id;
    await logModeratorAction(tx, { actorId: actor.id, action: "article.create", targetType: "article", targetId: id, reason: input.title });
    if (input.status !== "draft") await logModeratorAction(tx, { actorId: actor.id, action: statusActions[input.status], targetType: "article", targetId: id });
    await applyPins(tx, actor.id, id, pins.pins);
    return { ok: true, slug: input.slug } as const;
  });
}

/** Saves the editor form: a content change keeps the earlier version; status and pins are logged apart. */
export async function updateArticle(actor: Actor, slug: string, input: ArticleInput): Promise<SaveResult> {
  requireStaffActor(actor);
  const columns = editorColumns(input);
  return await transaction(async (tx): Promise<SaveResult> => {
    const [old] = await tx.select().from(articles).where(eq(articles.slug, slug)).limit(1);
    if (!old) notFound("There is no article at this address.");
    const pins = await checkSave(tx, input, old.id);
    if (!pins.ok) return pins;
    const now = new Date();
    const contentChanged =
      old.title !== input.title ||
      old.slug !== input.slug ||
      old.summary !== input.summary ||
      old.bodyMarkdown !== input.body ||
      JSON.stringify(old.references) !== JSON.stringify(input.references) ||
      old.author !== input.author ||
      old.reviewer !== input.reviewer ||
      old.lastReviewedOn !== input.lastReviewedOn ||
      old.nextReviewDueOn !== input.nextReviewDueOn;
    if (contentChanged) await recordRevision(tx, old, actor.id, input.title, now);
    if (contentChanged || old.status !== input.status) {
      await tx
        .update(articles)
        .set({
          ...columns,
          updatedAt: contentChanged ? now : old.updatedAt,
          publishedAt: input.status === "published" ? (old.publishedAt ?? now) : old.publishedAt,
        })
        .where(eq(articles.id, old.id));
    }
    if (old.status !== input.status) {
      await logModeratorAction(tx, { actorId: actor.id, action: statusActions[input.status], targetType: "article", targetId: old.id });
    }
    await applyPins(tx, actor.id, old.id, pins.pins);
    return { ok: true, slug: input.slug } as const;
  });
}

/** Publish, unpublish (back to draft) or archive, from the article page. */
export async function setArticleStatus(actor: Actor, slug: string, status: ArticleStatus) {
  requireStaffActor(actor);
  return await transaction(async (tx) => {
    const [article] = await tx
      .select({ id: articles.id, status: articles.status, publishedAt: articles.publishedAt })
      .from(articles)
      .where(eq(articles.slug, slug))
      .limit(1);
    if (!article) notFound("There is no article at this address.");
    if (article.status === status) return { changed: false };
    await tx
      .update(articles)
      .set({ status, publishedAt: status === "published" ? (article.publishedAt ?? new Date()) : article.publishedAt })
      .where(eq(articles.id, article.id));
    await logModeratorAction(tx, { actorId: actor.id, action: statusActions[status], targetType: "article", targetId: article.id });
    return { changed: true };
  });
}
