// Search on PostgreSQL (docs/decisions/023): the stored `search_vector` columns and GIN indexes of
// migrations/pg/0001_search.sql, in the text search configuration `unclench` made there. Hidden
// rows have no vector (docs/decisions/009); the queries filter again anyway.
import { sql, type SQL } from "drizzle-orm";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { db } from "../../db/client.ts";
import { ARTICLES_SHOWN, HIT_END, HIT_START, SNIPPET_TOKENS, termWords, type SearchEngine, type Term, type Walk } from "./search-engine.server.ts";

// The models are typed against SQLite's drizzle; at runtime `db` is node-postgres's, whose
// execute() returns the driver's result ({ rows }).
const pg = db as unknown as NodePgDatabase;
async function rows<T>(query: SQL): Promise<T[]> {
  return (await pg.execute(query)).rows as T[];
}

/**
 * The tsquery for the terms, every word a bound parameter: a phrase per term (one word is a
 * phrase of one), the last word of a prefix term as `'word':*`, the terms ANDed. Words hold only
 * letters and digits (parseQuery), so the quotes around a prefix cannot be escaped from.
 */
function tsquery(terms: Term[]): SQL {
  const parts = terms.map((term) => {
    const words = termWords(term);
    if (!term.prefix) return sql`phraseto_tsquery('unclench', ${words.join(" ")})`;
    const prefix = sql`to_tsquery('unclench', ${`'${words.at(-1)}':*`})`;
    return words.length > 1 ? sql`(phraseto_tsquery('unclench', ${words.slice(0, -1).join(" ")}) <-> ${prefix})` : prefix;
  });
  return sql`(${sql.join(parts, sql` && `)})`;
}

// ts_rank_cd grows with each occurrence (and with the words standing close), and normalisation 1
// divides by 1 + log(length): a focused post beats a long one that mentions the words in passing,
// as with bm25. (ts_rank barely counts repeats.) Negated: lower is better, as bm25's scores.
const rank = (vector: SQL, query: SQL) => sql`-ts_rank_cd(${vector}, ${query}, 1)`;

/**
 * Why the walks look the way they do (measured in docs/decisions/023):
 * - The tsquery is written out, not joined from a CTE, so the planner folds it to a constant and
 *   estimates how common the words are from the column's statistics.
 * - For a common word the fastest plan walks the primary key backwards, testing each row's stored
 *   vector (about a microsecond each), until enough rows match; for a rare one it takes every match
 *   from the GIN index and sorts them. But a word missing from the statistics is guessed to be in
 *   0.5% of rows: on a big forum that is more than the window, so the planner would walk the
 *   whole table for a word that is nowhere. So the walk is planned for a little more than that
 *   many matches (a MATERIALIZED CTE is planned on its own, for all its rows) and read lazily,
 *   in the CTE's order, only as far as the window: a word the statistics know to be common is
 *   still walked, and stops at the window; any other takes the GIN path.
 * - Scores are computed outside the CTE, for the rows kept only.
 */
const UNKNOWN_WORD_SHARE = 0.006;
const tableRows = new Map<"posts" | "threads", { rows: number; at: number }>();

/** How many matches a walk over the table is planned for: above the planner's guess for an unknown word. */
async function planRows(table: "posts" | "threads", limit: number) {
  let known = tableRows.get(table);
  // reltuples is the planner's own row count (-1 before the first ANALYZE); ten minutes old is fine.
  if (!known || Date.now() - known.at > 600_000) {
    const [row] = await rows<{ n: number }>(sql`select greatest(reltuples, 0)::float8 as n from pg_class where oid = ${table}::regclass`);
    known = { rows: row?.n ?? 0, at: Date.now() };
    tableRows.set(table, known);
  }
  return Math.max(limit, Math.ceil(known.rows * UNKNOWN_WORD_SHARE));
}

// A visitor's walk skips members-only threads (visibility.server.ts, membersOnlySql).
const membersSeeAll = (members: boolean) =>
  sql`(${members}::boolean or (not t.members_only and t.board_id not in (select id from boards where access = 'members')))`;

async function postWindow({ terms, boardId, tagId, limit, scored, members }: Walk) {
  const q = tsquery(terms);
  return rows<{ postId: number; threadId: number; score: number }>(sql`
    with walk as materialized (
      select p.id, p.thread_id, p.search_vector
      from posts p join threads t on t.id = p.thread_id
      where p.search_vector @@ ${q}
        and p.deleted_at is null and p.removed_at is null and p.held_at is null and t.removed_at is null
        and (${boardId}::integer is null or t.board_id = ${boardId}::integer)
        and ${membersSeeAll(members)}
        and (${tagId}::integer is null or exists (select 1 from thread_tags tt where tt.thread_id = t.id and tt.tag_id = ${tagId}::integer))
      order by p.id desc
      limit ${await planRows("posts", limit)}
    )
    select id as "postId", thread_id as "threadId", ${scored ? rank(sql`search_vector`, q) : sql`0`}::float8 as score
    from walk limit ${limit}`);
}

async function titleWindow({ terms, boardId, tagId, limit, scored, members }: Walk) {
  const q = tsquery(terms);
  return rows<{ threadId: number; score: number }>(sql`
    with walk as materialized (
      select t.id, t.search_vector
      from threads t
      where t.search_vector @@ ${q}
        and t.removed_at is null and t.held_at is null
        and (${boardId}::integer is null or t.board_id = ${boardId}::integer)
        and ${membersSeeAll(members)}
        and (${tagId}::integer is null or exists (select 1 from thread_tags tt where tt.thread_id = t.id and tt.tag_id = ${tagId}::integer))
      order by t.id desc
      limit ${await planRows("threads", limit)}
    )
    select id as "threadId", ${scored ? rank(sql`search_vector`, q) : sql`0`}::float8 as score
    from walk limit ${limit}`);
}

/** The id of the 100th post holding the words, counted from the newest or the oldest end. */
async function hundredth(q: SQL, direction: "asc" | "desc") {
  const order = sql.raw(direction);
  const [row] = await rows<{ id: number }>(sql`
    with walk as materialized (select id from posts where search_vector @@ ${q} order by id ${order} limit ${await planRows("posts", 100)})
    select id from walk offset 99 limit 1`);
  return row?.id;
}

// ts_headline parses the original text (punctuation kept, for reading), and its parser would take
// "a/b", "x.org" or "<b>" as one path, host or tag token: not the words the vector holds, and a tag
// is dropped from the output. A \x01 after every punctuation mark breaks those tokens up; it is
// taken out again in TS (dropMarks). HighlightAll: the whole text, marked; the page cuts it.
const HEADLINE = `HighlightAll=true, StartSel="${HIT_START}", StopSel="${HIT_END}"`;
const headline = (text: SQL, query: SQL) => sql`ts_headline('unclench', regexp_replace(${text}, '[[:punct:]]', '\\&' || chr(1), 'g'), ${query}, ${HEADLINE})`;
const dropMarks = (text: string) => text.replaceAll("\u0001", "");

// Articles are few: rank them all. Weights D, C, B, A = (unused), body, summary, title: 1 : 2 : 3.
async function articles(terms: Term[], boardId: number | null) {
  const q = tsquery(terms);
  const found = await rows<{ id: number; slug: string; author: string; date: Date; title: string; snippet: string }>(sql`
    select a.id, a.slug, a.author, coalesce(a.published_at, a.updated_at) as date,
           ${headline(sql`a.title`, q)} as title, ${headline(sql`a.summary`, q)} as snippet
    from articles a
    where a.search_vector @@ ${q} and a.status = 'published'
      and (${boardId}::integer is null
           or exists (select 1 from article_boards ab where ab.article_id = a.id and ab.board_id = ${boardId}::integer))
    order by ts_rank_cd('{0.1, 0.33, 0.67, 1.0}', a.search_vector, ${q}) desc, a.id desc
    limit ${ARTICLES_SHOWN}`);
  return found.map((row) => ({ ...row, title: dropMarks(row.title), snippet: dropMarks(row.snippet) }));
}

/** Marked text per id, for the rows asked for only. */
async function marked(query: SQL, ids: number[]) {
  const out = new Map<number, string>();
  if (!ids.length) return out;
  for (const row of await rows<{ id: number; text: string }>(query)) out.set(row.id, dropMarks(row.text));
  return out;
}

// Letters and digits with their marks, the words a snippet counts (as FTS5's snippet() counts tokens).
const WORD = /\u0002?[\p{L}\p{N}\p{Co}]+\u0003?/gu;

/**
 * SNIPPET_TOKENS words of a marked text around its densest run of hits, with "…" where it was cut:
 * the window starting a few words before each hit is tried, and the one holding most hits wins
 * (the earliest of equals). One pass to find the words, one over them with a running count.
 */
export function cutSnippet(text: string): string {
  const words = [...text.matchAll(WORD)].map((m) => ({ start: m.index, end: m.index + m[0].length, hit: m[0].startsWith(HIT_START) }));
  if (words.length <= SNIPPET_TOKENS) return text;
  const before = [0];
  for (const word of words) before.push(before[before.length - 1]! + (word.hit ? 1 : 0));
  const last = words.length - SNIPPET_TOKENS;
  let best = { from: 0, hits: before[SNIPPET_TOKENS]! };
  words.forEach((word, i) => {
    if (!word.hit) return;
    const from = Math.max(0, Math.min(i - 3, last));
    const hits = before[from + SNIPPET_TOKENS]! - before[from]!;
    if (hits > best.hits) best = { from, hits };
  });
  const to = best.from + SNIPPET_TOKENS - 1;
  const start = best.from === 0 ? 0 : words[best.from]!.start;
  const end = to === words.length - 1 ? text.length : words[to]!.end;
  return `${best.from === 0 ? "" : "…"}${text.slice(start, end)}${end === text.length ? "" : "…"}`;
}

export const pgSearch: SearchEngine = {
  async postIdRange() {
    const [range] = await rows<{ oldest: number | null; newest: number | null }>(
      sql`select (select min(id) from posts) as oldest, (select max(id) from posts) as newest`,
    );
    return range?.oldest == null || range.newest == null ? null : { oldest: range.oldest, newest: range.newest };
  },
  async termEnds(term) {
    const q = tsquery([term]);
    const [recent, early] = await Promise.all([hundredth(q, "desc"), hundredth(q, "asc")]);
    return { recent, early };
  },
  postWindow,
  titleWindow,
  articles,
  async threads(ids) {
    return rows(sql`
      select t.id, t.title, t.created_at as "createdAt", b.name as "boardName", b.slug as "boardSlug", u.username as author
      from threads t join boards b on b.id = t.board_id join users u on u.id = t.author_id
      where t.id in ${ids}`);
  },
  async posts(ids) {
    return rows(sql`
      select p.id, p.number, p.created_at as "createdAt", u.username as author, p.warning_kind as "warningKind", p.warning_text as "warningText"
      from posts p join users u on u.id = p.author_id
      where p.id in ${ids}`);
  },
  async openings(threadIds) {
    return rows(sql`
      select thread_id as id, substr(body_markdown, 1, 400) as excerpt, warning_kind as "warningKind", warning_text as "warningText"
      from posts
      where thread_id in ${threadIds} and number = 1 and deleted_at is null and removed_at is null and held_at is null`);
  },
  async snippets(terms, postIds) {
    const text = await marked(
      sql`select id, ${headline(sql`body_markdown`, tsquery(terms))} as text
          from posts where id in ${postIds} and search_vector is not null`,
      postIds,
    );
    for (const [id, full] of text) text.set(id, cutSnippet(full));
    return text;
  },
  async titles(terms, threadIds) {
    return marked(
      sql`select id, ${headline(sql`title`, tsquery(terms))} as text from threads where id in ${threadIds} and search_vector is not null`,
      threadIds,
    );
  },
};
