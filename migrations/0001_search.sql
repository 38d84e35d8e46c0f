-- Full-text search (SQLite FTS5). Written by hand: drizzle-kit cannot declare virtual tables.
-- External-content tables: the text lives once, in posts/threads/articles; the FTS tables hold
-- only the index, keyed by the source row's id. Triggers keep them in step with every write,
-- so no model has to remember to. Visibility (removed, deleted, unpublished) is NOT decided
-- here: the index holds every row and app/models/search.server.ts filters at query time, so
-- removing or restoring content never has to touch the index.
-- porter: "cramps", "cramping" and "cramp" match each other. prefix='3': `cra*` style prefix
-- queries read a ready-made index instead of merging every token's doclist.
CREATE VIRTUAL TABLE `posts_fts` USING fts5(
	`body_markdown`,
	content='posts', content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2', prefix='3'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `threads_fts` USING fts5(
	`title`,
	content='threads', content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2', prefix='3'
);
--> statement-breakpoint
CREATE VIRTUAL TABLE `articles_fts` USING fts5(
	`title`, `summary`, `body_markdown`,
	content='articles', content_rowid='id',
	tokenize='porter unicode61 remove_diacritics 2', prefix='3'
);
--> statement-breakpoint
-- Index whatever already exists.
INSERT INTO `posts_fts`(`posts_fts`) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO `threads_fts`(`threads_fts`) VALUES ('rebuild');
--> statement-breakpoint
INSERT INTO `articles_fts`(`articles_fts`) VALUES ('rebuild');
--> statement-breakpoint
-- An external-content 'delete' must be given the old text exactly, hence old.* below.
CREATE TRIGGER `posts_fts_insert` AFTER INSERT ON `posts` BEGIN
	INSERT INTO `posts_fts`(rowid, `body_markdown`) VALUES (new.`id`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_update` AFTER UPDATE OF `body_markdown` ON `posts` BEGIN
	INSERT INTO `posts_fts`(`posts_fts`, rowid, `body_markdown`) VALUES ('delete', old.`id`, old.`body_markdown`);
	INSERT INTO `posts_fts`(rowid, `body_markdown`) VALUES (new.`id`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `posts_fts_delete` AFTER DELETE ON `posts` BEGIN
	INSERT INTO `posts_fts`(`posts_fts`, rowid, `body_markdown`) VALUES ('delete', old.`id`, old.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `threads_fts_insert` AFTER INSERT ON `threads` BEGIN
	INSERT INTO `threads_fts`(rowid, `title`) VALUES (new.`id`, new.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `threads_fts_update` AFTER UPDATE OF `title` ON `threads` BEGIN
	INSERT INTO `threads_fts`(`threads_fts`, rowid, `title`) VALUES ('delete', old.`id`, old.`title`);
	INSERT INTO `threads_fts`(rowid, `title`) VALUES (new.`id`, new.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `threads_fts_delete` AFTER DELETE ON `threads` BEGIN
	INSERT INTO `threads_fts`(`threads_fts`, rowid, `title`) VALUES ('delete', old.`id`, old.`title`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_insert` AFTER INSERT ON `articles` BEGIN
	INSERT INTO `articles_fts`(rowid, `title`, `summary`, `body_markdown`) VALUES (new.`id`, new.`title`, new.`summary`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_update` AFTER UPDATE OF `title`, `summary`, `body_markdown` ON `articles` BEGIN
	INSERT INTO `articles_fts`(`articles_fts`, rowid, `title`, `summary`, `body_markdown`) VALUES ('delete', old.`id`, old.`title`, old.`summary`, old.`body_markdown`);
	INSERT INTO `articles_fts`(rowid, `title`, `summary`, `body_markdown`) VALUES (new.`id`, new.`title`, new.`summary`, new.`body_markdown`);
END;
--> statement-breakpoint
CREATE TRIGGER `articles_fts_delete` AFTER DELETE ON `articles` BEGIN
	INSERT INTO `articles_fts`(`articles_fts`, rowid, `title`, `summary`, `body_markdown`) VALUES ('delete', old.`id`, old.`title`, old.`summary`, old.`body_markdown`);
END;
