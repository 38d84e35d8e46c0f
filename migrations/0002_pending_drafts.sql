CREATE TABLE `pending_drafts` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`key` text NOT NULL,
	`title` text,
	`body` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `pending_drafts_created_idx` ON `pending_drafts` (`created_at`);