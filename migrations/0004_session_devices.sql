-- Written from drizzle-kit's output by hand: SQLite cannot ADD a NOT NULL column without a
-- constant default, and each existing session needs its own random public id, so the table is
-- rebuilt (as drizzle-kit does for changes ALTER TABLE can't make). Existing sessions stay
-- signed in; their browser and sign-in time were never recorded, so those stay NULL
-- ("Unknown browser"), and last_seen_at fills in on their next request.
CREATE TABLE `__new_sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`public_id` text NOT NULL,
	`user_agent` text,
	`created_at` integer,
	`last_seen_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `__new_sessions` (`id`, `user_id`, `expires_at`, `public_id`) SELECT `id`, `user_id`, `expires_at`, lower(hex(randomblob(16))) FROM `sessions`;--> statement-breakpoint
DROP TABLE `sessions`;--> statement-breakpoint
ALTER TABLE `__new_sessions` RENAME TO `sessions`;--> statement-breakpoint
CREATE INDEX `sessions_user_idx` ON `sessions` (`user_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `sessions_public_id_unique` ON `sessions` (`public_id`);
