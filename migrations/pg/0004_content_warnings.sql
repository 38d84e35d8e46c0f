-- Content warnings (docs/decisions/028): a label on a post (and on its earlier versions, drafts and
-- text kept over a login), and each member's choice per kind of label.
CREATE TABLE "warning_preferences" (
	"user_id" integer NOT NULL,
	"kind" text NOT NULL,
	"choice" text NOT NULL,
	CONSTRAINT "warning_preferences_user_id_kind_pk" PRIMARY KEY("user_id","kind")
);
--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "warning_kind" text;--> statement-breakpoint
ALTER TABLE "drafts" ADD COLUMN "warning_text" text;--> statement-breakpoint
ALTER TABLE "pending_drafts" ADD COLUMN "warning_kind" text;--> statement-breakpoint
ALTER TABLE "pending_drafts" ADD COLUMN "warning_text" text;--> statement-breakpoint
ALTER TABLE "post_revisions" ADD COLUMN "warning_kind" text;--> statement-breakpoint
ALTER TABLE "post_revisions" ADD COLUMN "warning_text" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "warning_kind" text;--> statement-breakpoint
ALTER TABLE "posts" ADD COLUMN "warning_text" text;--> statement-breakpoint
ALTER TABLE "warning_preferences" ADD CONSTRAINT "warning_preferences_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;