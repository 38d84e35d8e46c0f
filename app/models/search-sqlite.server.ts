// Search on SQLite: FTS5 over the external-content tables of migrations/0001_search.sql, which hold
// only visible text (0008, docs/decisions/009); the queries below filter again anyway.
import { sqlite } from "../../db/client.ts";
import { ARTICLES_SHOWN, HIT_END, HIT_START, SNIPPET_TOKENS, type SearchEngine, type Term, type Walk } from "./search-engine.server.ts";

// FTS5 has no drizzle form: these run on the read connection (which keeps its statements).
const statement = (source: string) => sqlite.reader.prepare(source);

/** The MATCH expression: the quoted terms, ANDed (FTS5's implicit operator). */
const matchOf = (terms: Term[]) => terms.map((t) => t.fts).join(" ");

// A visitor's walk skips members-only threads (visibility.server.ts, membersOnlySql).
const MEMBERS_SEE_ALL = `:members = 1 OR (t.members_only = 0 AND t.board_id NOT IN (SELECT id FROM boards WHERE access = 'members'))`;

// CROSS JOIN pins the FTS table as the outer loop: SQLite must not drive from posts/threads and
// run MATCH once per row. ORDER BY rowid DESC is served by FTS5 itself (no sort), so the LIMIT
// stops the walk as soon as enough visible rows are found.
const postWindow = (score: string) => `
  SELECT posts_fts.rowid AS postId, p.thread_id AS threadId, ${score} AS score
  FROM posts_fts
  CROSS JOIN posts p ON p.id = posts_fts.rowid
  CROSS JOIN threads t ON t.id = p.thread_id
  WHERE posts_fts MATCH :match
    AND p.deleted_at IS NULL AND p.removed_at IS NULL AND p.held_at IS NULL AND t.removed_at IS NULL
    AND (:boardId IS NULL OR t.board_id = :boardId)
    AND (${MEMBERS_SEE_ALL})
    AND (:tagId IS NULL OR EXISTS (SELECT 1 FROM thread_tags tt WHERE tt.thread_id = t.id AND tt.tag_id = :tagId))
  ORDER BY posts_fts.rowid DESC
  LIMIT :limit`;

const titleWindow = (score: string) => `
  SELECT threads_fts.rowid AS threadId, ${score} AS score
  FROM threads_fts
  CROSS JOIN threads t ON t.id = threads_fts.rowid
  WHERE threads_fts MATCH :match
    AND t.removed_at IS NULL AND t.held_at IS NULL
    AND (:boardId IS NULL OR t.board_id = :boardId)
    AND (${MEMBERS_SEE_ALL})
    AND (:tagId IS NULL OR EXISTS (SELECT 1 FROM thread_tags tt WHERE tt.thread_id = t.id AND tt.tag_id = :tagId))
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
  SELECT p.id, p.number, p.created_at AS createdAt, u.username AS author, p.warning_kind AS warningKind, p.warning_text AS warningText
  FROM posts p JOIN users u ON u.id = p.author_id
  WHERE p.id IN (SELECT value FROM json_each(:ids))`;

// A thread found by its title alone shows the start of its opening post, if that is still visible.
const OPENING_POSTS = `
  SELECT thread_id AS id, substr(body_markdown, 1, 400) AS excerpt, warning_kind AS warningKind, warning_text AS warningText
  FROM posts
  WHERE thread_id IN (SELECT value FROM json_each(:ids)) AND number = 1 AND deleted_at IS NULL AND removed_at IS NULL AND held_at IS NULL`;

const ids = (list: number[]) => ({ ids: JSON.stringify(list) });

/** snippet()/highlight() output for the given rowids, keyed by the rowid FTS5 returned with it. */
function fragments(table: string, fn: "snippet" | "highlight", terms: Term[], rowids: number[]) {
  const out = new Map<number, string>();
  if (!rowids.length) return out;
  const wanted = new Set(rowids);
  const walk = terms.some((t) => t.prefix) ? byRange : byRowids;
  const rows = statement(walk(table, fn)).all({ match: matchOf(terms), ...ids(rowids) }) as { id: number; text: string }[];
  // A row that was not asked for is never shown, whatever FTS5 made of the constraint.
  for (const row of rows) if (wanted.has(row.id)) out.set(row.id, row.text);
  return out;
}

// bm25() scores are negative, lower is better, as the engine-independent ranking expects.
const score = (table: string, scored: boolean) => (scored ? `bm25(${table})` : "0");

/* eslint-disable no-restricted-syntax -- better-sqlite3's own statements (FTS5 module), not drizzle queries */
export const sqliteSearch: SearchEngine = {
  async postIdRange() {
    const { oldest, newest } = statement(POST_ID_RANGE).get() as { oldest: number | null; newest: number | null };
    return oldest === null || newest === null ? null : { oldest, newest };
  },
  async termEnds(term) {
    const recent = statement(TERM_DENSITY_NEWEST).get({ match: term.fts }) as { id: number } | undefined;
    const early = statement(TERM_DENSITY_OLDEST).get({ match: term.fts }) as { id: number } | undefined;
    return { recent: recent?.id, early: early?.id };
  },
  async postWindow({ terms, boardId, tagId, limit, scored, members }: Walk) {
    return statement(postWindow(score("posts_fts", scored))).all({ match: matchOf(terms), boardId, tagId, limit, members: members ? 1 : 0 }) as Awaited<
      ReturnType<SearchEngine["postWindow"]>
    >;
  },
  async titleWindow({ terms, boardId, tagId, limit, scored, members }: Walk) {
    return statement(titleWindow(score("threads_fts", scored))).all({ match: matchOf(terms), boardId, tagId, limit, members: members ? 1 : 0 }) as Awaited<
      ReturnType<SearchEngine["titleWindow"]>
    >;
  },
  async articles(terms, boardId) {
    return statement(ARTICLE_MATCHES).all({ match: matchOf(terms), boardId }) as Awaited<ReturnType<SearchEngine["articles"]>>;
  },
  async threads(list) {
    return statement(THREAD_DETAILS).all(ids(list)) as Awaited<ReturnType<SearchEngine["threads"]>>;
  },
  async posts(list) {
    return statement(POST_DETAILS).all(ids(list)) as Awaited<ReturnType<SearchEngine["posts"]>>;
  },
  async openings(threadIds) {
    return statement(OPENING_POSTS).all(ids(threadIds)) as Awaited<ReturnType<SearchEngine["openings"]>>;
  },
  async snippets(terms, postIds) {
    return fragments("posts_fts", "snippet", terms, postIds);
  },
  async titles(terms, threadIds) {
    return fragments("threads_fts", "highlight", terms, threadIds);
  },
};
/* eslint-enable no-restricted-syntax */
