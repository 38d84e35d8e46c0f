// Who may do what. Models enforce these; the UI uses the same rules only to hide buttons.
import type { Role } from "../../db/schema.ts";

export type Actor = { id: number; role: Role } | null | undefined;

export function isStaff(actor: Actor) {
  return actor?.role === "moderator" || actor?.role === "admin";
}

export function canEditPost(actor: Actor, post: { authorId: number; deletedAt: Date | string | null }) {
  return !!actor && actor.id === post.authorId && !post.deletedAt;
}

export const canDeletePost = canEditPost;
