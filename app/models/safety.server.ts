/**
 * Checks that run inside createThread / createReply's transaction, before the post is written,
 * plus the at-risk flag written right after it. See docs in each function for how to call them.
 */
import { and, count, desc, eq, gte, isNull } from "drizzle-orm";
import { db, type Executor } from "../../db/client.ts";
import { posts, reports, users } from "../../db/schema.ts";
import { limitPosting, type LimitResult } from "../utils/rate-limit.server.ts";
import { countLinks, detectRisk } from "../utils/safety.server.ts";

export const NEW_MEMBER_MAX_LINKS = 2;
/** A member is "new" for their first day and until they have this many posts. */
export const NEW_MEMBER_HOURS = 24;
export const NEW_MEMBER_POSTS = 3;
export const DUPLICATE_WINDOW_MS = 60_000;

export const AT_RISK_NOTE = "Raised automatically: the post has words about suicide or self-harm. The author was shown crisis resources.";

export type NewPostCheck =
  | { ok: false; errors: { body: string } }
  | {
      ok: true;
      /** The same text by the same member in the last minute: show that post instead of posting again. */
      duplicate: { postId: number; threadId: number; number: number } | null;
      /** Call flagAtRisk(tx, postId) once the post exists, and show the author the crisis panel. */
      atRisk: boolean;
    };

function findMember(userId: number, executor: Executor) {
  return executor.select({ id: users.id, createdAt: users.createdAt }).from(users).where(eq(users.id, userId)).limit(1);
}

export async function isNewMember(userId: number, now = new Date(), executor: Executor = db) {
  const [user] = await findMember(userId, executor);
  if (!user) return true;
  if (now.getTime() - user.createdAt.getTime() < NEW_MEMBER_HOURS * 3_600_000) return true;
  // Only "fewer than 3?" matters: stop counting at 3 (a prolific member has tens of thousands).
  const visible = executor
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.authorId, userId), isNull(posts.deletedAt), isNull(posts.removedAt), isNull(posts.heldAt)))
    .limit(NEW_MEMBER_POSTS)
    .as("visible");
  const [row] = await executor.select({ n: count() }).from(visible);
  return (row?.n ?? 0) < NEW_MEMBER_POSTS;
}

/**
 * Call first thing inside the immediate transaction that writes a new thread or reply:
 *
 *   const check = await checkNewPost(actor, { body }, tx);
 *   if (!check.ok) return { ok: false, errors: check.errors };   // route: 400, text kept
 *   if (check.duplicate) return { ...check.duplicate, duplicate: true }; // route: redirect to it
 *   … insert the post …
 *   if (check.atRisk) await flagAtRisk(tx, post.id);
 */
export async function checkNewPost(actor: { id: number }, input: { body: string; now?: Date }, executor: Executor = db): Promise<NewPostCheck> {
  const now = input.now ?? new Date();
  // A double-click or a resubmitted form lands on the post that already exists.
  const [duplicate] = await executor
    .select({ postId: posts.id, threadId: posts.threadId, number: posts.number })
    .from(posts)
    .where(
      and(
        eq(posts.authorId, actor.id),
        gte(posts.createdAt, new Date(now.getTime() - DUPLICATE_WINDOW_MS)),
        eq(posts.bodyMarkdown, input.body),
        isNull(posts.deletedAt),
      ),
    )
    .orderBy(desc(posts.createdAt))
    .limit(1);
  if (duplicate) return { ok: true, duplicate, atRisk: false };

  if (await isNewMember(actor.id, now, executor)) {
    const links = countLinks(input.body);
    if (links > NEW_MEMBER_MAX_LINKS) {
      return {
        ok: false,
        errors: {
          body: `New members can share up to ${NEW_MEMBER_MAX_LINKS} links in a post (this post has ${links}). It keeps spam out during your first day and first ${NEW_MEMBER_POSTS} posts. Please remove ${links - NEW_MEMBER_MAX_LINKS} and post again.`,
        },
      };
    }
  }
  return { ok: true, duplicate: null, atRisk: detectRisk(input.body) };
}

/** Puts the post at the top of the moderators' queue as "at risk" (a report with no reporter). */
export async function flagAtRisk(tx: Executor, postId: number) {
  const [open] = await tx
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.postId, postId), eq(reports.reason, "at-risk"), isNull(reports.reporterId), eq(reports.status, "open")))
    .limit(1);
  if (open) return;
  await tx.insert(reports).values({ postId, reporterId: null, reason: "at-risk", note: AT_RISK_NOTE });
}

/**
 * Whether the member wrote a post flagged at risk in the last `withinMs`. The thread page shows
 * the crisis panel when the post's redirect asks for it (?support=1) AND this is true, so a shared
 * link never shows someone else the panel meant for its author.
 */
export async function hasRecentRiskFlag(userId: number, withinMs = 30 * 60_000, now = new Date()) {
  const [row] = await db
    .select({ id: reports.id })
    .from(reports)
    .innerJoin(posts, eq(posts.id, reports.postId))
    .where(
      and(eq(posts.authorId, userId), eq(reports.reason, "at-risk"), isNull(reports.reporterId), gte(reports.createdAt, new Date(now.getTime() - withinMs))),
    )
    .limit(1);
  return !!row;
}

/**
 * The posting rate limit (10 per 10 minutes; 3 for accounts under a day old). Call from the
 * action after validation, before the model writes; on { ok: false } return tooManyRequests().
 */
export async function limitNewPost(userId: number): Promise<LimitResult> {
  const [user] = await findMember(userId, db);
  if (!user) return { ok: true };
  return limitPosting(user);
}
