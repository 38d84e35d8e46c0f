DROP INDEX "threads_board_listed_idx";--> statement-breakpoint
DROP INDEX "threads_kept_to_members_idx";--> statement-breakpoint
ALTER TABLE "boards" ADD COLUMN "review_first_posts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "held_at" timestamp (3) with time zone;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "return_reason" text;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "held_at" timestamp (3) with time zone;--> statement-breakpoint
CREATE INDEX "posts_held_idx" ON "posts" USING btree ("held_at") WHERE "posts"."held_at" is not null;--> statement-breakpoint
CREATE INDEX "threads_board_listed_idx" ON "threads" USING btree ("board_id","last_post_at") WHERE "threads"."removed_at" is null and "threads"."pin_position" is null and "threads"."held_at" is null;--> statement-breakpoint
CREATE INDEX "threads_kept_to_members_idx" ON "threads" USING btree ("board_id") WHERE "threads"."members_only" and "threads"."removed_at" is null and "threads"."pin_position" is null and "threads"."held_at" is null;