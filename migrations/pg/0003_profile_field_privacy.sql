-- One switch (profile_hidden: the whole profile for logged-in members only) becomes a choice per
-- field. A member who had hidden their profile keeps it from visitors: "members" for all three.
ALTER TABLE "users" ADD COLUMN "bio_visibility" text DEFAULT 'everyone' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "conditions_visibility" text DEFAULT 'everyone' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "joined_visibility" text DEFAULT 'everyone' NOT NULL;--> statement-breakpoint
UPDATE "users" SET "bio_visibility" = 'members', "conditions_visibility" = 'members', "joined_visibility" = 'members' WHERE "profile_hidden";--> statement-breakpoint
ALTER TABLE "users" DROP COLUMN "profile_hidden";
