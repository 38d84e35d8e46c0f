/**
 * What every moderator action shares: the reasons a member is told, the staff-only
 * transaction each action runs in, and closing reports. The actions themselves are in
 * moderation-threads, moderation-posts and moderation-members (.server.ts).
 */
import { and, eq } from "drizzle-orm";
import { transaction, type Tx } from "../../db/client.ts";
import { posts, reports, threads, users } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { canModerateContent, isStaff, type Actor } from "../utils/permissions.ts";

export type Staff = NonNullable<Actor>;

export const removalReasons = {
  spam: "Spam",
  harassment: "Harassment",
  misinformation: "Misinformation or unsafe medical advice",
  "off-topic": "Off-topic",
  "personal-information": "Personal information",
  other: "Other",
} as const;
export type RemovalReason = keyof typeof removalReasons;

/**
 * "Other" is the moderator's own words, as written ("Other: …" read as a form label to the
 * member whose post it was); every other reason is its label.
 */
export function removalReasonText(reason: RemovalReason, detail?: string) {
  return reasonText(removalReasons, reason, detail);
}

// Restoring says why too: the author was told why it went, and deserves to hear why it is back.
export const restoreReasons = {
  mistake: "Removed by mistake",
  edited: "Edited to fit the guidelines",
  other: "Other",
} as const;
export type RestoreReason = keyof typeof restoreReasons;

export function restoreReasonText(reason: RestoreReason, detail?: string) {
  return reasonText(restoreReasons, reason, detail);
}

function reasonText<K extends string>(labels: Record<K | "other", string>, reason: K | "other", detail?: string) {
  return reason === "other" && detail?.trim() ? detail.trim() : labels[reason];
}

export function assertStaff(actor: Actor): asserts actor is Staff {
  if (!isStaff(actor)) forbidden("Only moderators can do that.");
}

/**
 * Every action on a thread, post or member starts so: staff only, then `find` reads the target
 * and refuses what this moderator may not touch (an admin's content, a member they can't
 * restrict), inside the same transaction as the change and its log entry.
 */
export async function moderate<Target, T>(
  actor: Actor,
  find: (tx: Tx, staff: Staff, id: number) => Promise<Target>,
  id: number,
  act: (tx: Tx, target: Target, staff: Staff) => Promise<T>,
): Promise<T> {
  assertStaff(actor);
  return transaction(async (tx) => act(tx, await find(tx, actor, id), actor));
}

/** A post a moderator acts on (remove, restore, warn, approve, return): refused when it is an admin's and the actor is not. */
export async function postForModeration(tx: Tx, actor: Staff, postId: number) {
  const [post] = await tx
    .select({
      id: posts.id,
      threadId: posts.threadId,
      number: posts.number,
      authorId: posts.authorId,
      authorRole: users.role,
      bodyMarkdown: posts.bodyMarkdown,
      deletedAt: posts.deletedAt,
      removedAt: posts.removedAt,
      removedById: posts.removedById,
      heldAt: posts.heldAt,
      returnReason: posts.returnReason,
      boardId: threads.boardId,
      threadAuthorId: threads.authorId,
    })
    .from(posts)
    .innerJoin(users, eq(users.id, posts.authorId))
    .innerJoin(threads, eq(threads.id, posts.threadId))
    .where(eq(posts.id, postId))
    .limit(1);
  if (!post) notFound("There is no post at this address.");
  if (!canModerateContent(actor, { id: post.authorId, role: post.authorRole })) forbidden("Moderators can't act on an admin's content.");
  return post;
}

/** Closes every open report on a post, recording who resolved them and how; returns how many. */
export async function resolveReports(tx: Tx, actor: Staff, postId: number, resolution: "removed" | "dismissed" | "suspended") {
  const closed = await tx
    .update(reports)
    .set({ status: "resolved", resolvedById: actor.id, resolvedAt: new Date(), resolution })
    .where(and(eq(reports.postId, postId), eq(reports.status, "open")))
    .returning({ id: reports.id });
  return closed.length;
}
