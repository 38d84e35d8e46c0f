-- The search index holds only what a visitor may read (docs/decisions/009): a post waiting for a
-- moderator, and the title of a thread whose opening post waits, stay out of it until approved
-- (docs/decisions/034). The triggers of 0008_search_visible_only.sql again, each visibility test
-- with `held_at` added. No row is held yet when this runs, so the index needs no rebuild.
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
CREATE TRIGGER `posts_fts_insert` AFTER INSERT ON `posts`
WHEN new.`deleted_at` IS NULL AND new.`removed_at` IS NULL AND new.`held_at` IS NULL
	AND EXISTS (SELECT 1 FROM `threads` WHERE `id` = new.`thread_id` AND `removed_at` IS NULL)
BEGIN
	INSERT INTO `posts_fts`(rowid, `body_markdown`) VALUES (new.`id`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_update` AFTER UPDATE OF `body_markdown`, `deleted_at`, `removed_at`, `held_at`, `thread_id` ON `posts` BEGIN
	INSERT INTO `posts_fts`(`posts_fts`, rowid, `body_markdown`)
	SELECT 'delete', old.`id`, old.`body_markdown`
	WHERE old.`deleted_at` IS NULL AND old.`removed_at` IS NULL AND old.`held_at` IS NULL
		AND EXISTS (SELECT 1 FROM `threads` WHERE `id` = old.`thread_id` AND `removed_at` IS NULL);
	INSERT INTO `posts_fts`(rowid, `body_markdown`)
	SELECT new.`id`, new.`body_markdown`
	WHERE new.`deleted_at` IS NULL AND new.`removed_at` IS NULL AND new.`held_at` IS NULL
		AND EXISTS (SELECT 1 FROM `threads` WHERE `id` = new.`thread_id` AND `removed_at` IS NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_delete` AFTER DELETE ON `posts`
WHEN old.`deleted_at` IS NULL AND old.`removed_at` IS NULL AND old.`held_at` IS NULL
	AND EXISTS (SELECT 1 FROM `threads` WHERE `id` = old.`thread_id` AND `removed_at` IS NULL)
BEGIN
	INSERT INTO `posts_fts`(`posts_fts`, rowid, `body_markdown`) VALUES ('delete', old.`id`, old.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `threads_fts_insert` AFTER INSERT ON `threads`
WHEN new.`removed_at` IS NULL AND new.`held_at` IS NULL
BEGIN
	INSERT INTO `threads_fts`(rowid, `title`) VALUES (new.`id`, new.`title`);
END;
--> statement-breakpoint
-- A held thread's only post is its held opening post, so holding a thread moves no post in or out:
-- only removing or restoring it does, as before.
CREATE TRIGGER `threads_fts_update` AFTER UPDATE OF `title`, `removed_at`, `held_at` ON `threads` BEGIN
	INSERT INTO `threads_fts`(`threads_fts`, rowid, `title`)
	SELECT 'delete', old.`id`, old.`title` WHERE old.`removed_at` IS NULL AND old.`held_at` IS NULL;
	INSERT INTO `posts_fts`(`posts_fts`, rowid, `body_markdown`)
	SELECT 'delete', `id`, `body_markdown` FROM `posts`
	WHERE old.`removed_at` IS NULL AND new.`removed_at` IS NOT NULL
		AND `thread_id` = old.`id` AND `deleted_at` IS NULL AND `removed_at` IS NULL AND `held_at` IS NULL;
	INSERT INTO `posts_fts`(rowid, `body_markdown`)
	SELECT `id`, `body_markdown` FROM `posts`
	WHERE old.`removed_at` IS NOT NULL AND new.`removed_at` IS NULL
		AND `thread_id` = new.`id` AND `deleted_at` IS NULL AND `removed_at` IS NULL AND `held_at` IS NULL;
	INSERT INTO `threads_fts`(rowid, `title`)
	SELECT new.`id`, new.`title` WHERE new.`removed_at` IS NULL AND new.`held_at` IS NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `threads_fts_delete` AFTER DELETE ON `threads`
WHEN old.`removed_at` IS NULL AND old.`held_at` IS NULL
BEGIN
	INSERT INTO `threads_fts`(`threads_fts`, rowid, `title`) VALUES ('delete', old.`id`, old.`title`);
END;
