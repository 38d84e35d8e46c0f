ALTER TABLE "boards" ADD COLUMN "access" text DEFAULT 'everyone' NOT NULL;--> statement-breakpoint
ALTER TABLE "threads" ADD COLUMN "members_only" boolean DEFAULT false NOT NULL;--> statement-breakpoint
CREATE INDEX "threads_kept_to_members_idx" ON "threads" USING btree ("board_id") WHERE "threads"."members_only" and "threads"."removed_at" is null and "threads"."pin_position" is null;