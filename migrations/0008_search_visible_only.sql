-- The search index holds only what a visitor may read (docs/decisions/009). This replaces the
-- rule in 0001_search.sql's header: removed or deleted posts, removed threads (title and every
-- post) and unpublished articles now leave the FTS index, and come back when restored or published.
-- The search model still filters at query time as well.
-- An external-content 'delete' must be given exactly the indexed text, and only for a row that is
-- in the index (anything else corrupts it), so each trigger asks whether the OLD row was visible.
-- A post is visible when it is neither deleted nor removed and its thread is not removed.
DROP TRIGGER IF EXISTS `posts_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `posts_fts_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `posts_fts_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `threads_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `threads_fts_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `threads_fts_delete`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `articles_fts_insert`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `articles_fts_update`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `articles_fts_delete`;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_insert` AFTER INSERT ON `posts`
WHEN new.`deleted_at` IS NULL AND new.`removed_at` IS NULL
	AND EXISTS (SELECT 1 FROM `threads` WHERE `id` = new.`thread_id` AND `removed_at` IS NULL)
BEGIN
	INSERT INTO `posts_fts`(rowid, `body_markdown`) VALUES (new.`id`, new.`body_markdown`);
END;
--> statement-breakpoint
-- One trigger, so the old entry always leaves before the new one arrives. Updating posts never
-- changes threads, so the thread's current state is the one the old row was indexed under.
CREATE TRIGGER `posts_fts_update` AFTER UPDATE OF `body_markdown`, `deleted_at`, `removed_at`, `thread_id` ON `posts` BEGIN
	INSERT INTO `posts_fts`(`posts_fts`, rowid, `body_markdown`)
	SELECT 'delete', old.`id`, old.`body_markdown`
	WHERE old.`deleted_at` IS NULL AND old.`removed_at` IS NULL
		AND EXISTS (SELECT 1 FROM `threads` WHERE `id` = old.`thread_id` AND `removed_at` IS NULL);
	INSERT INTO `posts_fts`(rowid, `body_markdown`)
	SELECT new.`id`, new.`body_markdown`
	WHERE new.`deleted_at` IS NULL AND new.`removed_at` IS NULL
		AND EXISTS (SELECT 1 FROM `threads` WHERE `id` = new.`thread_id` AND `removed_at` IS NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_delete` AFTER DELETE ON `posts`
WHEN old.`deleted_at` IS NULL AND old.`removed_at` IS NULL
	AND EXISTS (SELECT 1 FROM `threads` WHERE `id` = old.`thread_id` AND `removed_at` IS NULL)
BEGIN
	INSERT INTO `posts_fts`(`posts_fts`, rowid, `body_markdown`) VALUES ('delete', old.`id`, old.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `threads_fts_insert` AFTER INSERT ON `threads`
WHEN new.`removed_at` IS NULL
BEGIN
	INSERT INTO `threads_fts`(rowid, `title`) VALUES (new.`id`, new.`title`);
END;
--> statement-breakpoint
-- Removing a thread takes its visible posts out with its title; restoring puts them back.
-- Counter updates on every reply do not name these columns, so they never fire this.
CREATE TRIGGER `threads_fts_update` AFTER UPDATE OF `title`, `removed_at` ON `threads` BEGIN
	INSERT INTO `threads_fts`(`threads_fts`, rowid, `title`)
	SELECT 'delete', old.`id`, old.`title` WHERE old.`removed_at` IS NULL;
	INSERT INTO `posts_fts`(`posts_fts`, rowid, `body_markdown`)
	SELECT 'delete', `id`, `body_markdown` FROM `posts`
	WHERE old.`removed_at` IS NULL AND new.`removed_at` IS NOT NULL
		AND `thread_id` = old.`id` AND `deleted_at` IS NULL AND `removed_at` IS NULL;
	INSERT INTO `posts_fts`(rowid, `body_markdown`)
	SELECT `id`, `body_markdown` FROM `posts`
	WHERE old.`removed_at` IS NOT NULL AND new.`removed_at` IS NULL
		AND `thread_id` = new.`id` AND `deleted_at` IS NULL AND `removed_at` IS NULL;
	INSERT INTO `threads_fts`(rowid, `title`)
	SELECT new.`id`, new.`title` WHERE new.`removed_at` IS NULL;
END;
--> statement-breakpoint
-- Posts cannot outlive their thread (foreign key), so only the title is left to take out.
CREATE TRIGGER `threads_fts_delete` AFTER DELETE ON `threads`
WHEN old.`removed_at` IS NULL
BEGIN
	INSERT INTO `threads_fts`(`threads_fts`, rowid, `title`) VALUES ('delete', old.`id`, old.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_insert` AFTER INSERT ON `articles`
WHEN new.`status` = 'published'
BEGIN
	INSERT INTO `articles_fts`(rowid, `title`, `summary`, `body_markdown`) VALUES (new.`id`, new.`title`, new.`summary`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_update` AFTER UPDATE OF `title`, `summary`, `body_markdown`, `status` ON `articles` BEGIN
	INSERT INTO `articles_fts`(`articles_fts`, rowid, `title`, `summary`, `body_markdown`)
	SELECT 'delete', old.`id`, old.`title`, old.`summary`, old.`body_markdown` WHERE old.`status` = 'published';
	INSERT INTO `articles_fts`(rowid, `title`, `summary`, `body_markdown`)
	SELECT new.`id`, new.`title`, new.`summary`, new.`body_markdown` WHERE new.`status` = 'published';
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_delete` AFTER DELETE ON `articles`
WHEN old.`status` = 'published'
BEGIN
	INSERT INTO `articles_fts`(`articles_fts`, rowid, `title`, `summary`, `body_markdown`) VALUES ('delete', old.`id`, old.`title`, old.`summary`, old.`body_markdown`);
END;
--> statement-breakpoint
-- 'rebuild' would read every row of the content table back in, hidden ones too: empty each
-- index instead and add the visible rows, in rowid order.
INSERT INTO `posts_fts`(`posts_fts`) VALUES ('delete-all');
--> statement-breakpoint
INSERT INTO `posts_fts`(rowid, `body_markdown`)
SELECT p.`id`, p.`body_markdown` FROM `posts` p JOIN `threads` t ON t.`id` = p.`thread_id`
WHERE p.`deleted_at` IS NULL AND p.`removed_at` IS NULL AND t.`removed_at` IS NULL
ORDER BY p.`id`;
--> statement-breakpoint
INSERT INTO `threads_fts`(`threads_fts`) VALUES ('delete-all');
--> statement-breakpoint
INSERT INTO `threads_fts`(rowid, `title`) SELECT `id`, `title` FROM `threads` WHERE `removed_at` IS NULL ORDER BY `id`;
--> statement-breakpoint
INSERT INTO `articles_fts`(`articles_fts`) VALUES ('delete-all');
--> statement-breakpoint
INSERT INTO `articles_fts`(rowid, `title`, `summary`, `body_markdown`)
SELECT `id`, `title`, `summary`, `body_markdown` FROM `articles` WHERE `status` = 'published' ORDER BY `id`;
