CREATE TABLE `appeal_tokens` (
	`token_hash` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `appeal_tokens_user_idx` ON `appeal_tokens` (`user_id`);--> statement-breakpoint
CREATE INDEX `appeal_tokens_expires_idx` ON `appeal_tokens` (`expires_at`);--> statement-breakpoint
CREATE TABLE `appeals` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`suspended_at` integer NOT NULL,
	`body` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`decided_by_id` integer,
	`decided_at` integer,
	`reply` text,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decided_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `appeals_open_idx` ON `appeals` (`created_at`) WHERE "appeals"."status" = 'open';--> statement-breakpoint
CREATE INDEX `appeals_user_idx` ON `appeals` (`user_id`,`suspended_at`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `appeals_one_open_per_suspension_idx` ON `appeals` (`user_id`,`suspended_at`) WHERE "appeals"."status" = 'open';