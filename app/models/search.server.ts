// Full-text search over thread titles, posts and published articles: with the FTS migrations (0001,
// 0008) the only SQLite-FTS5 code; PostgreSQL's will replace them and keep the exported types.
// The index holds only visible text (docs/decisions/009); the queries below filter again anyway.
import { sqlite } from "../../db/client.ts";
import { usesPostgres } from "../../db/dialect.ts";
import { pageOfPost } from "../utils/limits.ts";
import { getBoard } from "./boards.server.ts";

/** Characters of the query that are used; the rest is ignored (and the page says so). */
export const QUERY_MAX = 200;
export const RESULTS_PER_PAGE = 20;
/** Articles are listed above the threads, on the first page only. */
const ARTICLES_SHOWN = 5;
/** More words than this add cost but almost never change what is found. */
const MAX_TERMS = 12;
/** A shorter prefix (`c*`) would match most of the index. */
const MIN_PREFIX = 3;

/**
 * Why two limits (docs/decisions/001; `npm run bench:search` times them):
 * - Ranking every match is linear in the number of matches, which for a common word is most of
 *   the forum. So FTS walks the matches
 *   newest first (FTS5 serves rowid order from the index, no sort), the visibility and board
 *   filters are applied on the way, and the walk stops after WINDOW visible posts. Results are
 *   the best of those: exact for rarer words, "best among the recent" for common ones.
 * - bm25() also counts, once per query, every row that contains each term (for the IDF), so it
 *   is linear in the terms' document frequency even when only WINDOW rows are ranked. When the
 *   terms are estimated to be in more than RANK_BUDGET posts in total (the word is everywhere, so
 *   bm25 would barely tell posts apart anyway), or a prefix term is used (costly to count),
 *   threads are ranked without bm25: title matches first, then threads where more of the recent
 *   posts match, newest first.
 */
const WINDOW = 1000;
/**
 * Words too common for bm25 are ranked by title match and recency, which a deeper walk barely
 * changes: 300 posts still give some twenty pages of threads, at half the cost of a deeper walk.
 */
const RECENT_WINDOW = 300;
const RANK_BUDGET = 40_000;
/** bm25 scores are negative (lower is better); a match in the title counts this much more. */
const TITLE_WEIGHT = 3;
/** Tokens of context in a snippet. */
const SNIPPET_TOKENS = 24;

// Marks around each hit in FTS output; split out in TS so no HTML is ever built from user text.
const HIT_START = "\u0002";
const HIT_END = "\u0003";

export type Segment = { text: string; hit: boolean };

export type ThreadResult = {
  threadId: number;
  title: Segment[];
  snippet: Segment[];
  href: string;
  boardName: string;
  boardSlug: string;
  author: string;
  date: Date;
  /** The matching post's number (1 = the opening post); null when only the title matched. */
  postNumber: number | null;
};

export type ArticleResult = { articleId: number; title: Segment[]; snippet: Segment[]; href: string; author: string; date: Date };

export type SearchOutcome =
  | { status: "empty"; truncated: boolean }
  /** The forum runs on PostgreSQL, which has no search index yet (issue 25): the page says so. */
  | { status: "unavailable"; truncated: boolean }
  | {
      status: "ok";
      articles: ArticleResult[];
      threads: ThreadResult[];
      /** Matching threads (within the ranked window when `capped`). */
      total: number;
      /** More posts match than were ranked: the page says so and suggests narrowing. */
      capped: boolean;
      /** "recent" when the words were too common for bm25 (see RANK_BUDGET). */
      ranking: "relevance" | "recent";
      page: number;
      pageCount: number;
      truncated: boolean;
    };

/** Tuning knobs for tests, so both ranking paths and the window can be exercised on a small forum. */
export type SearchTuning = { window?: number; recentWindow?: number; rankBudget?: number };

type Term = { fts: string; prefix: boolean };

// Letters, digits and private-use characters are what FTS5's unicode61 tokenizer keeps; anything
// else separates words. Splitting the same way here means every term we send is one FTS token run.
const TOKEN = /[\p{L}\p{N}\p{Co}]+/gu;
const OPERATOR = /^(AND|OR|NOT|NEAR)$/;

/**
 * Turns what a member typed into safe FTS5 terms (ANDed, FTS5's implicit operator).
 * User text never reaches MATCH as syntax: every term is rebuilt from letters and digits and
 * double-quoted. "Quoted phrases" stay phrases, `word*` stays a prefix search, operators and
 * punctuation are dropped.
 */
export function parseQuery(raw: string): Term[] {
  const text = raw.slice(0, QUERY_MAX);
  const terms = new Map<string, Term>();
  // A quoted phrase (with an optional trailing *), or any run of non-space characters.
  // An unbalanced quote does not match the first branch, so it falls to the second and is dropped.
  for (const match of text.matchAll(/"([^"]*)"(\*?)|(\S+)/g)) {
    const [, quoted, quotedStar, bare] = match;
    const tokens = (quoted ?? bare ?? "").match(TOKEN);
    if (!tokens) continue;
    // Capitalised AND/OR/NOT/NEAR on their own are FTS syntax, not words anyone searches for.
    if (bare !== undefined && tokens.length === 1 && OPERATOR.test(tokens[0]!)) continue;
    const wantsPrefix = quoted !== undefined ? quotedStar === "*" : /[\p{L}\p{N}\p{Co}]\*+\W*$/u.test(bare!);
    const prefix = wantsPrefix && [...tokens[tokens.length - 1]!].length >= MIN_PREFIX;
    // Tokens hold only letters and digits, so the quotes around them cannot be escaped from.
    const fts = `"${tokens.join(" ")}"${prefix ? "*" : ""}`;
    terms.set(fts, { fts, prefix });
    if (terms.size === MAX_TERMS) break;
  }
  return [...terms.values()];
}

/** The FTS5 MATCH expression for a query, or null when nothing searchable is left. */
export function buildFtsQuery(raw: string): string | null {
  const terms = parseQuery(raw);
  return terms.length ? terms.map((t) => t.fts).join(" ") : null;
}

// FTS5 has no drizzle form: these run on the read connection (which keeps its statements).
const statement = (source: string) => sqlite.reader.prepare(source);

// CROSS JOIN pins the FTS table as the outer loop: SQLite must not drive from posts/threads and
// run MATCH once per row. ORDER BY rowid DESC is served by FTS5 itself (no sort), so the LIMIT
// stops the walk as soon as enough visible rows are found.
const postWindow = (score: string) => `
  SELECT posts_fts.rowid AS postId, p.thread_id AS threadId, ${score} AS score
  FROM posts_fts
  CROSS JOIN posts p ON p.id = posts_fts.rowid
  CROSS JOIN threads t ON t.id = p.thread_id
  WHERE posts_fts MATCH :match
    AND p.deleted_at IS NULL AND p.removed_at IS NULL AND t.removed_at IS NULL
    AND (:boardId IS NULL OR t.board_id = :boardId)
  ORDER BY posts_fts.rowid DESC
  LIMIT :limit`;

const titleWindow = (score: string) => `
  SELECT threads_fts.rowid AS threadId, ${score} AS score
  FROM threads_fts
  CROSS JOIN threads t ON t.id = threads_fts.rowid
  WHERE threads_fts MATCH :match
    AND t.removed_at IS NULL
    AND (:boardId IS NULL OR t.board_id = :boardId)
  ORDER BY threads_fts.rowid DESC
  LIMIT :limit`;

// Articles are few: rank them all. Column weights: title, summary, body. An article is shown by its
// summary (at most 300 characters, written to describe it), with the words marked: a fragment of
// its body was a worse description, and cutting it from thousands of words was most of this
// query's time.
const ARTICLE_MATCHES = `
  SELECT articles_fts.rowid AS id, a.slug, a.author, coalesce(a.published_at, a.updated_at) AS date,
         highlight(articles_fts, 0, '${HIT_START}', '${HIT_END}') AS title,
         highlight(articles_fts, 1, '${HIT_START}', '${HIT_END}') AS snippet
  FROM articles_fts
  CROSS JOIN articles a ON a.id = articles_fts.rowid
  WHERE articles_fts MATCH :match
    AND a.status = 'published'
    AND (:boardId IS NULL OR EXISTS (SELECT 1 FROM article_boards ab WHERE ab.article_id = a.id AND ab.board_id = :boardId))
  ORDER BY bm25(articles_fts, 3.0, 2.0, 1.0)
  LIMIT ${ARTICLES_SHOWN}`;

// The 100th-newest and 100th-oldest posts containing one term: how dense the term is at each end
// of the forum's history. FTS5 serves rowid order in both directions from the index.
const TERM_DENSITY_NEWEST = `SELECT rowid AS id FROM posts_fts WHERE posts_fts MATCH :match ORDER BY rowid DESC LIMIT 1 OFFSET 99`;
const TERM_DENSITY_OLDEST = `SELECT rowid AS id FROM posts_fts WHERE posts_fts MATCH :match ORDER BY rowid ASC LIMIT 1 OFFSET 99`;
// Two subqueries: SQLite answers a lone min() or max() from the index, but not both in one SELECT.
const POST_ID_RANGE = `SELECT (SELECT min(id) FROM posts) AS oldest, (SELECT max(id) FROM posts) AS newest`;

// Snippets are made only for the rows on the page. One rowid lookup each is cheapest, except for
// prefix terms: FTS5 re-expands a prefix on every lookup, so those pages take one bounded range walk.
// Rowids reach FTS5 only through json_each, as integers: better-sqlite3 binds every JS number as
// a REAL, and FTS5 ignores a REAL rowid bound (the lookup then returns other rows' text).
const fragment = (table: string, fn: string) => `
  SELECT rowid AS id, ${fn}(${table}, 0, '${HIT_START}', '${HIT_END}'${fn === "snippet" ? `, '…', ${SNIPPET_TOKENS}` : ""}) AS text
  FROM ${table} WHERE ${table} MATCH :match`;
const byRowids = (table: string, fn: string) => `${fragment(table, fn)} AND rowid IN (SELECT value FROM json_each(:ids))`;
const byRange = (table: string, fn: string) => `${fragment(table, fn)}
  AND rowid BETWEEN (SELECT min(value) FROM json_each(:ids)) AND (SELECT max(value) FROM json_each(:ids))
  AND +rowid IN (SELECT value FROM json_each(:ids))`;

const THREAD_DETAILS = `
  SELECT t.id, t.title, t.created_at AS createdAt, b.name AS boardName, b.slug AS boardSlug, u.username AS author
  FROM threads t JOIN boards b ON b.id = t.board_id JOIN users u ON u.id = t.author_id
  WHERE t.id IN (SELECT value FROM json_each(:ids))`;

const POST_DETAILS = `
  SELECT p.id, p.number, p.created_at AS createdAt, u.username AS author
  FROM posts p JOIN users u ON u.id = p.author_id
  WHERE p.id IN (SELECT value FROM json_each(:ids))`;

// A thread found by its title alone shows the start of its opening post, if that is still visible.
const OPENING_POSTS = `
  SELECT thread_id AS id, substr(body_markdown, 1, 400) AS excerpt
  FROM posts
  WHERE thread_id IN (SELECT value FROM json_each(:ids)) AND number = 1 AND deleted_at IS NULL AND removed_at IS NULL`;

type Ranked = { threadId: number; score: number; postId: number | null; titleMatched: boolean };

/**
 * One page of search results. Public: everyone sees the same results, and nothing removed,
 * deleted or unpublished is ever among them. An unknown board slug is a 404 (the route checks
 * it against the board list first, to show a message beside the field).
 */
export async function searchForum(input: { q: string; boardSlug?: string | null; page?: number }, tuning: SearchTuning = {}): Promise<SearchOutcome> {
  const truncated = input.q.length > QUERY_MAX;
  const terms = parseQuery(input.q);
  if (!terms.length) return { status: "empty", truncated };
  if (usesPostgres()) return { status: "unavailable", truncated };
  const match = terms.map((t) => t.fts).join(" ");
  const boardId = input.boardSlug ? (await getBoard(input.boardSlug)).id : null;
  const page = input.page ?? 1;
  const ranking = affordsBm25(terms, tuning.rankBudget ?? RANK_BUDGET) ? "relevance" : "recent";
  const window = ranking === "relevance" ? (tuning.window ?? WINDOW) : (tuning.recentWindow ?? RECENT_WINDOW);
  const score = ranking === "relevance" ? (table: string) => `bm25(${table})` : () => "0";

  const params = { match, boardId, limit: window };
  const postRows = statement(postWindow(score("posts_fts"))).all(params) as { postId: number; threadId: number; score: number }[];
  const titleRows = statement(titleWindow(score("threads_fts"))).all(params) as { threadId: number; score: number }[];
  const capped = postRows.length === window || titleRows.length === window;

  // One result per thread: its best-matching post, and the title's score when it matches too.
  // Map keeps first-seen order (newest first), which the stable sort below keeps for equal scores.
  const hits = new Map<number, { postId: number | null; postScore: number; posts: number; titleScore: number | null }>();
  for (const row of postRows) {
    const hit = hits.get(row.threadId);
    if (!hit) hits.set(row.threadId, { postId: row.postId, postScore: row.score, posts: 1, titleScore: null });
    else {
      hit.posts += 1;
      if (row.score < hit.postScore) Object.assign(hit, { postId: row.postId, postScore: row.score });
    }
  }
  for (const row of titleRows) {
    const hit = hits.get(row.threadId);
    if (hit) hit.titleScore = row.score;
    else hits.set(row.threadId, { postId: null, postScore: 0, posts: 0, titleScore: row.score });
  }
  const ranked: Ranked[] = [...hits].map(([threadId, hit]) => ({
    threadId,
    postId: hit.postId,
    titleMatched: hit.titleScore !== null,
    score:
      ranking === "relevance"
        ? hit.postScore + TITLE_WEIGHT * (hit.titleScore ?? 0)
        : // Without bm25: a title match first, then threads where more of the recent posts match.
          -(TITLE_WEIGHT * (hit.titleScore === null ? 0 : 1) + (hit.posts ? 1 + Math.log2(hit.posts) : 0)),
  }));
  ranked.sort((a, b) => a.score - b.score);

  const total = ranked.length;
  const pageCount = Math.max(1, Math.ceil(total / RESULTS_PER_PAGE));
  const slice = ranked.slice((page - 1) * RESULTS_PER_PAGE, page * RESULTS_PER_PAGE);
  const hasPrefix = terms.some((t) => t.prefix);
  return {
    status: "ok",
    articles: page === 1 ? findArticles(match, boardId) : [],
    threads: hydrateThreads(slice, match, hasPrefix),
    total,
    capped,
    ranking,
    page,
    pageCount,
    truncated,
  };
}

/**
 * Whether bm25's count of every row containing each term stays within budget. Each term's
 * frequency is estimated from how far back its 100th-newest post is, and how far forward its
 * 100th-oldest: two cheap, bounded walks. The denser end wins. With the newest end alone, a word
 * that was everywhere for years but missing from the last few thousand posts looked rare, and
 * bm25 then counted every one of its rows.
 */
function affordsBm25(terms: Term[], budget: number) {
  if (terms.some((t) => t.prefix)) return false;
  // eslint-disable-next-line no-restricted-syntax -- better-sqlite3's own statement (FTS5 module), not a drizzle query
  const { oldest, newest } = statement(POST_ID_RANGE).get() as { oldest: number | null; newest: number | null };
  if (oldest === null || newest === null) return true;
  const span = newest - oldest + 1;
  let rows = 0;
  for (const term of terms) {
    const recent = statement(TERM_DENSITY_NEWEST).get({ match: term.fts }) as { id: number } | undefined;
    const early = statement(TERM_DENSITY_OLDEST).get({ match: term.fts }) as { id: number } | undefined;
    // Fewer than 100 matches in all: at most 100 rows to count.
    if (!recent || !early) rows += 100;
    else rows += Math.max((100 * span) / (newest - recent.id + 1), (100 * span) / (early.id - oldest + 1));
    if (rows > budget) return false;
  }
  return true;
}

function findArticles(match: string, boardId: number | null): ArticleResult[] {
  const rows = statement(ARTICLE_MATCHES).all({ match, boardId }) as {
    id: number;
    slug: string;
    author: string;
    date: number;
    title: string;
    snippet: string;
  }[];
  return rows.map((row) => ({
    articleId: row.id,
    title: segments(row.title, { markdown: false }),
    snippet: segments(row.snippet, { markdown: false }),
    href: `/articles/${row.slug}`,
    author: row.author,
    date: new Date(row.date),
  }));
}

/** Titles, authors, dates and snippets for the results on the page — never for the rest. */
function hydrateThreads(slice: Ranked[], match: string, hasPrefix: boolean): ThreadResult[] {
  if (!slice.length) return [];
  const postIds = slice.flatMap((r) => (r.postId === null ? [] : [r.postId]));
  const titleIds = slice.filter((r) => r.titleMatched).map((r) => r.threadId);
  const titleOnlyIds = slice.filter((r) => r.postId === null).map((r) => r.threadId);

  type ThreadRow = { id: number; title: string; createdAt: number; boardName: string; boardSlug: string; author: string };
  type PostRow = { id: number; number: number; createdAt: number; author: string };
  const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  const ids = (list: number[]) => ({ ids: JSON.stringify(list) });
  const threads = byId(statement(THREAD_DETAILS).all(ids(slice.map((r) => r.threadId))) as ThreadRow[]);
  const posts = byId(postIds.length ? (statement(POST_DETAILS).all(ids(postIds)) as PostRow[]) : []);
  const openings = byId(titleOnlyIds.length ? (statement(OPENING_POSTS).all(ids(titleOnlyIds)) as { id: number; excerpt: string }[]) : []);
  const snippets = fragments("posts_fts", "snippet", match, postIds, hasPrefix);
  const titles = fragments("threads_fts", "highlight", match, titleIds, hasPrefix);

  return slice.flatMap((rank): ThreadResult[] => {
    const thread = threads.get(rank.threadId);
    if (!thread) return [];
    const post = rank.postId === null ? undefined : posts.get(rank.postId);
    const opening = openings.get(rank.threadId)?.excerpt;
    return [
      {
        threadId: thread.id,
        title: segments(titles.get(thread.id) ?? thread.title, { markdown: false }),
        snippet: segments(post ? (snippets.get(post.id) ?? "") : opening === undefined ? "" : shorten(opening)),
        href: post ? `/threads/${thread.id}?page=${pageOfPost(post.number)}#post-${post.id}` : `/threads/${thread.id}`,
        boardName: thread.boardName,
        boardSlug: thread.boardSlug,
        author: post?.author ?? thread.author,
        date: new Date(post?.createdAt ?? thread.createdAt),
        postNumber: post?.number ?? null,
      },
    ];
  });
}

/** snippet()/highlight() output for the given rowids, keyed by the rowid FTS5 returned with it. */
function fragments(table: string, fn: "snippet" | "highlight", match: string, rowids: number[], hasPrefix: boolean) {
  const out = new Map<number, string>();
  if (!rowids.length) return out;
  const wanted = new Set(rowids);
  const rows = statement((hasPrefix ? byRange : byRowids)(table, fn)).all({ match, ids: JSON.stringify(rowids) }) as { id: number; text: string }[];
  // A row that was not asked for is never shown, whatever FTS5 made of the constraint.
  for (const row of rows) if (wanted.has(row.id)) out.set(row.id, row.text);
  return out;
}

function shorten(text: string) {
  return text.length <= 300 ? text : `${text.slice(0, 300).replace(/\s+\S*$/, "")}…`;
}

/**
 * Splits FTS output on the hit marks into plain-text pieces for React to render (and escape).
 * For post and article text, markdown punctuation is dropped first: a snippet is read as prose,
 * and half a `**bold**` or `[link](url)` would only be noise. Titles are plain text already.
 */
export function segments(marked: string, { markdown = true } = {}): Segment[] {
  const prose = markdown
    ? marked
        .replace(/^[ \t]*(#{1,6}|>|[-*+]|\d+[.)])[ \t]+/gm, "")
        .replace(/\]\([^)\s]*\)?/g, "")
        .replace(/[`~[\]]+/g, "")
        // Emphasis marks, but not the _ or * inside a word (snake_case, user_names).
        .replace(/(?<![\p{L}\p{N}])[*_]+|[*_]+(?![\p{L}\p{N}])/gu, "")
        .replace(/\s+/g, " ")
        .trim()
    : marked;
  const out: Segment[] = [];
  let hit = false;
  for (const piece of prose.split(/([\u0002\u0003])/)) {
    if (piece === HIT_START) hit = true;
    else if (piece === HIT_END) hit = false;
    else if (piece) {
      const previous = out[out.length - 1];
      if (previous && previous.hit === hit) previous.text += piece;
      else out.push({ text: piece, hit });
    }
  }
  return out;
}
