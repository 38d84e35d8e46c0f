import { and, asc, count, desc, eq, notInArray } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { boards, posts, threads, userConditions, users } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { keepLinkText } from "../utils/link-text.ts";
import type { Actor } from "../utils/permissions.ts";
import { hasMuted } from "./mutes.server.ts";
import { postHref } from "./notifications.server.ts";
import { listedPostSql, threadOpenSql } from "./visibility.server.ts";

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

/** Plain text for a short preview; React escapes it, so no HTML is produced here. */
function excerpt(markdown: string) {
  // Links by a linear scan: the regex for them is quadratic on a post full of `[`.
  const text = keepLinkText(markdown.replace(/```[\s\S]*?```/g, " "), { images: true })
    .replace(/^\s{0,3}(?:>+|#{1,6}|[-*+]|\d+\.)\s*/gm, "")
    .replace(/[*_~`]+/g, "")
    .replace(/\s+/g, " ")
    .trim();
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH).trimEnd()}…` : text;
}

export type Profile =
  | { visible: false; username: string }
  | {
      visible: true;
      id: number;
      username: string;
      role: string;
      joinedAt: Date;
      bioHtml: string | null;
      conditions: { slug: string; name: string }[];
      threadCount: number;
      postCount: number;
      recentPosts: { id: number; href: string; threadTitle: string; createdAt: Date; excerpt: string }[];
      isSelf: boolean;
      mutedByViewer: boolean;
    };

/**
 * A member's public page. A hidden profile is shown to logged-in members only; a visitor
 * learns just that it is hidden (the username is public anyway, on every post).
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
      profileHidden: users.profileHidden,
      deletedAt: users.deletedAt,
    })
    .from(users)
    .where(eq(users.username, username.toLowerCase()))
    .limit(1);
  if (!user || user.deletedAt) notFound("There is no member with that name.");
  if (user.profileHidden && !viewer) return { visible: false, username: user.username };

  // What members and visitors read (visibility.server.ts), whoever is looking: a profile is the public view.
  const visiblePost = and(eq(posts.authorId, user.id), listedPostSql);
  const [conditions, [threadTotal], [postTotal], recent, mutedByViewer] = await Promise.all([
    db
      .select({ slug: boards.slug, name: boards.name })
      .from(userConditions)
      .innerJoin(boards, eq(boards.id, userConditions.boardId))
      .where(eq(userConditions.userId, user.id))
      .orderBy(asc(boards.position), asc(boards.id)),
    db
      .select({ n: count() })
      .from(threads)
      .where(and(eq(threads.authorId, user.id), threadOpenSql(null))),
    db.select({ n: count() }).from(posts).innerJoin(threads, eq(threads.id, posts.threadId)).where(visiblePost),
    db
      .select({
        id: posts.id,
        threadId: posts.threadId,
        number: posts.number,
        createdAt: posts.createdAt,
        bodyMarkdown: posts.bodyMarkdown,
        threadTitle: threads.title,
      })
      .from(posts)
      .innerJoin(threads, eq(threads.id, posts.threadId))
      .where(visiblePost)
      .orderBy(desc(posts.createdAt), desc(posts.id))
      .limit(RECENT_POSTS),
    !!viewer && viewer.id !== user.id && hasMuted(viewer.id, user.id),
  ]);
  return {
    visible: true,
    id: user.id,
    username: user.username,
    role: user.role,
    joinedAt: user.createdAt,
    bioHtml: user.bioHtml,
    conditions,
    threadCount: threadTotal!.n,
    postCount: postTotal!.n,
    recentPosts: recent.map((p) => ({
      id: p.id,
      href: postHref(p.threadId, p.id, p.number),
      threadTitle: p.threadTitle,
      createdAt: p.createdAt,
      excerpt: excerpt(p.bodyMarkdown),
    })),
    isSelf: viewer?.id === user.id,
    mutedByViewer,
  };
}
