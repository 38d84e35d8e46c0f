import { and, asc, count, desc, eq, notInArray } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { boards, posts, threads, userConditions, users, type Visibility } from "../../db/schema.ts";
import { postExcerpt } from "../utils/excerpt.ts";
import { notFound } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";
import { hasBlocked } from "./blocks.server.ts";
import { hasMuted } from "./mutes.server.ts";
import { postHref } from "./notifications.server.ts";
import { listedPostSql, listedThreadSql } from "./visibility.server.ts";

export const RECENT_POSTS = 10;
const EXCERPT_LENGTH = 220;

// Boards that are about a topic rather than a condition; a member can't "have" them.
const NOT_CONDITIONS = ["introductions", "medications"];

/** The boards a member may list as their conditions, in board order. */
export async function listConditionBoards() {
  return await db
    .select({ id: boards.id, slug: boards.slug, name: boards.name })
    .from(boards)
    .where(notInArray(boards.slug, NOT_CONDITIONS))
    .orderBy(asc(boards.position), asc(boards.id));
}

type Condition = { slug: string; name: string };
type Fields = { bio: Visibility; conditions: Visibility; joined: Visibility };

/**
 * What the viewer may see of a member. A field they may not see is absent (not null: a null bio
 * is "no bio yet"), so it never reaches the page's data. `visibility` is for the member themself.
 */
export type Profile = {
  id: number;
  username: string;
  role: string;
  joinedAt?: Date;
  bioHtml?: string | null;
  conditions?: Condition[];
  threadCount: number;
  postCount: number;
  recentPosts: { id: number; href: string; threadTitle: string; createdAt: Date; excerpt: string }[];
  isSelf: boolean;
  mutedByViewer: boolean;
  /** The viewer blocked this member (never whether this member blocked the viewer: that stays theirs). */
  blockedByViewer: boolean;
  visibility?: Fields;
};

/** Whether a field with this choice is shown: "nobody" still means the member themself. */
export function maySee(choice: Visibility, viewer: { id: number } | null, ownerId: number) {
  if (viewer?.id === ownerId) return true;
  return choice === "everyone" || (choice === "members" && !!viewer);
}

/**
 * A member's public page. Bio, conditions and join date each follow the member's choice
 * (everyone, logged-in members, only them); name, counts and recent posts are public anyway.
 * Counts and recent posts leave out removed and deleted posts and removed threads.
 */
export async function getProfile(viewer: NonNullable<Actor> | null, username: string): Promise<Profile> {
  const [user] = await db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      createdAt: users.createdAt,
      bioHtml: users.bioHtml,
      bio: users.bioVisibility,
      conditions: users.conditionsVisibility,
      joined: users.joinedVisibility,
      deletedAt: users.deletedAt,
    })
    .from(users)
    .where(eq(users.username, username.toLowerCase()))
    .limit(1);
  if (!user || user.deletedAt) notFound("There is no member with that name.");
  const isSelf = viewer?.id === user.id;
  const shown = (field: keyof Fields) => maySee(user[field], viewer, user.id);

  // What members and visitors read (visibility.server.ts); a visitor's view leaves out members-only threads.
  const visiblePost = and(eq(posts.authorId, user.id), listedPostSql(viewer));
  const [conditions, [threadTotal], [postTotal], recent, mutedByViewer, blockedByViewer] = await Promise.all([
    shown("conditions")
      ? db
          .select({ slug: boards.slug, name: boards.name })
          .from(userConditions)
          .innerJoin(boards, eq(boards.id, userConditions.boardId))
          .where(eq(userConditions.userId, user.id))
          .orderBy(asc(boards.position), asc(boards.id))
      : null,
    db
      .select({ n: count() })
      .from(threads)
      .where(and(eq(threads.authorId, user.id), listedThreadSql(viewer))),
    db.select({ n: count() }).from(posts).innerJoin(threads, eq(threads.id, posts.threadId)).where(visiblePost),
    db
      .select({
        id: posts.id,
        threadId: posts.threadId,
        number: posts.number,
        createdAt: posts.createdAt,
        bodyMarkdown: posts.bodyMarkdown,
        warningKind: posts.warningKind,
        warningText: posts.warningText,
        threadTitle: threads.title,
      })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .where(visiblePost)
      .orderBy(desc(posts.createdAt), desc(posts.id))
      .limit(RECENT_POSTS),
    !!viewer && !isSelf && hasMuted(viewer.id, user.id),
    !!viewer && !isSelf && hasBlocked(viewer.id, user.id),
  ]);
  return {
    id: user.id,
    username: user.username,
    role: user.role,
    ...(shown("joined") ? { joinedAt: user.createdAt } : {}),
    ...(shown("bio") ? { bioHtml: user.bioHtml } : {}),
    ...(conditions ? { conditions } : {}),
    threadCount: threadTotal!.n,
    postCount: postTotal!.n,
    recentPosts: recent.map((p) => ({
      id: p.id,
      href: postHref(p.threadId, p.id, p.number),
      threadTitle: p.threadTitle,
      createdAt: p.createdAt,
      // A warned post's words stay behind their label, which the list shows instead.
      excerpt: postExcerpt(p, EXCERPT_LENGTH),
    })),
    isSelf,
    mutedByViewer,
    blockedByViewer,
    ...(isSelf ? { visibility: { bio: user.bio, conditions: user.conditions, joined: user.joined } } : {}),
  };
}
