ALTER TABLE `drafts` ADD `recipients` text;--> statement-breakpoint
ALTER TABLE `pending_drafts` ADD `recipients` text;