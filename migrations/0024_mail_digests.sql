CREATE TABLE `mail_digests` (
	`user_id` integer NOT NULL,
	`period` text NOT NULL,
	`next_at` integer NOT NULL,
	`since` integer NOT NULL,
	PRIMARY KEY(`user_id`, `period`),
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `mail_digests_next_idx` ON `mail_digests` (`next_at`);