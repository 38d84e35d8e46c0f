-- The twin of migrations/0021_search_skips_held_posts.sql: a post waiting for a moderator, and the
-- title of a thread whose opening post waits, get no search vector until approved (docs/decisions/009,
-- 034). The functions and triggers of 0001_search.sql again, with `held_at` added.
CREATE OR REPLACE FUNCTION posts_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.search_vector := CASE WHEN NEW.deleted_at IS NULL AND NEW.removed_at IS NULL AND NEW.held_at IS NULL
		AND EXISTS (SELECT 1 FROM threads WHERE id = NEW.thread_id AND removed_at IS NULL)
		THEN search_words(NEW.body_markdown) END;
	RETURN NEW;
END $$;
--> statement-breakpoint
DROP TRIGGER posts_search_vector ON posts;
--> statement-breakpoint
CREATE TRIGGER posts_search_vector BEFORE INSERT OR UPDATE OF body_markdown, deleted_at, removed_at, held_at, thread_id ON posts
	FOR EACH ROW EXECUTE FUNCTION posts_search_vector();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION threads_posts_search_vector() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE posts SET search_vector = CASE WHEN NEW.removed_at IS NULL THEN search_words(body_markdown) END
	WHERE thread_id = NEW.id AND deleted_at IS NULL AND removed_at IS NULL AND held_at IS NULL;
	RETURN NULL;
END $$;
--> statement-breakpoint
-- A generated column's expression can't be changed before PostgreSQL 17: the column is made again
-- (its index goes with it). No thread is held yet, so every title gets the vector it had.
ALTER TABLE "threads" DROP COLUMN "search_vector";
--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "search_vector" tsvector GENERATED ALWAYS AS (
	CASE WHEN "removed_at" IS NULL AND "held_at" IS NULL THEN search_words("title") END
) STORED;
--> statement-breakpoint
CREATE INDEX "threads_search_idx" ON "threads" USING gin ("search_vector") WHERE "search_vector" IS NOT NULL;
--> statement-breakpoint
ALTER TABLE "threads" ALTER COLUMN "search_vector" SET STATISTICS 1000;
--> statement-breakpoint
ANALYZE "threads";
