CREATE TABLE "mail_digests" (
	"user_id" integer NOT NULL,
	"period" text NOT NULL,
	"next_at" timestamp (3) with time zone NOT NULL,
	"since" timestamp (3) with time zone NOT NULL,
	CONSTRAINT "mail_digests_user_id_period_pk" PRIMARY KEY("user_id","period")
);
--> statement-breakpoint
ALTER TABLE "mail_digests" ADD CONSTRAINT "mail_digests_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "mail_digests_next_idx" ON "mail_digests" USING btree ("next_at");