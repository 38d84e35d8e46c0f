-- Content warnings (docs/decisions/028): a label on a post (and on its earlier versions, drafts and
-- text kept over a login), and each member's choice per kind of label.
CREATE TABLE `warning_preferences` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`choice` text NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `drafts` ADD `warning_kind` text;--> statement-breakpoint
ALTER TABLE `drafts` ADD `warning_text` text;--> statement-breakpoint
ALTER TABLE `pending_drafts` ADD `warning_kind` text;--> statement-breakpoint
ALTER TABLE `pending_drafts` ADD `warning_text` text;--> statement-breakpoint
ALTER TABLE `post_revisions` ADD `warning_kind` text;--> statement-breakpoint
ALTER TABLE `post_revisions` ADD `warning_text` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `warning_kind` text;--> statement-breakpoint
ALTER TABLE `posts` ADD `warning_text` text;