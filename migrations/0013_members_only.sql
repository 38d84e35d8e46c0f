ALTER TABLE `boards` ADD `access` text DEFAULT 'everyone' NOT NULL;--> statement-breakpoint
ALTER TABLE `threads` ADD `members_only` integer DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX `threads_kept_to_members_idx` ON `threads` (`board_id`) WHERE "threads"."members_only" and "threads"."removed_at" is null and "threads"."pin_position" is null;