import { join } from "node:path";
import Database from "better-sqlite3";
import { eq, sql as query } from "drizzle-orm";
import { drizzle } from "drizzle-orm/better-sqlite3";
import type { NodePgDatabase } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { beforeAll, describe, expect, it } from "vitest";
import { db, sqlite as connections, transaction } from "../db/client.ts";
import { usesPostgres } from "../db/dialect.ts";
import { articles, posts, threads } from "../db/schema.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { setArticleStatus } from "~/models/article-editing.server.ts";
import { removePost, restorePost } from "~/models/moderation-posts.server.ts";
import { removeThread, restoreThread } from "~/models/moderation-threads.server.ts";
import type { SearchOutcome, Segment, ThreadResult } from "~/models/search.server.ts";
import { deletePost, editPost, undeletePost } from "~/models/posts.server.ts";
import * as searchRoute from "~/routes/search.tsx";
import { call, createReply, createThread, member } from "./helpers.ts";
import { migrationsUpTo } from "./migrations.ts";

// Search as a visitor sees it (the route's loader, no session), and the index itself (FTS5's
// tables on SQLite, the search_vector columns on PostgreSQL): removed and deleted words must be
// neither shown nor searchable. Every hidden word starts with "zq", so one check finds any of
// them anywhere in a page of results.

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
let alice: M, bob: M, carol: M, mod: M;

beforeAll(async () => {
  [alice, bob, carol, mod] = [await member("privalice"), await member("privbob"), await member("privcarol"), await member("privmod", "moderator")];
});

const text = (parts: Segment[]) => parts.map((p) => p.text).join("");
const onPostgres = usesPostgres();
// Raw SQL: the FTS5 index and its shadow tables are SQLite's own; reads see every commit.
const sqliteReader = () => connections.reader;
const pgRows = async <T>(statement: ReturnType<typeof query>) => (await (db as unknown as NodePgDatabase).execute(statement)).rows as T[];

async function visitorSearch(q: string) {
  const res = await call(searchRoute.loader, `/search?q=${encodeURIComponent(q)}`);
  expect(res.status).toBe(200);
  const { outcome } = (await res.json()) as { outcome: SearchOutcome };
  if (outcome.status !== "ok") throw new Error(`expected results for ${q}`);
  return outcome;
}

/** A result's title is its own thread's, and its snippet comes from the post it links to. */
async function expectOwnWords(result: ThreadResult) {
  const [thread] = await db.select({ title: threads.title }).from(threads).where(eq(threads.id, result.threadId));
  expect(text(result.title)).toBe(thread!.title);
  const postId = Number(/#post-(\d+)$/.exec(result.href)?.[1]);
  const [post] = await db.select({ threadId: posts.threadId, body: posts.bodyMarkdown }).from(posts).where(eq(posts.id, postId));
  expect(post!.threadId).toBe(result.threadId);
  expect(text(result.snippet)).toBe(post!.body);
}

/**
 * Ids the index returns for a word: FTS5's index alone answers MATCH (external content); on
 * PostgreSQL, the rows whose search_vector holds it.
 */
async function indexed(table: "posts_fts" | "threads_fts" | "articles_fts", word: string) {
  if (!onPostgres) return (sqliteReader().prepare(`SELECT rowid AS id FROM ${table} WHERE ${table} MATCH ?`).all(word) as { id: number }[]).map((r) => r.id);
  const source = query.identifier(table.replace(/_fts$/, ""));
  const found = await pgRows<{ id: number }>(query`select id from ${source} where search_vector @@ plainto_tsquery('unclench', ${word}) order by id`);
  return found.map((r) => r.id);
}

/** The hidden words of the forum built for `word`: unique to it, so tests don't see each other's. */
const hiddenWords = (word: string) => ({
  title: `zqtitle${word}`,
  opening: `zqopening${word}`,
  threadReply: `zqthreadreply${word}`,
  removed: `zqremoved${word}`,
  deleted: `zqdeleted${word}`,
});

/**
 * Two threads that match `word`, written after a thread a moderator removes, and each with a
 * hidden reply (removed by a moderator, deleted by its author). Hidden posts come first: the
 * oldest match was what a snippet lookup that lost its rowid returned.
 */
async function forumWithHiddenPosts(word: string) {
  const hidden = hiddenWords(word);
  const gone = await createThread(as(carol), "ms-spasticity", { title: `${word} ${hidden.title}`, body: `${word} ${hidden.opening}` });
  const goneReply = await createReply(as(alice), gone.threadId, `${word} ${hidden.threadReply}`);
  const first = await createThread(as(alice), "ms-spasticity", { title: `${word} at night`, body: `${word} helps me sleep` });
  const removed = await createReply(as(bob), first.threadId, `${word} ${hidden.removed}`);
  const second = await createThread(as(bob), "ms-spasticity", { title: "Evening routine", body: `${word} before bed` });
  const deleted = await createReply(as(carol), second.threadId, `${word} ${hidden.deleted}`);
  await removeThread(as(mod), gone.threadId, "Off-topic");
  await removePost(as(mod), removed.postId, "Unkind");
  await deletePost(as(carol), deleted.postId);
  return { hidden, gone, goneReply, first, second, removed, deleted };
}

describe("a visitor's search", () => {
  it("gives each result its own thread's title and its own post's words, never hidden ones", async () => {
    const forum = await forumWithHiddenPosts("baclofenix");
    for (const q of ["baclofenix", "baclofeni*", "baclofenix before"]) {
      const outcome = await visitorSearch(q);
      expect(JSON.stringify(outcome), q).not.toContain("zq");
      for (const result of outcome.threads) await expectOwnWords(result);
    }
    const outcome = await visitorSearch("baclofenix");
    expect(outcome.threads.map((t) => t.threadId).sort()).toEqual([forum.first.threadId, forum.second.threadId].sort());
    for (const hidden of Object.values(forum.hidden)) expect((await visitorSearch(hidden)).total, hidden).toBe(0);
  });

  it("finds the words again once the post or thread is restored, each under its own thread", async () => {
    const forum = await forumWithHiddenPosts("tizanova");
    await restoreThread(as(mod), forum.gone.threadId, "Removed by mistake");
    await restorePost(as(mod), forum.removed.postId, "Removed by mistake");
    await undeletePost(as(carol), forum.deleted.postId);
    const { hidden } = forum;
    for (const [word, threadId] of [
      [hidden.title, forum.gone.threadId],
      [hidden.opening, forum.gone.threadId],
      [hidden.threadReply, forum.gone.threadId],
      [hidden.removed, forum.first.threadId],
      [hidden.deleted, forum.second.threadId],
    ] as const) {
      const outcome = await visitorSearch(word);
      expect(
        outcome.threads.map((t) => t.threadId),
        word,
      ).toEqual([threadId]);
    }
    const all = await visitorSearch("tizanova");
    expect(all.threads).toHaveLength(3);
    for (const result of all.threads) await expectOwnWords(result);
  });
});

describe("the search index", () => {
  it("holds no removed or deleted post, and no removed thread's title or posts, until restored", async () => {
    const forum = await forumWithHiddenPosts("gabavex");
    const { hidden } = forum;
    for (const word of [hidden.opening, hidden.threadReply, hidden.removed, hidden.deleted]) expect(await indexed("posts_fts", word), word).toEqual([]);
    expect(await indexed("threads_fts", hidden.title)).toEqual([]);
    expect((await indexed("posts_fts", "gabavex")).sort()).toEqual([forum.first.postId, forum.second.postId].sort());
    expect(await indexed("threads_fts", "gabavex")).toEqual([forum.first.threadId]);

    await restoreThread(as(mod), forum.gone.threadId, "Removed by mistake");
    expect(await indexed("threads_fts", hidden.title)).toEqual([forum.gone.threadId]);
    expect(await indexed("posts_fts", hidden.threadReply)).toEqual([forum.goneReply.postId]);
    await restorePost(as(mod), forum.removed.postId, "Removed by mistake");
    expect(await indexed("posts_fts", hidden.removed)).toEqual([forum.removed.postId]);
    await undeletePost(as(carol), forum.deleted.postId);
    expect(await indexed("posts_fts", hidden.deleted)).toEqual([forum.deleted.postId]);
  });

  it("holds published articles only", async () => {
    const base = {
      bodyHtml: "<p>x</p>",
      references: [],
      author: "Editorial team",
      reviewer: "Reviewer",
      lastReviewedOn: "2026-01-01",
      nextReviewDueOn: "2027-01-01",
      updatedAt: new Date(),
    };
    const [draft] = await transaction((tx) =>
      tx
        .insert(articles)
        .values({ ...base, slug: "zqarticle", title: "Zqdrafttitle", summary: "Not yet.", bodyMarkdown: "zqdraftbody", status: "draft" })
        .returning({ id: articles.id }),
    );
    const id = draft!.id;
    expect(await indexed("articles_fts", "zqdraftbody")).toEqual([]);
    await setArticleStatus(as(mod), "zqarticle", "published");
    expect(await indexed("articles_fts", "zqdrafttitle")).toEqual([id]);
    await setArticleStatus(as(mod), "zqarticle", "archived");
    expect(await indexed("articles_fts", "zqdraftbody")).toEqual([]);
    // Edited while unpublished: still out of the index, and back with the new words when published.
    await transaction((tx) => tx.update(articles).set({ bodyMarkdown: "zqrewritten" }).where(eq(articles.id, id)));
    expect(await indexed("articles_fts", "zqrewritten")).toEqual([]);
    await setArticleStatus(as(mod), "zqarticle", "published");
    expect(await indexed("articles_fts", "zqrewritten")).toEqual([id]);
    expect(await indexed("articles_fts", "zqdraftbody")).toEqual([]);
  });

  it("after every kind of write, holds exactly the visible rows and their words", async () => {
    const forum = await forumWithHiddenPosts("dantrovex");
    // Changes to hidden rows, and hiding what is already hidden, must leave the index alone.
    await transaction(async (tx) => {
      await tx.update(threads).set({ title: "dantrovex zqrenamedwhileremoved" }).where(eq(threads.id, forum.gone.threadId));
      await tx.update(posts).set({ bodyMarkdown: "zqeditedwhileremoved" }).where(eq(posts.id, forum.removed.postId));
    });
    await removePost(as(mod), forum.deleted.postId, "Unkind");
    await removeThread(as(mod), forum.second.threadId, "Off-topic");
    await editPost(as(alice), forum.first.postId, { body: "dantrovex edited words", title: "dantrovex renamed" });
    await restoreThread(as(mod), forum.second.threadId, "Removed by mistake");
    await restoreThread(as(mod), forum.gone.threadId, "Removed by mistake");
    // Account deletion blanks and deletes in one UPDATE, then removes the threads it emptied.
    const leaver = await member("privleaver");
    const lonely = await createThread(as(leaver), "fibromyalgia", { title: "dantrovex zqleaver", body: "dantrovex zqleaverpost" });
    await createReply(as(leaver), forum.first.threadId, "dantrovex zqleaverreply");
    const done = await deleteAccount(as(leaver), { password: "correct horse battery", keepPosts: false });
    expect(done.ok).toBe(true);
    expect(await indexed("threads_fts", "zqleaver")).toEqual([]);
    expect((await db.select({ removedAt: threads.removedAt }).from(threads).where(eq(threads.id, lonely.threadId)))[0]!.removedAt).not.toBeNull();

    if (onPostgres) await expectVectorsOfVisibleRows();
    else expectIndexOfVisibleRows(sqliteReader());
  });
});

describe("migration 0008", () => {
  // SQLite's FTS5 migration; PostgreSQL's search migration is tested in tests/postgres-search.test.ts.
  it.skipIf(onPostgres)("takes hidden rows that were indexed before it out of the index, and keeps the rest", () => {
    // Migrate a scratch database up to 0007 (which indexed every row), write to it, then apply the rest.
    const { folder, addTheRest } = migrationsUpTo("0007_saved_posts");

    const sqlite = new Database(join(folder, "old.db"));
    try {
      sqlite.pragma("foreign_keys = ON");
      const old = drizzle(sqlite);
      migrate(old, { migrationsFolder: folder });
      sqlite.exec(`
        INSERT INTO users (id, username, email, password_hash, created_at) VALUES (1, 'ada', 'ada@example.org', 'x', 0);
        INSERT INTO boards (id, slug, name, description) VALUES (1, 'b', 'Board', 'd');
        INSERT INTO threads (id, board_id, author_id, title, created_at, last_post_at, removed_at) VALUES
          (1, 1, 1, 'oldword shown', 0, 0, NULL), (2, 1, 1, 'oldword zqgonetitle', 0, 0, 5);
        INSERT INTO posts (id, thread_id, author_id, number, body_markdown, body_html, created_at, deleted_at, removed_at) VALUES
          (1, 1, 1, 1, 'oldword shown post', '', 0, NULL, NULL), (2, 1, 1, 2, 'oldword zqdeleted', '', 0, 5, NULL),
          (3, 1, 1, 3, 'oldword zqremoved', '', 0, NULL, 5), (4, 2, 1, 1, 'oldword zqinremovedthread', '', 0, NULL, NULL);
        INSERT INTO articles (id, slug, title, summary, body_markdown, body_html, "references", author, reviewer, last_reviewed_on, next_review_due_on, updated_at, status)
          VALUES (1, 'a', 'oldword shown', 's', 'b', '', '[]', 'a', 'r', '2026-01-01', '2027-01-01', 0, 'published'),
                 (2, 'z', 'oldword zqdraft', 's', 'b', '', '[]', 'a', 'r', '2026-01-01', '2027-01-01', 0, 'draft');`);
      expect(sqlite.prepare("SELECT count(*) AS n FROM posts_fts WHERE posts_fts MATCH 'oldword'").get()).toEqual({ n: 4 });

      addTheRest();
      migrate(old, { migrationsFolder: folder });
      expect(sqlite.prepare("SELECT rowid AS id FROM posts_fts WHERE posts_fts MATCH 'oldword'").all()).toEqual([{ id: 1 }]);
      expect(sqlite.prepare("SELECT rowid AS id FROM threads_fts WHERE threads_fts MATCH 'oldword'").all()).toEqual([{ id: 1 }]);
      expect(sqlite.prepare("SELECT rowid AS id FROM articles_fts WHERE articles_fts MATCH 'oldword'").all()).toEqual([{ id: 1 }]);
      expectIndexOfVisibleRows(sqlite);
      // The new triggers work on the migrated index: restoring the thread brings its post back.
      sqlite.exec("UPDATE threads SET removed_at = NULL WHERE id = 2");
      expect(sqlite.prepare("SELECT rowid AS id FROM posts_fts WHERE posts_fts MATCH 'zqinremovedthread'").all()).toEqual([{ id: 4 }]);
      expectIndexOfVisibleRows(sqlite);
    } finally {
      sqlite.close();
    }
  });
});

const VISIBLE = [
  {
    table: "posts_fts",
    columns: "body_markdown",
    rows: "SELECT p.id, p.body_markdown FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.deleted_at IS NULL AND p.removed_at IS NULL AND t.removed_at IS NULL",
  },
  { table: "threads_fts", columns: "title", rows: "SELECT id, title FROM threads WHERE removed_at IS NULL" },
  {
    table: "articles_fts",
    columns: "title, summary, body_markdown",
    rows: "SELECT id, title, summary, body_markdown FROM articles WHERE status = 'published'",
  },
];

/**
 * Compares each index with one built afresh from the visible rows: the same rows with the same
 * sizes, the same totals, and the same terms in the same number of rows. A 'delete' given the wrong text, or
 * given a row that was never indexed, leaves terms or counts behind that this shows.
 */
function expectIndexOfVisibleRows(sqlite: Database.Database) {
  for (const { table, columns, rows: visibleRows } of VISIBLE) {
    sqlite.exec(`
      DROP TABLE IF EXISTS temp.expected_fts;
      CREATE VIRTUAL TABLE temp.expected_fts USING fts5(${columns}, tokenize='porter unicode61 remove_diacritics 2', prefix='3');
      INSERT INTO temp.expected_fts(rowid, ${columns}) ${visibleRows};
      DROP TABLE IF EXISTS temp.actual_terms;
      DROP TABLE IF EXISTS temp.expected_terms;
      CREATE VIRTUAL TABLE temp.actual_terms USING fts5vocab(main, ${table}, col);
      CREATE VIRTUAL TABLE temp.expected_terms USING fts5vocab(temp, expected_fts, col);`);
    const rows = (from: string) => sqlite.prepare(`SELECT id, hex(sz) AS sz FROM ${from} ORDER BY id`).all();
    expect(rows(`main.${table}_docsize`), table).toEqual(rows("temp.expected_fts_docsize"));
    // Record 1 holds the row and token totals that bm25 divides by.
    const totals = (from: string) => sqlite.prepare(`SELECT hex(block) AS totals FROM ${from} WHERE id = 1`).get();
    expect(totals(`main.${table}_data`), table).toEqual(totals("temp.expected_fts_data"));
    const terms = (from: string) => sqlite.prepare(`SELECT term, col, doc, cnt FROM ${from} ORDER BY term, col`).all();
    expect(terms("temp.actual_terms"), table).toEqual(terms("temp.expected_terms"));
  }
}

/**
 * PostgreSQL: every visible row, and only those, has a vector, and it holds the row's current
 * words (the triggers and generated columns kept up with every write).
 */
async function expectVectorsOfVisibleRows() {
  const stale = await pgRows<{ kind: string; id: number }>(query`
    select 'post' as kind, p.id from posts p join threads t on t.id = p.thread_id
    where p.search_vector is distinct from (case when p.deleted_at is null and p.removed_at is null and t.removed_at is null then search_words(p.body_markdown) end)
    union all
    select 'thread', id from threads where search_vector is distinct from (case when removed_at is null then search_words(title) end)
    union all
    select 'article', id from articles
    where search_vector is distinct from (case when status = 'published'
      then setweight(search_words(title), 'A') || setweight(search_words(summary), 'B') || setweight(search_words(body_markdown), 'C') end)`);
  expect(stale).toEqual([]);
  // Both kinds of post were there to compare: some with words, some hidden and without.
  const [counts] = await pgRows<{ indexed: number; hidden: number }>(
    query`select count(search_vector)::int as indexed, (count(*) - count(search_vector))::int as hidden from posts`,
  );
  expect(counts!.indexed).toBeGreaterThan(0);
  expect(counts!.hidden).toBeGreaterThan(0);
}
