CREATE TABLE `mail_preferences` (
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`delivery` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `kind`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `mail_outbox` ADD `unsubscribe_url` text;--> statement-breakpoint
ALTER TABLE `notifications` ADD `mail_due_at` integer;--> statement-breakpoint
ALTER TABLE `notifications` ADD `mailed_at` integer;--> statement-breakpoint
CREATE INDEX `notifications_mail_due_idx` ON `notifications` (`mail_due_at`) WHERE "notifications"."mail_due_at" is not null;--> statement-breakpoint
ALTER TABLE `users` ADD `quiet_from` integer DEFAULT 22 NOT NULL;--> statement-breakpoint
ALTER TABLE `users` ADD `quiet_until` integer DEFAULT 7 NOT NULL;