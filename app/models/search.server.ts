// Full-text search over thread titles, posts and published articles, the same on both engines:
// the query language, ranking, paging and the page's shape live here; each engine's SQL lives in
// search-sqlite.server.ts (FTS5) or search-pg.server.ts (tsvector), docs/decisions/023.
// The indexes hold only visible text (docs/decisions/009); the queries filter again anyway.
import { usesPostgres } from "../../db/dialect.ts";
import { warningLabel } from "../utils/content-warnings.ts";
import { pageOfPost } from "../utils/limits.ts";
import type { Actor } from "../utils/permissions.ts";
import { getBoard } from "./boards.server.ts";
import { getTag } from "./tags.server.ts";
import { HIT_END, HIT_START, type SearchEngine, type Term } from "./search-engine.server.ts";
import { pgSearch } from "./search-pg.server.ts";
import { sqliteSearch } from "./search-sqlite.server.ts";

/** Characters of the query that are used; the rest is ignored (and the page says so). */
export const QUERY_MAX = 200;
export const RESULTS_PER_PAGE = 20;
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
  /** The content warning of the post shown, whose words are then left out of `snippet`. */
  warning: string | null;
};

export type ArticleResult = { articleId: number; title: Segment[]; snippet: Segment[]; href: string; author: string; date: Date };

export type SearchOutcome =
  | { status: "empty"; truncated: boolean }
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

type Ranked = { threadId: number; score: number; postId: number | null; titleMatched: boolean };

// One engine per process, chosen as db/client.ts chooses its database.
const engine: SearchEngine = usesPostgres() ? pgSearch : sqliteSearch;

/**
 * One page of search results. Nothing removed, deleted or unpublished is ever among them, and a
 * visitor's results (no `viewer`) leave out members-only threads. An unknown board slug is a 404 (the route checks
 * it against the board list first, to show a message beside the field).
 */
export async function searchForum(
  input: { q: string; boardSlug?: string | null; tagSlug?: string | null; page?: number; viewer?: Actor },
  tuning: SearchTuning = {},
): Promise<SearchOutcome> {
  const truncated = input.q.length > QUERY_MAX;
  const terms = parseQuery(input.q);
  if (!terms.length) return { status: "empty", truncated };
  const boardId = input.boardSlug ? (await getBoard(input.boardSlug)).id : null;
  const tagId = input.tagSlug ? (await getTag(input.tagSlug)).id : null;
  const page = input.page ?? 1;
  const ranking = (await affordsBm25(terms, tuning.rankBudget ?? RANK_BUDGET)) ? "relevance" : "recent";
  const window = ranking === "relevance" ? (tuning.window ?? WINDOW) : (tuning.recentWindow ?? RECENT_WINDOW);

  const walk = { terms, boardId, tagId, limit: window, scored: ranking === "relevance", members: !!input.viewer };
  const [postRows, titleRows] = await Promise.all([engine.postWindow(walk), engine.titleWindow(walk)]);
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
  const [articles, threads] = await Promise.all([page === 1 && tagId === null ? findArticles(terms, boardId) : [], hydrateThreads(slice, terms)]);
  return { status: "ok", articles, threads, total, capped, ranking, page, pageCount, truncated };
}

/**
 * Whether bm25's count of every row containing each term stays within budget. Each term's
 * frequency is estimated from how far back its 100th-newest post is, and how far forward its
 * 100th-oldest: two cheap, bounded walks. The denser end wins. With the newest end alone, a word
 * that was everywhere for years but missing from the last few thousand posts looked rare, and
 * bm25 then counted every one of its rows. (PostgreSQL's ts_rank counts nothing, but the same
 * estimate keeps the shorter walk for common words, and the same results, on both engines.)
 */
async function affordsBm25(terms: Term[], budget: number) {
  if (terms.some((t) => t.prefix)) return false;
  const range = await engine.postIdRange();
  if (!range) return true;
  const { oldest, newest } = range;
  const span = newest - oldest + 1;
  let rows = 0;
  for (const term of terms) {
    const { recent, early } = await engine.termEnds(term);
    // Fewer than 100 matches in all: at most 100 rows to count.
    if (recent === undefined || early === undefined) rows += 100;
    else rows += Math.max((100 * span) / (newest - recent + 1), (100 * span) / (early - oldest + 1));
    if (rows > budget) return false;
  }
  return true;
}

async function findArticles(terms: Term[], boardId: number | null): Promise<ArticleResult[]> {
  return (await engine.articles(terms, boardId)).map((row) => ({
    articleId: row.id,
    title: segments(row.title, { markdown: false }),
    snippet: segments(row.snippet, { markdown: false }),
    href: `/articles/${row.slug}`,
    author: row.author,
    date: new Date(row.date),
  }));
}

/** Titles, authors, dates and snippets for the results on the page — never for the rest. */
async function hydrateThreads(slice: Ranked[], terms: Term[]): Promise<ThreadResult[]> {
  if (!slice.length) return [];
  const postIds = slice.flatMap((r) => (r.postId === null ? [] : [r.postId]));
  const titleIds = slice.filter((r) => r.titleMatched).map((r) => r.threadId);
  const titleOnlyIds = slice.filter((r) => r.postId === null).map((r) => r.threadId);

  const byId = <T extends { id: number }>(rows: T[]) => new Map(rows.map((row) => [row.id, row]));
  const [threads, posts, openings, snippets, titles] = await Promise.all([
    engine.threads(slice.map((r) => r.threadId)).then(byId),
    (postIds.length ? engine.posts(postIds) : Promise.resolve([])).then(byId),
    (titleOnlyIds.length ? engine.openings(titleOnlyIds) : Promise.resolve([])).then(byId),
    engine.snippets(terms, postIds),
    engine.titles(terms, titleIds),
  ]);

  return slice.flatMap((rank): ThreadResult[] => {
    const thread = threads.get(rank.threadId);
    if (!thread) return [];
    const post = rank.postId === null ? undefined : posts.get(rank.postId);
    const opening = openings.get(rank.threadId);
    const warned = post ?? opening;
    const warning = warned?.warningKind ? warningLabel(warned.warningKind, warned.warningText) : null;
    return [
      {
        threadId: thread.id,
        title: segments(titles.get(thread.id) ?? thread.title, { markdown: false }),
        snippet: warning ? [] : segments(post ? (snippets.get(post.id) ?? "") : opening === undefined ? "" : shorten(opening.excerpt)),
        href: post ? `/threads/${thread.id}?page=${pageOfPost(post.number)}#post-${post.id}` : `/threads/${thread.id}`,
        boardName: thread.boardName,
        boardSlug: thread.boardSlug,
        author: post?.author ?? thread.author,
        date: new Date(post?.createdAt ?? thread.createdAt),
        postNumber: post?.number ?? null,
        warning,
      },
    ];
  });
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
