import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { canEditPost, isStaff, type Actor } from "~/utils/permissions.ts";
import { PostBody } from "./post-body.tsx";
import { Time } from "./time.tsx";

export type PostView = {
  id: number;
  number: number;
  author: string;
  authorId: number;
  createdAt: string;
  editedAt: string | null;
  deleted: boolean;
  removalReason: string | null;
  bodyHtml: string | null;
  /** Set for the viewer's own post deleted in the last few seconds: "Undo" still works. */
  undoUntil?: string | null;
};

/** One post in a thread, with the placeholder or notice its state calls for, and its actions. */
export function PostItem({
  post,
  viewer,
  permalink,
  replyHref,
  children,
}: {
  post: PostView;
  viewer: Actor;
  permalink: string;
  /** Where "Reply" goes: the reply form, answering this post. */
  replyHref?: string;
  children?: ReactNode;
}) {
  const staff = isStaff(viewer);
  const own = viewer?.id === post.authorId;
  const live = !post.deleted && !post.removalReason;
  return (
    <article aria-labelledby={`post-${post.id}-by`}>
      <header className="post-header">
        <Link to={`/u/${post.author}`} id={`post-${post.id}-by`} className="author">
          {post.author}
        </Link>
        <Link to={permalink} className="permalink" aria-label={`Post ${post.number}, written ${new Date(post.createdAt).toUTCString()}`}>
          <Time value={post.createdAt} />
        </Link>
        {post.editedAt && !post.deleted && post.bodyHtml !== null ? <Link to={`/posts/${post.id}/history`}>edited</Link> : null}
      </header>
      {post.deleted && own && post.undoUntil ? (
        <Form method="post" action={`/posts/${post.id}/delete`} className="undo-delete">
          <p className="notice" role="status">
            Post deleted.{" "}
            <button type="submit" name="intent" value="undo">
              Undo<span className="visually-hidden"> deleting post {post.number}</span>
            </button>
          </p>
        </Form>
      ) : post.deleted ? (
        <p className="placeholder">This post was deleted by its author.</p>
      ) : post.removalReason && post.bodyHtml === null ? (
        <p className="placeholder">Removed by moderators — {post.removalReason}</p>
      ) : (
        <>
          {post.removalReason ? (
            <p className="notice" role="note">
              Removed by moderators — {post.removalReason}.{" "}
              {staff ? "Members see only this notice." : "Only you and the moderators can still see your text."}
            </p>
          ) : null}
          <PostBody html={post.bodyHtml ?? ""} />
        </>
      )}
      {children}
      <div className="post-actions">
        {replyHref && live && !own ? (
          <Link to={replyHref} className="button">
            Reply<span className="visually-hidden"> to post {post.number}</span>
          </Link>
        ) : null}
        {canEditPost(viewer, { authorId: post.authorId, deletedAt: post.deleted || null, removedAt: post.removalReason }) ? (
          <>
            <Link to={`/posts/${post.id}/edit`} className="button">
              Edit<span className="visually-hidden"> post {post.number}</span>
            </Link>
            {/* Deletes at once: "Undo" follows for a few seconds. /posts/:id/delete (GET) stays as a confirmation page. */}
            <Form method="post" action={`/posts/${post.id}/delete`}>
              <button type="submit" name="intent" value="delete">
                Delete<span className="visually-hidden"> post {post.number}</span>
              </button>
            </Form>
          </>
        ) : null}
        {viewer && !own && live ? (
          <Link to={`/posts/${post.id}/report`} className="button">
            Report<span className="visually-hidden"> post {post.number}</span>
          </Link>
        ) : null}
        {staff && post.removalReason ? (
          <Form method="post" action={`/posts/${post.id}/moderate`}>
            <button type="submit" name="intent" value="restore">
              Restore<span className="visually-hidden"> post {post.number}</span>
            </button>
          </Form>
        ) : null}
        {staff && !post.deleted ? (
          <Link to={`/posts/${post.id}/moderate`} className="button">
            Moderate<span className="visually-hidden"> post {post.number}</span>
          </Link>
        ) : null}
      </div>
    </article>
  );
}
