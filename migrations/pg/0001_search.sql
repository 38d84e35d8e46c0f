-- Full-text search on PostgreSQL (docs/decisions/023), the twin of migrations/0001_search.sql and
-- 0008_search_visible_only.sql. Written by hand: drizzle-kit cannot declare text search objects.
-- The `search_vector` columns are not declared in db/schema.pg.ts (as db/schema.sqlite.ts does not
-- declare the FTS5 tables): the models never read them; app/models/search-pg.server.ts names them
-- in its own SQL, and the database fills them.
--
-- unaccent (trusted since PostgreSQL 13: the database owner may create it) folds diacritics as
-- FTS5's remove_diacritics does; the english snowball stemmer plays FTS5's porter, and is given
-- no stop-word list, so "the" and "not" stay searchable as they are on SQLite.
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
CREATE TEXT SEARCH DICTIONARY unclench_stem (TEMPLATE = snowball, Language = english);
--> statement-breakpoint
CREATE TEXT SEARCH CONFIGURATION unclench (COPY = pg_catalog.simple);
--> statement-breakpoint
ALTER TEXT SEARCH CONFIGURATION unclench
	ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart
	WITH unaccent, unclench_stem;
--> statement-breakpoint
-- The words of a text as the search index holds them. Every punctuation mark becomes a space
-- before parsing, so words split where FTS5's unicode61 splits them: "baclofen/tizanidine",
-- "example.org" and "snake_case" are two words each, not one path, host or compound token that a
-- search for either word would miss.
CREATE FUNCTION search_words(body text) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN to_tsvector('unclench'::regconfig, regexp_replace(body, '[[:punct:]]+', ' ', 'g'));
--> statement-breakpoint
-- Hidden rows get no vector at all, so the index holds only what a visitor may read
-- (docs/decisions/009): a deleted or removed post, every post of a removed thread, a removed
-- thread's title and an unpublished article hold no searchable words. Titles and articles depend
-- on their own row only (generated columns); a post also on its thread, hence the triggers.
ALTER TABLE "posts" ADD COLUMN "search_vector" tsvector;
--> statement-breakpoint
CREATE FUNCTION posts_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_vector := CASE WHEN NEW.deleted_at IS NULL AND NEW.removed_at IS NULL
		AND EXISTS (SELECT 1 FROM threads WHERE id = NEW.thread_id AND removed_at IS NULL)
		THEN search_words(NEW.body_markdown) END;
	RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER posts_search_vector BEFORE INSERT OR UPDATE OF body_markdown, deleted_at, removed_at, thread_id ON posts
	FOR EACH ROW EXECUTE FUNCTION posts_search_vector();
--> statement-breakpoint
-- Removing a thread takes its posts' words out; restoring puts the visible ones back. Counter
-- updates on every reply do not change removed_at, so they never fire this.
CREATE FUNCTION threads_posts_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE posts SET search_vector = CASE WHEN NEW.removed_at IS NULL THEN search_words(body_markdown) END
	WHERE thread_id = NEW.id AND deleted_at IS NULL AND removed_at IS NULL;
	RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER threads_posts_search_vector AFTER UPDATE OF removed_at ON threads
	FOR EACH ROW WHEN ((OLD.removed_at IS NULL) <> (NEW.removed_at IS NULL)) EXECUTE FUNCTION threads_posts_search_vector();
--> statement-breakpoint
UPDATE posts p SET search_vector = search_words(p.body_markdown)
FROM threads t WHERE t.id = p.thread_id AND p.deleted_at IS NULL AND p.removed_at IS NULL AND t.removed_at IS NULL;
--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
	CASE WHEN "removed_at" IS NULL THEN search_words("title") END
) STORED;
--> statement-breakpoint
-- Weights A, B, C: title, summary, body, ranked 3 : 2 : 1 as on SQLite.
ALTER TABLE "articles" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
	CASE WHEN "status" = 'published' THEN
		setweight(search_words("title"), 'A') || setweight(search_words("summary"), 'B') || setweight(search_words("body_markdown"), 'C')
	END
) STORED;
--> statement-breakpoint
CREATE INDEX "posts_search_idx" ON "posts" USING gin ("search_vector") WHERE "search_vector" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "threads_search_idx" ON "threads" USING gin ("search_vector") WHERE "search_vector" IS NOT NULL;
--> statement-breakpoint
CREATE INDEX "articles_search_idx" ON "articles" USING gin ("search_vector") WHERE "search_vector" IS NOT NULL;
--> statement-breakpoint
-- Statistics for the new columns now, not at the next autovacuum: until then the planner would
-- take every word for a rare one and sort all of a common word's matches.
ANALYZE "posts", "threads", "articles";
