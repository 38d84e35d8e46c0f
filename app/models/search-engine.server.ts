// What app/models/search.server.ts asks of a full-text engine, and the little both engines share.
// Each engine (search-sqlite.server.ts, search-pg.server.ts) answers these questions in its own
// SQL; ranking, merging, paging and the page's shape stay engine-independent (docs/decisions/023).
import type { WarningKind } from "../../db/schema.ts";

/** Articles are listed above the threads, on the first page only. */
export const ARTICLES_SHOWN = 5;
/** Tokens of context in a snippet. */
export const SNIPPET_TOKENS = 24;

// Marks around each hit in an engine's output; split out in TS so no HTML is ever built from user text.
export const HIT_START = "\u0002";
export const HIT_END = "\u0003";

/**
 * One search term, rebuilt from letters and digits only: `fts` is its FTS5 form (`"w1 w2"` or
 * `"w1 w2"*`); other engines read the words back out of it with termWords().
 */
export type Term = { fts: string; prefix: boolean };

/** A term's words, space-separated: what sits between the quotes of its FTS5 form. */
export const termWords = (term: Term) => term.fts.slice(1, term.fts.lastIndexOf('"')).split(" ");

/** A visible post that matches, in the walk's order (newest first); lower scores are better. */
export type PostMatch = { postId: number; threadId: number; score: number };
export type TitleMatch = { threadId: number; score: number };
export type ArticleMatch = { id: number; slug: string; author: string; date: Date | number; title: string; snippet: string };
export type ThreadDetails = { id: number; title: string; createdAt: Date | number; boardName: string; boardSlug: string; author: string };
/** A post's content warning (docs/decisions/028): its words are then never shown as a snippet. */
export type WarningColumns = { warningKind: WarningKind | null; warningText: string | null };
export type PostDetails = { id: number; number: number; createdAt: Date | number; author: string } & WarningColumns;

/**
 * What the walk needs: the terms, the board (or every board), how many rows, whether to score, and
 * whether members-only threads are included (for a member) or skipped (for a visitor), and the
 * tag a thread must carry (or none).
 */
export type Walk = { terms: Term[]; boardId: number | null; tagId: number | null; limit: number; scored: boolean; members: boolean };

export type SearchEngine = {
  /** The oldest and newest post ids, or null on an empty forum. */
  postIdRange(): Promise<{ oldest: number; newest: number } | null>;
  /** The ids of the 100th-newest and 100th-oldest posts holding the term (undefined: fewer than 100). */
  termEnds(term: Term): Promise<{ recent: number | undefined; early: number | undefined }>;
  /** Visible posts matching every term, newest first, at most `limit`. */
  postWindow(walk: Walk): Promise<PostMatch[]>;
  /** Visible threads whose title matches every term, newest first, at most `limit`. */
  titleWindow(walk: Walk): Promise<TitleMatch[]>;
  /** The best ARTICLES_SHOWN published articles, title and summary marked. */
  articles(terms: Term[], boardId: number | null): Promise<ArticleMatch[]>;
  threads(ids: number[]): Promise<ThreadDetails[]>;
  posts(ids: number[]): Promise<PostDetails[]>;
  /** The first 400 characters of each thread's opening post, where it is still visible. */
  openings(threadIds: number[]): Promise<({ id: number; excerpt: string } & WarningColumns)[]>;
  /** A marked fragment of each post's text, keyed by post id. */
  snippets(terms: Term[], postIds: number[]): Promise<Map<number, string>>;
  /** Each thread's whole title, marked, keyed by thread id. */
  titles(terms: Term[], threadIds: number[]): Promise<Map<number, string>>;
};
