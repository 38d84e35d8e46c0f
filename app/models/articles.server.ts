// The evidence library: articles with references, review dates and board pins; "related
// reading" links between articles and threads. Every rule and query for them lives here.
import { and, asc, desc, eq, inArray, isNull, ne, notInArray, sql } from "drizzle-orm";
import { db, prepared } from "../../db/client.ts";
import { articleBoards, articleRevisions, articles, boards, threadArticles, threads, users, type ArticleReference } from "../../db/schema.ts";
import type { FieldErrors, Validated } from "../utils/forms.server.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { BODY_MAX, TITLE_MAX, TITLE_MIN } from "../utils/limits.ts";
import { renderMarkdown } from "../utils/markdown.server.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";

export const articleStatuses = ["draft", "published", "archived"] as const;
export type ArticleStatus = (typeof articleStatuses)[number];

export const SUMMARY_MAX = 300;
export const PERSON_MAX = 200;
export const SLUG_MAX = 80;
export const REFERENCES_TEXT_MAX = 20_000;
export const REFERENCES_MAX = 60;
export const PIN_POSITION_MAX = 999;
// Slugs that would collide with the library's own addresses (/articles/new, /articles/feed).
const RESERVED_SLUGS = new Set(["new", "feed"]);

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

type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];

function requireStaffActor(actor: Actor, message = "Only moderators can manage articles."): asserts actor is NonNullable<Actor> {
  if (!isStaff(actor)) forbidden(message);
}

/* ------------------------------------------------------------------------ */
/* Dates and rendering                                                       */
/* ------------------------------------------------------------------------ */

/** Today's calendar date in UTC, as YYYY-MM-DD (review dates are days, not instants). */
export function todayUtc(now = new Date()) {
  return now.toISOString().slice(0, 10);
}

/** Overdue once the due date has passed: due today is not yet overdue. */
export function isReviewOverdue(nextReviewDueOn: string, today = todayUtc()) {
  return nextReviewDueOn < today;
}

/**
 * Article HTML: the same safe pipeline as posts, with `[k]` citations. renderMarkdown puts a
 * post's `#` at h3 because a thread page owns h1/h2; an article body sits directly under the
 * article's h1, so its headings move up two levels (h3/h4 → h2, h5 → h3, h6 → h4) to keep the
 * page outline in order. The sanitizer only ever emits bare `<hN>` tags and escapes every `<`
 * in text, so this exact-tag rewrite cannot touch user text.
 */
export function renderArticleBody(markdown: string, referenceCount: number) {
  return renderMarkdown(markdown, { referenceCount }).replace(/<(\/?)h([3-6])>/g, (_m, close: string, level: string) => {
    const shifted = Math.max(2, Number(level) - 2);
    return `<${close}h${shifted}>`;
  });
}

/**
 * The ids of each reference's citations in the body, in reading order (index k-1 for
 * reference k): the reference list's "back to citation" links. Read from the stored HTML
 * instead of kept in a column of their own, so they can never disagree with the body they
 * point into; one regex pass over a body of a few kilobytes costs far less than the page's
 * queries. Only renderMarkdown's citations can match: every `<` a writer types is escaped.
 * A body stored before citations had ids yields none, so no links to missing targets.
 */
export function citationIds(bodyHtml: string, referenceCount: number) {
  const ids: string[][] = Array.from({ length: referenceCount }, () => []);
  for (const match of bodyHtml.matchAll(/<a class="cite" href="#ref-(\d+)" id="(cite-\1-\d+)">/g)) {
    ids[Number(match[1]) - 1]?.push(match[2]!);
  }
  return ids;
}

/** The history page shows several versions at once, where the same citation ids would clash. */
const withoutCitationIds = (bodyHtml: string) => bodyHtml.replace(/(<a class="cite" href="#ref-\d+") id="cite-\d+-\d+">/g, "$1>");

/* ------------------------------------------------------------------------ */
/* Form parsing (pure)                                                       */
/* ------------------------------------------------------------------------ */

const REFERENCE_KEYS = ["authors", "title", "source", "year", "doi", "pmid", "url"] as const;
type ReferenceKey = (typeof REFERENCE_KEYS)[number];
const KEY_ALIASES: Record<string, ReferenceKey> = {
  author: "authors",
  authors: "authors",
  title: "title",
  source: "source",
  journal: "source",
  publisher: "source",
  year: "year",
  doi: "doi",
  pmid: "pmid",
  pubmed: "pmid",
  url: "url",
  link: "url",
};

/** The editor's references box: one `name: value` per line, a blank line between references. */
export function formatReferences(references: ArticleReference[]) {
  return references
    .map((ref) =>
      REFERENCE_KEYS.filter((key) => ref[key] !== undefined && ref[key] !== "")
        .map((key) => `${key}: ${ref[key]}`)
        .join("\n"),
    )
    .join("\n\n");
}

export function parseReferences(text: string): { ok: true; references: ArticleReference[] } | { ok: false; error: string } {
  if (text.length > REFERENCES_TEXT_MAX) return { ok: false, error: `The references are at most ${REFERENCES_TEXT_MAX.toLocaleString("en")} characters.` };
  const blocks = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter(Boolean);
  if (blocks.length > REFERENCES_MAX) return { ok: false, error: `An article can have at most ${REFERENCES_MAX} references.` };
  const references: ArticleReference[] = [];
  for (const [index, block] of blocks.entries()) {
    const n = index + 1;
    const fields: Partial<Record<ReferenceKey, string>> = {};
    let last: ReferenceKey | null = null;
    for (const rawLine of block.split("\n")) {
      const line = rawLine.trim();
      const match = /^([A-Za-z]+)\s*:\s*(.*)$/.exec(line);
      const alias = match?.[1]!.toLowerCase();
      // Own keys only: "constructor:" in a reference is a typo to report, not Object's property.
      const key = alias && Object.hasOwn(KEY_ALIASES, alias) ? KEY_ALIASES[alias] : undefined;
      if (match && key) {
        if (fields[key] !== undefined) return { ok: false, error: `Reference ${n} has “${key}” twice.` };
        fields[key] = match[2]!.trim();
        last = key;
      } else if (last) {
        // A long value pasted over several lines continues the previous field.
        fields[last] = `${fields[last]} ${line}`.trim();
      } else {
        return { ok: false, error: `Reference ${n}: start each line with a name and a colon, like “title: …”.` };
      }
    }
    const ref = checkReference(fields, n);
    if (typeof ref === "string") return { ok: false, error: ref };
    references.push(ref);
  }
  return { ok: true, references };
}

function checkReference(fields: Partial<Record<ReferenceKey, string>>, n: number): ArticleReference | string {
  for (const key of ["authors", "title", "source", "year"] as const) {
    if (!fields[key]) return `Reference ${n} needs a line “${key}: …”.`;
  }
  for (const key of ["authors", "title", "source"] as const) {
    if (fields[key]!.length > 500) return `Reference ${n}: the ${key} are too long (500 characters at most).`;
  }
  const yearText = fields.year!;
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < 1800 || year > new Date().getUTCFullYear() + 1) {
    return `Reference ${n}: the year should be four digits, like 2021.`;
  }
  const ref: ArticleReference = { authors: fields.authors!, title: fields.title!, source: fields.source!, year };
  if (fields.doi) {
    const doi = fields.doi.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, "");
    if (!/^10\.\d{4,9}\/\S{1,300}$/.test(doi)) return `Reference ${n}: a DOI looks like 10.1212/WNL.0b013e3181d0ccca.`;
    ref.doi = doi;
  }
  if (fields.pmid) {
    const pmid = fields.pmid.replace(/^pmid:?\s*/i, "");
    if (!/^[1-9]\d{0,9}$/.test(pmid)) return `Reference ${n}: a PubMed ID is a number, like 20177124.`;
    ref.pmid = pmid;
  }
  if (fields.url) {
    if (!isHttpsUrl(fields.url)) return `Reference ${n}: the link must be a full address starting with https://.`;
    ref.url = fields.url;
  }
  if (!ref.doi && !ref.pmid && !ref.url) return `Reference ${n} needs a DOI, a PubMed ID (pmid) or an https:// link (url).`;
  return ref;
}

function isHttpsUrl(value: string) {
  if (value.length > 2000 || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && !!url.hostname;
  } catch {
    return false;
  }
}

export function slugify(title: string) {
  return title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, SLUG_MAX)
    .replace(/-+$/g, "");
}

function isCalendarDate(value: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

const clean = (value: string | undefined) => (value ?? "").replace(/\r\n?/g, "\n");

/**
 * Reads the editor form (see app/components/article-editor.tsx for its field names).
 * Board pins arrive as `pin-<board slug>=on` with an optional `order-<board slug>`; the model
 * checks that the boards exist.
 */
export function parseArticleForm(values: Record<string, string>): Validated<ArticleInput> {
  const errors: FieldErrors = {};
  const title = clean(values.title).trim();
  if (title.length < TITLE_MIN) errors.title = `Titles are at least ${TITLE_MIN} characters.`;
  else if (title.length > TITLE_MAX) errors.title = `Titles are at most ${TITLE_MAX} characters.`;

  const slugInput = clean(values.slug).trim().toLowerCase();
  const slug = slugInput || slugify(title);
  if (slugInput && !/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(slugInput)) {
    errors.slug = "Use only letters a–z, numbers and single hyphens, like “night-cramps”.";
  } else if (slug.length > SLUG_MAX) {
    errors.slug = `The address is at most ${SLUG_MAX} characters.`;
  } else if (!errors.title && !slug) {
    errors.slug = "Type an address made of letters a–z, numbers and hyphens.";
  } else if (RESERVED_SLUGS.has(slug)) {
    errors.slug = `“${slug}” is used by the site itself; please choose another address.`;
  }

  const summary = clean(values.summary).trim();
  if (!summary) errors.summary = "Write a short summary.";
  else if (summary.length > SUMMARY_MAX) errors.summary = `The summary is at most ${SUMMARY_MAX} characters (it has ${summary.length}).`;

  const body = clean(values.body);
  if (!body.trim()) errors.body = "Write the article before saving.";
  else if (body.length > BODY_MAX) errors.body = `Articles are at most ${BODY_MAX.toLocaleString("en")} characters.`;

  const parsedRefs = parseReferences(clean(values.references));
  if (!parsedRefs.ok) errors.references = parsedRefs.error;

  const author = clean(values.author).trim();
  if (!author) errors.author = "Say who wrote the article.";
  else if (author.length > PERSON_MAX) errors.author = `At most ${PERSON_MAX} characters.`;
  const reviewer = clean(values.reviewer).trim();
  if (!reviewer) errors.reviewer = "Give the reviewer's name and credential.";
  else if (reviewer.length > PERSON_MAX) errors.reviewer = `At most ${PERSON_MAX} characters.`;

  const lastReviewedOn = (values.lastReviewedOn ?? "").trim();
  const nextReviewDueOn = (values.nextReviewDueOn ?? "").trim();
  if (!isCalendarDate(lastReviewedOn)) errors.lastReviewedOn = "Enter the date of the last review (year, month and day).";
  if (!isCalendarDate(nextReviewDueOn)) errors.nextReviewDueOn = "Enter the date the next review is due (year, month and day).";
  else if (!errors.lastReviewedOn && nextReviewDueOn <= lastReviewedOn) errors.nextReviewDueOn = "The next review must be due after the last review.";

  const status = values.status as ArticleStatus;
  if (!articleStatuses.includes(status)) errors.status = "Choose draft, published or archived.";

  const pins: ArticleInput["pins"] = [];
  for (const [key, value] of Object.entries(values)) {
    const m = /^pin-([a-z0-9-]{1,64})$/.exec(key);
    if (!m || value !== "on") continue;
    const boardSlug = m[1]!;
    const orderKey = `order-${boardSlug}`;
    const orderText = (values[orderKey] ?? "").trim();
    if (orderText && !/^[1-9]\d{0,2}$/.test(orderText)) {
      errors[orderKey] = `Use a whole number from 1 to ${PIN_POSITION_MAX}, or leave it empty to add at the end.`;
      continue;
    }
    pins.push({ boardSlug, position: orderText ? Number(orderText) : null });
  }

  if (Object.keys(errors).length || !parsedRefs.ok) return { ok: false, errors };
  return {
    ok: true,
    data: {
      title,
      slug,
      summary,
      body,
      references: parsedRefs.references,
      author,
      reviewer,
      lastReviewedOn,
      nextReviewDueOn,
      status,
      pins,
    },
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

/* ------------------------------------------------------------------------ */
/* Reading                                                                   */
/* ------------------------------------------------------------------------ */

function findArticle(slug: string) {
  return db.select().from(articles).where(eq(articles.slug, slug)).get();
}

function articlePins(articleId: number) {
  return db
    .select({ boardId: boards.id, slug: boards.slug, name: boards.name, position: articleBoards.position })
    .from(articleBoards)
    .innerJoin(boards, eq(boards.id, articleBoards.boardId))
    .where(eq(articleBoards.articleId, articleId))
    .orderBy(asc(boards.position), asc(boards.id))
    .all();
}

/** What a reader sees of one version of an article: the page, and each version in its history. */
function articleView(a: Omit<Snapshot, "bodyMarkdown" | "status" | "writtenAt">) {
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
export function getArticle(actor: Actor, slug: string) {
  const article = findArticle(slug);
  if (!article || (article.status !== "published" && !isStaff(actor))) notFound("There is no article at this address.");
  const pins = articlePins(article.id);
  const discussedIn = db
    .select({ id: threads.id, title: threads.title, boardName: boards.name, replyCount: threads.replyCount })
    .from(threadArticles)
    .innerJoin(threads, eq(threads.id, threadArticles.threadId))
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .where(and(eq(threadArticles.articleId, article.id), isNull(threads.removedAt)))
    .orderBy(desc(threads.lastPostAt))
    .limit(50)
    .all();
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
export function listArticles(actor: Actor, boardSlug: string | null) {
  const staff = isStaff(actor);
  const allBoards = db.select({ id: boards.id, slug: boards.slug, name: boards.name }).from(boards).orderBy(asc(boards.position), asc(boards.id)).all();
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
  const published = board
    ? db
        .select(columns)
        .from(articleBoards)
        .innerJoin(articles, eq(articles.id, articleBoards.articleId))
        .where(and(eq(articleBoards.boardId, board.id), eq(articles.status, "published")))
        .orderBy(asc(articleBoards.position), asc(articles.title))
        .all()
    : db.select(columns).from(articles).where(eq(articles.status, "published")).orderBy(asc(articles.title)).all();

  const boardNames = new Map<number, { slug: string; name: string }[]>();
  if (published.length) {
    const rows = db
      .select({ articleId: articleBoards.articleId, slug: boards.slug, name: boards.name })
      .from(articleBoards)
      .innerJoin(boards, eq(boards.id, articleBoards.boardId))
      .where(
        inArray(
          articleBoards.articleId,
          published.map((a) => a.id),
        ),
      )
      .orderBy(asc(boards.position))
      .all();
    for (const row of rows) boardNames.set(row.articleId, [...(boardNames.get(row.articleId) ?? []), { slug: row.slug, name: row.name }]);
  }

  // Staff: every article pinned to the filtered board (any status), in order, to reorder them;
  // without a filter, the drafts and archived articles that the public list leaves out.
  const boardOrder =
    staff && board
      ? db
          .select({ slug: articles.slug, title: articles.title, status: articles.status })
          .from(articleBoards)
          .innerJoin(articles, eq(articles.id, articleBoards.articleId))
          .where(eq(articleBoards.boardId, board.id))
          .orderBy(asc(articleBoards.position), asc(articles.title))
          .all()
      : [];
  const unpublished =
    staff && !board
      ? db
          .select({ slug: articles.slug, title: articles.title, status: articles.status, updatedAt: articles.updatedAt })
          .from(articles)
          .where(ne(articles.status, "published"))
          .orderBy(desc(articles.updatedAt))
          .all()
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

/** For the board page: its published pinned articles, in the moderators' order. */
export function listPinnedArticles(boardId: number) {
  const today = todayUtc();
  return db
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
    .orderBy(asc(articleBoards.position), asc(articles.title))
    .all()
    .map(({ nextReviewDueOn, ...a }) => ({ ...a, reviewOverdue: isReviewOverdue(nextReviewDueOn, today) }));
}

/** For the thread page: published articles a moderator linked as related reading. */
export function listRelatedArticles(threadId: number) {
  return relatedArticles().all({ threadId });
}

// Every thread view runs this, so it is prepared once, on first use.
const relatedArticles = prepared(() =>
  db
    .select({ slug: articles.slug, title: articles.title })
    .from(threadArticles)
    .innerJoin(articles, eq(articles.id, threadArticles.articleId))
    .where(and(eq(threadArticles.threadId, sql.placeholder("threadId")), eq(articles.status, "published")))
    .orderBy(asc(threadArticles.createdAt), asc(articles.title))
    .prepare(),
);

/** The editor: the article's fields as typed, plus every board for the pin controls. */
export function getArticleForEdit(actor: Actor, slug: string | null) {
  requireStaffActor(actor);
  const allBoards = db.select({ slug: boards.slug, name: boards.name }).from(boards).orderBy(asc(boards.position), asc(boards.id)).all();
  if (slug === null) {
    // A new article starts as a draft, reviewed today, due for review in a year.
    const today = todayUtc();
    const nextYear = `${Number(today.slice(0, 4)) + 1}${today.slice(4).replace("-02-29", "-02-28")}`;
    return { boards: allBoards, article: null, values: { status: "draft", lastReviewedOn: today, nextReviewDueOn: nextYear } as Record<string, string> };
  }
  const article = findArticle(slug);
  if (!article) notFound("There is no article at this address.");
  const pins = articlePins(article.id);
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

type Snapshot = {
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

/** Earlier versions, newest first (staff only). */
export function getArticleHistory(actor: Actor, slug: string) {
  requireStaffActor(actor);
  const article = findArticle(slug);
  if (!article) notFound("There is no article at this address.");
  const revisions = db
    .select({ id: articleRevisions.id, snapshot: articleRevisions.snapshot, replacedAt: articleRevisions.createdAt, editor: users.username })
    .from(articleRevisions)
    .leftJoin(users, eq(users.id, articleRevisions.editorId))
    .where(eq(articleRevisions.articleId, article.id))
    .orderBy(desc(articleRevisions.id))
    .all()
    .map(({ snapshot, ...r }) => {
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

/* ------------------------------------------------------------------------ */
/* Writing                                                                   */
/* ------------------------------------------------------------------------ */

const statusActions: Record<ArticleStatus, string> = {
  published: "article.publish",
  draft: "article.unpublish",
  archived: "article.archive",
};

type SaveResult = { ok: true; slug: string } | { ok: false; errors: FieldErrors };

function slugTaken(tx: Tx, slug: string, exceptId?: number) {
  const row = tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug)).get();
  return !!row && row.id !== exceptId;
}

/** What a save needs before it writes: a free address and boards that exist. */
function checkSave(tx: Tx, input: ArticleInput, exceptId?: number): ReturnType<typeof resolvePins> {
  if (slugTaken(tx, input.slug, exceptId)) return { ok: false, errors: { slug: "Another article already uses this address." } };
  return resolvePins(tx, input.pins);
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

function resolvePins(
  tx: Tx,
  pins: ArticleInput["pins"],
): { ok: true; pins: { boardId: number; name: string; position: number | null }[] } | { ok: false; errors: FieldErrors } {
  if (!pins.length) return { ok: true, pins: [] };
  const found = tx
    .select({ id: boards.id, slug: boards.slug, name: boards.name })
    .from(boards)
    .where(
      inArray(
        boards.slug,
        pins.map((p) => p.boardSlug),
      ),
    )
    .all();
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
function placePin(tx: Tx, boardId: number, articleId: number, position: number | null) {
  const others = tx
    .select({ articleId: articleBoards.articleId })
    .from(articleBoards)
    .innerJoin(articles, eq(articles.id, articleBoards.articleId))
    .where(and(eq(articleBoards.boardId, boardId), ne(articleBoards.articleId, articleId)))
    .orderBy(asc(articleBoards.position), asc(articles.title))
    .all()
    .map((r) => r.articleId);
  const index = position === null ? others.length : Math.min(Math.max(position - 1, 0), others.length);
  const ordered = [...others.slice(0, index), articleId, ...others.slice(index)];
  tx.insert(articleBoards)
    .values({ articleId, boardId, position: index + 1 })
    .onConflictDoNothing()
    .run();
  ordered.forEach((id, i) => {
    tx.update(articleBoards)
      .set({ position: i + 1 })
      .where(and(eq(articleBoards.boardId, boardId), eq(articleBoards.articleId, id)))
      .run();
  });
}

function applyPins(tx: Tx, actorId: number, articleId: number, wanted: { boardId: number; name: string; position: number | null }[]) {
  const current = tx
    .select({ boardId: articleBoards.boardId, position: articleBoards.position, name: boards.name })
    .from(articleBoards)
    .innerJoin(boards, eq(boards.id, articleBoards.boardId))
    .where(eq(articleBoards.articleId, articleId))
    .all();
  for (const pin of current) {
    if (wanted.some((w) => w.boardId === pin.boardId)) continue;
    tx.delete(articleBoards)
      .where(and(eq(articleBoards.articleId, articleId), eq(articleBoards.boardId, pin.boardId)))
      .run();
    logModeratorAction(tx, { actorId, action: "article.unpin", targetType: "article", targetId: articleId, reason: `Unpinned from “${pin.name}”` });
  }
  for (const pin of wanted) {
    const existing = current.find((c) => c.boardId === pin.boardId);
    if (!existing) {
      placePin(tx, pin.boardId, articleId, pin.position);
      logModeratorAction(tx, { actorId, action: "article.pin", targetType: "article", targetId: articleId, reason: `Pinned to “${pin.name}”` });
    } else if (pin.position !== null && pin.position !== existing.position) {
      placePin(tx, pin.boardId, articleId, pin.position);
      logModeratorAction(tx, {
        actorId,
        action: "article.reorder",
        targetType: "article",
        targetId: articleId,
        reason: `Moved to place ${pin.position} on “${pin.name}”`,
      });
    }
  }
}

export function createArticle(actor: Actor, input: ArticleInput): SaveResult {
  requireStaffActor(actor);
  const columns = editorColumns(input);
  return db.transaction(
    (tx) => {
      const pins = checkSave(tx, input);
      if (!pins.ok) return pins;
      const now = new Date();
      const { id } = tx
        .insert(articles)
        .values({
          ...columns,
          createdAt: now,
          updatedAt: now,
          publishedAt: input.status === "published" ? now : null,
        })
        .returning({ id: articles.id })
        .get();
      logModeratorAction(tx, { actorId: actor.id, action: "article.create", targetType: "article", targetId: id, reason: input.title });
      if (input.status !== "draft") logModeratorAction(tx, { actorId: actor.id, action: statusActions[input.status], targetType: "article", targetId: id });
      applyPins(tx, actor.id, id, pins.pins);
      return { ok: true, slug: input.slug } as const;
    },
    { behavior: "immediate" },
  );
}

/** Saves the editor form: a content change keeps the earlier version; status and pins are logged apart. */
export function updateArticle(actor: Actor, slug: string, input: ArticleInput): SaveResult {
  requireStaffActor(actor);
  const columns = editorColumns(input);
  return db.transaction(
    (tx) => {
      const old = tx.select().from(articles).where(eq(articles.slug, slug)).get();
      if (!old) notFound("There is no article at this address.");
      const pins = checkSave(tx, input, old.id);
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
      if (contentChanged) {
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
        tx.insert(articleRevisions).values({ articleId: old.id, editorId: actor.id, snapshot, createdAt: now }).run();
        logModeratorAction(tx, { actorId: actor.id, action: "article.edit", targetType: "article", targetId: old.id, reason: input.title });
      }
      if (contentChanged || old.status !== input.status) {
        tx.update(articles)
          .set({
            ...columns,
            updatedAt: contentChanged ? now : old.updatedAt,
            publishedAt: input.status === "published" ? (old.publishedAt ?? now) : old.publishedAt,
          })
          .where(eq(articles.id, old.id))
          .run();
      }
      if (old.status !== input.status) {
        logModeratorAction(tx, { actorId: actor.id, action: statusActions[input.status], targetType: "article", targetId: old.id });
      }
      applyPins(tx, actor.id, old.id, pins.pins);
      return { ok: true, slug: input.slug } as const;
    },
    { behavior: "immediate" },
  );
}

/** Publish, unpublish (back to draft) or archive, from the article page. */
export function setArticleStatus(actor: Actor, slug: string, status: ArticleStatus) {
  requireStaffActor(actor);
  return db.transaction(
    (tx) => {
      const article = tx
        .select({ id: articles.id, status: articles.status, publishedAt: articles.publishedAt })
        .from(articles)
        .where(eq(articles.slug, slug))
        .get();
      if (!article) notFound("There is no article at this address.");
      if (article.status === status) return { changed: false };
      tx.update(articles)
        .set({ status, publishedAt: status === "published" ? (article.publishedAt ?? new Date()) : article.publishedAt })
        .where(eq(articles.id, article.id))
        .run();
      logModeratorAction(tx, { actorId: actor.id, action: statusActions[status], targetType: "article", targetId: article.id });
      return { changed: true };
    },
    { behavior: "immediate" },
  );
}

/** Moves an article one place up or down in a board's pinned list. */
export function moveArticlePin(actor: Actor, slug: string, boardSlug: string, direction: "up" | "down") {
  requireStaffActor(actor);
  return db.transaction(
    (tx) => {
      const article = tx.select({ id: articles.id }).from(articles).where(eq(articles.slug, slug)).get();
      const board = tx.select({ id: boards.id, name: boards.name }).from(boards).where(eq(boards.slug, boardSlug)).get();
      if (!article || !board) notFound("That article is not pinned to that board.");
      const ordered = tx
        .select({ articleId: articleBoards.articleId })
        .from(articleBoards)
        .innerJoin(articles, eq(articles.id, articleBoards.articleId))
        .where(eq(articleBoards.boardId, board.id))
        .orderBy(asc(articleBoards.position), asc(articles.title))
        .all()
        .map((r) => r.articleId);
      const index = ordered.indexOf(article.id);
      if (index === -1) notFound("That article is not pinned to that board.");
      const target = direction === "up" ? index - 1 : index + 1;
      if (target < 0 || target >= ordered.length) return { moved: false };
      placePin(tx, board.id, article.id, target + 1);
      logModeratorAction(tx, {
        actorId: actor.id,
        action: "article.reorder",
        targetType: "article",
        targetId: article.id,
        reason: `Moved to place ${target + 1} on “${board.name}”`,
      });
      return { moved: true };
    },
    { behavior: "immediate" },
  );
}

/* ------------------------------------------------------------------------ */
/* Related reading                                                           */
/* ------------------------------------------------------------------------ */

function getThreadRow(threadId: number) {
  const thread = db
    .select({ id: threads.id, title: threads.title, boardSlug: boards.slug, boardName: boards.name })
    .from(threads)
    .innerJoin(boards, eq(boards.id, threads.boardId))
    .where(eq(threads.id, threadId))
    .get();
  if (!thread) notFound("There is no thread at this address.");
  return thread;
}

/** The staff page for a thread's related reading: what is linked and what could be. */
export function getRelatedReadingEditor(actor: Actor, threadId: number) {
  requireStaffActor(actor, "Only moderators can change related reading.");
  const thread = getThreadRow(threadId);
  const linked = db
    .select({ slug: articles.slug, title: articles.title, status: articles.status })
    .from(threadArticles)
    .innerJoin(articles, eq(articles.id, threadArticles.articleId))
    .where(eq(threadArticles.threadId, threadId))
    .orderBy(asc(threadArticles.createdAt), asc(articles.title))
    .all();
  const linkedIds = db.select({ id: threadArticles.articleId }).from(threadArticles).where(eq(threadArticles.threadId, threadId));
  const available = db
    .select({ slug: articles.slug, title: articles.title })
    .from(articles)
    .where(and(eq(articles.status, "published"), notInArray(articles.id, linkedIds)))
    .orderBy(asc(articles.title))
    .all();
  return { thread, linked, available };
}

export function linkArticleToThread(actor: Actor, threadId: number, articleSlug: string) {
  requireStaffActor(actor, "Only moderators can change related reading.");
  return db.transaction(
    (tx) => {
      getThreadRow(threadId);
      const article = tx.select({ id: articles.id, title: articles.title, status: articles.status }).from(articles).where(eq(articles.slug, articleSlug)).get();
      if (!article || article.status !== "published") return { ok: false as const, errors: { article: "Choose a published article from the list." } };
      const inserted = tx
        .insert(threadArticles)
        .values({ threadId, articleId: article.id, addedById: actor.id })
        .onConflictDoNothing()
        .returning({ threadId: threadArticles.threadId })
        .all();
      if (inserted.length) {
        logModeratorAction(tx, {
          actorId: actor.id,
          action: "thread.link_article",
          targetType: "thread",
          targetId: threadId,
          reason: `Related reading: “${article.title}”`,
        });
      }
      return { ok: true as const };
    },
    { behavior: "immediate" },
  );
}

export function unlinkArticleFromThread(actor: Actor, threadId: number, articleSlug: string) {
  requireStaffActor(actor, "Only moderators can change related reading.");
  return db.transaction(
    (tx) => {
      getThreadRow(threadId);
      const article = tx.select({ id: articles.id, title: articles.title }).from(articles).where(eq(articles.slug, articleSlug)).get();
      if (!article) return { ok: true as const };
      const removed = tx
        .delete(threadArticles)
        .where(and(eq(threadArticles.threadId, threadId), eq(threadArticles.articleId, article.id)))
        .returning({ threadId: threadArticles.threadId })
        .all();
      if (removed.length) {
        logModeratorAction(tx, {
          actorId: actor.id,
          action: "thread.unlink_article",
          targetType: "thread",
          targetId: threadId,
          reason: `Removed related reading: “${article.title}”`,
        });
      }
      return { ok: true as const };
    },
    { behavior: "immediate" },
  );
}

/** Published articles, for pickers (related reading, evidence notes). */
export function listPublishedArticleTitles() {
  return db.select({ slug: articles.slug, title: articles.title }).from(articles).where(eq(articles.status, "published")).orderBy(asc(articles.title)).all();
}

/** Used by seeding: the highest position on a board, so new pins go last. */
export function nextPinPosition(tx: Tx | typeof db, boardId: number) {
  const row = tx
    .select({ max: sql<number | null>`max(${articleBoards.position})` })
    .from(articleBoards)
    .where(eq(articleBoards.boardId, boardId))
    .get();
  return (row?.max ?? 0) + 1;
}
