import { and, count, eq, sql } from "drizzle-orm";
import { db, prepared, transaction } from "../../db/client.ts";
import { reactionKinds, reactions } from "../../db/schema.ts";
import { forbidden } from "../utils/http.server.ts";
import { canParticipate, type Actor } from "../utils/permissions.ts";
import { blockStopsContact } from "./blocks.server.ts";
import { isFollowing } from "./follows.server.ts";
import { idSlots, inIdSlots } from "./id-list.server.ts";
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
export async function addReaction(actor: Member, postId: number, kind: ReactionKind) {
  return transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    if (post.authorId === actor.id) forbidden("You can't react to your own post.");
    // Reactions are for what members read: staff and the author may see a removed thread, but not react in it.
    if (!post.view.listed) forbidden("This post can no longer receive reactions.");
    if (!canParticipate(actor)) forbidden("Your account is read-only for now, so you can't react to posts.");
    if (await blockStopsContact(actor, post.authorId, tx)) forbidden("You can't react to this post: there is a block between you and its author.");
    await tx.insert(reactions).values({ postId, kind, userId: actor.id }).onConflictDoNothing();
    return { href: postHref(post.threadId, post.id, post.number) };
  });
}

/** Takes a reaction back. Always allowed: it only removes the member's own data. */
export async function removeReaction(actor: Member, postId: number, kind: ReactionKind) {
  const post = await requireReadablePost(actor, postId);
  await transaction((tx) => tx.delete(reactions).where(and(eq(reactions.postId, postId), eq(reactions.kind, kind), eq(reactions.userId, actor.id))));
  return { href: postHref(post.threadId, post.id, post.number) };
}

// Every thread page runs these, so they are built once (db/client.ts, `prepared`).
const reactionQueries = prepared(() => ({
  counts: db
    .select({ postId: reactions.postId, kind: reactions.kind, n: count() })
    .from(reactions)
    .where(inIdSlots(reactions.postId))
    .groupBy(reactions.postId, reactions.kind)
    .prepare(),
  mine: db
    .select({ postId: reactions.postId, kind: reactions.kind })
    .from(reactions)
    .where(and(inIdSlots(reactions.postId), eq(reactions.userId, sql.placeholder("viewerId"))))
    .prepare(),
}));

/** Counts and the viewer's own reactions for a page of posts (one grouped query + one small one). */
export async function getReactions(viewerId: number | null, postIds: number[]): Promise<Record<number, PostReactions>> {
  const out: Record<number, PostReactions> = {};
  for (const id of postIds) out[id] = { counts: { helpful: 0, "me-too": 0, support: 0 }, mine: [] };
  const slots = idSlots(postIds);
  const [counts, mine] = await Promise.all([
    Promise.all(slots.map((ids) => reactionQueries().counts.execute(ids))),
    viewerId === null ? [] : Promise.all(slots.map((ids) => reactionQueries().mine.execute({ ...ids, viewerId }))),
  ]);
  for (const row of counts.flat()) out[row.postId]!.counts[row.kind] = row.n;
  for (const row of mine.flat()) out[row.postId]!.mine.push(row.kind);
  return out;
}

/** Everything personal the thread page needs for one page of posts. */
export async function getThreadViewerState(viewer: { id: number } | null | undefined, threadId: number, postIds: number[]) {
  const viewerId = viewer?.id ?? null;
  const [reactionsOnPage, following, mutedUserIds] = await Promise.all([
    getReactions(viewerId, postIds),
    viewerId !== null && isFollowing(viewerId, threadId),
    viewerId !== null ? getMutedUserIds(viewerId) : [],
  ]);
  return { reactions: reactionsOnPage, following, mutedUserIds };
}
