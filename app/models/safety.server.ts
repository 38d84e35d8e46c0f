/**
 * Checks that run inside createThread / createReply's transaction, before the post is written,
 * plus the at-risk flag written right after it. See docs in each function for how to call them.
 */
import { and, count, desc, eq, gte, isNull, sql } from "drizzle-orm";
import { db, prepared, type Executor } from "../../db/client.ts";
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

// Every new post runs these inside its write turn, so they are built once (db/client.ts).
const postingQueries = prepared((executor) => {
  const userId = sql.placeholder("userId");
  // Only "fewer than 3?" matters: stop counting at 3 (a prolific member has tens of thousands).
  const visible = executor
    .select({ id: posts.id })
    .from(posts)
    .where(and(eq(posts.authorId, userId), isNull(posts.deletedAt), isNull(posts.removedAt)))
    .limit(NEW_MEMBER_POSTS)
    .as("visible");
  return {
    member: executor.select({ id: users.id, createdAt: users.createdAt }).from(users).where(eq(users.id, userId)).prepare(),
    visiblePosts: executor.select({ n: count() }).from(visible).prepare(),
    // A placeholder in a WHERE clause skips the column's encoder: `sinceMs` is in milliseconds.
    duplicate: executor
      .select({ postId: posts.id, threadId: posts.threadId, number: posts.number })
      .from(posts)
      .where(
        and(
          eq(posts.authorId, userId),
          gte(posts.createdAt, sql`${sql.placeholder("sinceMs")}`),
          eq(posts.bodyMarkdown, sql.placeholder("body")),
          isNull(posts.deletedAt),
        ),
      )
      .orderBy(desc(posts.createdAt))
      .prepare(),
  };
});

export function isNewMember(userId: number, now = new Date(), executor: Executor = db) {
  const user = postingQueries(executor).member.get({ userId });
  if (!user) return true;
  if (now.getTime() - user.createdAt.getTime() < NEW_MEMBER_HOURS * 3_600_000) return true;
  return (postingQueries(executor).visiblePosts.get({ userId })?.n ?? 0) < NEW_MEMBER_POSTS;
}

/**
 * Call first thing inside the immediate transaction that writes a new thread or reply:
 *
 *   const check = checkNewPost(actor, { body }, tx);
 *   if (!check.ok) return { ok: false, errors: check.errors };   // route: 400, text kept
 *   if (check.duplicate) return { ...check.duplicate, duplicate: true }; // route: redirect to it
 *   … insert the post …
 *   if (check.atRisk) flagAtRisk(tx, post.id);
 */
export function checkNewPost(actor: { id: number }, input: { body: string; now?: Date }, executor: Executor = db): NewPostCheck {
  const now = input.now ?? new Date();
  // A double-click or a resubmitted form lands on the post that already exists.
  const duplicate = postingQueries(executor).duplicate.get({ userId: actor.id, sinceMs: now.getTime() - DUPLICATE_WINDOW_MS, body: input.body });
  if (duplicate) return { ok: true, duplicate, atRisk: false };

  if (isNewMember(actor.id, now, executor)) {
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
export function flagAtRisk(tx: Executor, postId: number) {
  const open = tx
    .select({ id: reports.id })
    .from(reports)
    .where(and(eq(reports.postId, postId), eq(reports.reason, "at-risk"), isNull(reports.reporterId), eq(reports.status, "open")))
    .get();
  if (open) return;
  tx.insert(reports).values({ postId, reporterId: null, reason: "at-risk", note: AT_RISK_NOTE }).run();
}

/**
 * Whether the member wrote a post flagged at risk in the last `withinMs`. The thread page shows
 * the crisis panel when the post's redirect asks for it (?support=1) AND this is true, so a shared
 * link never shows someone else the panel meant for its author.
 */
export function hasRecentRiskFlag(userId: number, withinMs = 30 * 60_000, now = new Date()) {
  const row = db
    .select({ id: reports.id })
    .from(reports)
    .innerJoin(posts, eq(posts.id, reports.postId))
    .where(
      and(eq(posts.authorId, userId), eq(reports.reason, "at-risk"), isNull(reports.reporterId), gte(reports.createdAt, new Date(now.getTime() - withinMs))),
    )
    .get();
  return !!row;
}

/**
 * The posting rate limit (10 per 10 minutes; 3 for accounts under a day old). Call from the
 * action after validation, before the model writes; on { ok: false } return tooManyRequests().
 */
export async function limitNewPost(userId: number): Promise<LimitResult> {
  const user = postingQueries(db).member.get({ userId });
  if (!user) return { ok: true };
  return limitPosting(user);
}
