import type { BoardAccess } from "../../db/schema.sqlite.ts";

/** What a visitor is told instead of a members-only board or thread, which it names nothing of. */
export const FOR_MEMBERS = "This is for members of the forum. Log in or sign up to read it.";

/** What each board access setting means: the admin page's choices and the moderation log's reason. */
export const BOARD_ACCESS_LABELS: Record<BoardAccess, string> = {
  everyone: "Everyone can read it",
  "author-choice": "Everyone can read it, but authors may keep a thread to members",
  members: "Only members can read it",
};

/** A board's first-post review setting in words (docs/decisions/034): the admin page's choices and the log's reason. */
export function reviewLabel(n: number) {
  if (n === 0) return "New members' posts are published at once";
  return n === 1 ? "A new member's first post waits for a moderator" : `A new member's first ${n} posts wait for a moderator`;
}
