import { and, count, eq, sql } from "drizzle-orm";
import { db, prepared } from "../../db/client.ts";
import { reactionKinds, reactions } from "../../db/schema.ts";
import { forbidden } from "../utils/http.server.ts";
import { canParticipate, type Actor } from "../utils/permissions.ts";
import { isFollowing } from "./follows.server.ts";
import { idList, inIdList } from "./id-list.server.ts";
import { getMutedUserIds } from "./mutes.server.ts";
import { postHref } from "./notifications.server.ts";
import { requireReadablePost } from "./visibility.server.ts";

export type ReactionKind = (typeof reactionKinds)[number];
export { reactionKinds };

type Member = NonNullable<Actor>;

export type PostReactions = { counts: Record<ReactionKind, number>; mine: ReactionKind[] };

/** Same rule for the UI (to hide the buttons) and the model (the gate). */
export function canReact(actor: Member | null | undefined, post: { authorId: number; deleted: boolean; removed: boolean }) {
  return canParticipate(actor) && actor!.id !== post.authorId && !post.deleted && !post.removed;
}

/** Gives a reaction; giving the same one twice changes nothing. Returns the post's link. */
export function addReaction(actor: Member, postId: number, kind: ReactionKind) {
  return db.transaction(
    (tx) => {
      const post = requireReadablePost(actor, postId, tx);
      if (post.authorId === actor.id) forbidden("You can't react to your own post.");
      // Reactions are for what members read: staff and the author may see a removed thread, but not react in it.
      if (!post.view.listed) forbidden("This post can no longer receive reactions.");
      if (!canParticipate(actor)) forbidden("Your account is read-only for now, so you can't react to posts.");
      tx.insert(reactions).values({ postId, kind, userId: actor.id }).onConflictDoNothing().run();
      return { href: postHref(post.threadId, post.id, post.number) };
    },
    { behavior: "immediate" },
  );
}

/** Takes a reaction back. Always allowed: it only removes the member's own data. */
export function removeReaction(actor: Member, postId: number, kind: ReactionKind) {
  const post = requireReadablePost(actor, postId);
  db.delete(reactions)
    .where(and(eq(reactions.postId, postId), eq(reactions.kind, kind), eq(reactions.userId, actor.id)))
    .run();
  return { href: postHref(post.threadId, post.id, post.number) };
}

// Every thread view runs these, so they are prepared once, on first use (the database is migrated by then).
const reactionQueries = prepared((executor) => {
  return {
    counts: executor
      .select({ postId: reactions.postId, kind: reactions.kind, n: count() })
      .from(reactions)
      .where(inIdList(reactions.postId))
      .groupBy(reactions.postId, reactions.kind)
      .prepare(),
    mine: executor
      .select({ postId: reactions.postId, kind: reactions.kind })
      .from(reactions)
      .where(and(inIdList(reactions.postId), eq(reactions.userId, sql.placeholder("viewerId"))))
      .prepare(),
  };
});

/** Counts and the viewer's own reactions for a page of posts (one grouped query + one small one). */
export function getReactions(viewerId: number | null, postIds: number[]): Record<number, PostReactions> {
  const out: Record<number, PostReactions> = {};
  for (const id of postIds) out[id] = { counts: { helpful: 0, "me-too": 0, support: 0 }, mine: [] };
  if (postIds.length === 0) return out;
  const ids = idList(postIds);
  for (const row of reactionQueries(db).counts.all({ ids })) out[row.postId]!.counts[row.kind] = row.n;
  if (viewerId !== null) {
    for (const row of reactionQueries(db).mine.all({ ids, viewerId })) out[row.postId]!.mine.push(row.kind);
  }
  return out;
}

/** Everything personal the thread page needs for one page of posts. */
export function getThreadViewerState(viewer: { id: number } | null | undefined, threadId: number, postIds: number[]) {
  const viewerId = viewer?.id ?? null;
  return {
    reactions: getReactions(viewerId, postIds),
    following: viewerId !== null && isFollowing(viewerId, threadId),
    mutedUserIds: viewerId !== null ? getMutedUserIds(viewerId) : [],
  };
}
