CREATE TABLE `conversation_access_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`moderator_id` integer NOT NULL,
	`report_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`moderator_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`report_id`) REFERENCES `message_reports`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `conversation_access_log_conversation_idx` ON `conversation_access_log` (`conversation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversation_access_log_moderator_idx` ON `conversation_access_log` (`moderator_id`,`conversation_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `conversation_access_log_created_idx` ON `conversation_access_log` (`created_at`);--> statement-breakpoint
CREATE TABLE `conversation_members` (
	`conversation_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`added_by_id` integer,
	`joined_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_message_id` integer DEFAULT 0 NOT NULL,
	`last_message_at` integer NOT NULL,
	`last_read_message_id` integer DEFAULT 0 NOT NULL,
	`left_at` integer,
	PRIMARY KEY(`conversation_id`, `user_id`),
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`added_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `conversation_members_inbox_idx` ON `conversation_members` (`user_id`,`last_message_at`,`conversation_id`) WHERE "conversation_members"."left_at" is null;--> statement-breakpoint
CREATE INDEX `conversation_members_unread_idx` ON `conversation_members` (`user_id`) WHERE "conversation_members"."left_at" is null and "conversation_members"."last_message_id" > "conversation_members"."last_read_message_id";--> statement-breakpoint
CREATE TABLE `conversations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`subject` text NOT NULL,
	`started_by_id` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`last_message_at` integer NOT NULL,
	`message_count` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`started_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `message_reports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` integer NOT NULL,
	`conversation_id` integer NOT NULL,
	`reporter_id` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`resolved_by_id` integer,
	`resolved_at` integer,
	`resolution` text,
	FOREIGN KEY (`message_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reporter_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`resolved_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `message_reports_open_idx` ON `message_reports` (`message_id`) WHERE "message_reports"."status" = 'open';--> statement-breakpoint
CREATE INDEX `message_reports_conversation_idx` ON `message_reports` (`conversation_id`,`id`);--> statement-breakpoint
CREATE UNIQUE INDEX `message_reports_one_open_per_member_idx` ON `message_reports` (`message_id`,`reporter_id`) WHERE "message_reports"."status" = 'open';--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`conversation_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`body_markdown` text NOT NULL,
	`body_html` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`removed_at` integer,
	`removed_by_id` integer,
	`removal_reason` text,
	`deleted_at` integer,
	FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`removed_by_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `messages_conversation_idx` ON `messages` (`conversation_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_author_idx` ON `messages` (`author_id`,`created_at`);--> statement-breakpoint
ALTER TABLE `notifications` ADD `conversation_id` integer REFERENCES conversations(id);--> statement-breakpoint
CREATE UNIQUE INDEX `notifications_one_unread_conversation_idx` ON `notifications` (`user_id`,`conversation_id`) WHERE "notifications"."kind" = 'message' and "notifications"."read_at" is null;