ALTER TABLE "drafts" ADD COLUMN "recipients" text;--> statement-breakpoint
ALTER TABLE "pending_drafts" ADD COLUMN "recipients" text;