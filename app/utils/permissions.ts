// Who may do what. Models enforce these; the UI uses the same rules only to hide buttons.
import type { Role } from "../../db/schema.ts";

export type Actor = { id: number; role: Role; silencedUntil?: Date | string | null } | null | undefined;

export function isStaff(actor: Actor) {
  return actor?.role === "moderator" || actor?.role === "admin";
}

export function isAdmin(actor: Actor) {
  return actor?.role === "admin";
}

/** Silenced members read but do not write. */
export function canParticipate(actor: Actor) {
  return !!actor && !actor.silencedUntil;
}

/**
 * Replies: a member who may write, in an open thread; staff may still answer in a locked one (e.g. to
 * explain the lock). Nobody replies to a thread whose opening post waits for a moderator.
 */
export function canReply(actor: Actor, thread: { lockedAt: unknown; heldAt?: unknown }) {
  return canParticipate(actor) && !thread.heldAt && (!thread.lockedAt || isStaff(actor));
}

/** A member may block anyone but themself and the staff, who must be able to reach everyone (decision 032). */
export function canBlock(actor: Actor, subject: { id: number; role: string }) {
  return !!actor && actor.id !== subject.id && subject.role === "member";
}

type OwnPost = { authorId: number; deletedAt: unknown; removedAt?: unknown };

/** Authors edit and delete their own live posts; a removed post is frozen until restored. */
export function canEditPost(actor: Actor, post: OwnPost) {
  return canParticipate(actor) && actor!.id === post.authorId && !post.deletedAt && !post.removedAt;
}

/**
 * Staff act on content and members, but a moderator never acts against an admin, and
 * only an admin may restrict another moderator. Nobody restricts themselves.
 */
export function canModerate(actor: Actor, subject: { id: number; role: Role }) {
  if (!isStaff(actor) || actor!.id === subject.id) return false;
  if (subject.role === "admin") return false;
  if (subject.role === "moderator") return isAdmin(actor);
  return true;
}

/** Content: staff may moderate anyone's except an admin's (for moderators); their own is fine. */
export function canModerateContent(actor: Actor, author: { id: number; role: Role }) {
  if (!isStaff(actor)) return false;
  return !(author.role === "admin" && !isAdmin(actor) && actor!.id !== author.id);
}

/** Admins grant and revoke moderator; nobody changes their own role, and admin is never granted here. */
export function canChangeRole(actor: Actor, subject: { id: number; role: Role }, to: Role) {
  return isAdmin(actor) && actor!.id !== subject.id && subject.role !== "admin" && to !== "admin";
}
