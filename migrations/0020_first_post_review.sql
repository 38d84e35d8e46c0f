DROP INDEX `threads_board_listed_idx`;--> statement-breakpoint
DROP INDEX `threads_kept_to_members_idx`;--> statement-breakpoint
ALTER TABLE `threads` ADD `held_at` integer;--> statement-breakpoint
CREATE INDEX `threads_board_listed_idx` ON `threads` (`board_id`,`last_post_at`) WHERE "threads"."removed_at" is null and "threads"."pin_position" is null and "threads"."held_at" is null;--> statement-breakpoint
CREATE INDEX `threads_kept_to_members_idx` ON `threads` (`board_id`) WHERE "threads"."members_only" and "threads"."removed_at" is null and "threads"."pin_position" is null and "threads"."held_at" is null;--> statement-breakpoint
ALTER TABLE `boards` ADD `review_first_posts` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `posts` ADD `held_at` integer;--> statement-breakpoint
ALTER TABLE `posts` ADD `return_reason` text;--> statement-breakpoint
CREATE INDEX `posts_held_idx` ON `posts` (`held_at`) WHERE "posts"."held_at" is not null;