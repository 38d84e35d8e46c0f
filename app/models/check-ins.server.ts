/**
 * A moderator checks in with the author of a post flagged "at risk", as the guidelines promise:
 * a private message that reaches the member as a notification (no private conversations yet).
 */
import { and, desc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import { db, transaction } from "../../db/client.ts";
import { moderationLog, posts, reports, users } from "../../db/schema.ts";
import { conflict, forbidden, notFound } from "../utils/http.server.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { notifyModeration } from "./notifications.server.ts";

/** The kind words the queue offers, for the moderator to make their own before sending. */
export const checkInTemplate = (author: string) =>
  `Hi ${author}, I'm one of the moderators here. What you wrote stayed with me, so I wanted to check in: how are you doing right now? ` +
  `You're welcome here, and your post stays up. If you feel unsafe, please call your local emergency number or find a helpline at findahelpline.com. ` +
  `You don't need to answer this.`;

const moderator = alias(users, "moderator");

/** The latest check-in on a post (who and when, never what), for the queue. */
export async function lastCheckIn(actor: Actor, postId: number) {
  if (!isStaff(actor)) forbidden("Only moderators can see check-ins.");
  const [row] = await db
    .select({ moderator: moderator.username, at: moderationLog.createdAt })
    .from(moderationLog)
    .innerJoin(moderator, eq(moderator.id, moderationLog.actorId))
    .where(and(eq(moderationLog.action, "check-in"), eq(moderationLog.targetType, "post"), eq(moderationLog.targetId, postId)))
    .orderBy(desc(moderationLog.id))
    .limit(1);
  return row ?? null;
}

/**
 * Sends `message` (already checked for length, trimmed) to the post's author. Only for a post
 * with an at-risk report. The moderation log records that a check-in happened, not its words.
 */
export async function checkInWithAuthor(actor: Actor, postId: number, message: string) {
  if (!actor || !isStaff(actor)) forbidden("Only moderators can check in with a member.");
  await transaction(async (tx) => {
    const [post] = await tx.select({ authorId: posts.authorId, threadId: posts.threadId }).from(posts).where(eq(posts.id, postId)).limit(1);
    if (!post) notFound("There is no post at this address.");
    const [flag] = await tx
      .select({ id: reports.id })
      .from(reports)
      .where(and(eq(reports.postId, postId), eq(reports.reason, "at-risk")))
      .limit(1);
    if (!flag) conflict("Check-ins are for posts reported as “at risk”.");
    if (post.authorId === actor.id) conflict("This is your own post.");
    await notifyModeration(tx, {
      userId: post.authorId,
      actorId: actor.id,
      threadId: post.threadId,
      postId,
      text: `A moderator checked in with you: ${message}`,
    });
    await logModeratorAction(tx, { actorId: actor.id, action: "check-in", targetType: "post", targetId: postId, subjectUserId: post.authorId });
  });
}
