import { Form } from "@remix-run/react";
import { Link } from "./link.tsx";
import type { MouseEventHandler, ReactNode } from "react";
import type { WarningView } from "~/utils/content-warnings.ts";
import { canEditPost, isStaff, type Actor } from "~/utils/permissions.ts";
import { WarnedBody } from "./content-warning.tsx";
import { PostBody } from "./post-body.tsx";
import { ReviewNotice } from "./review-notice.tsx";
import { useSendsScripts } from "~/utils/scripts.ts";
import { Time, useFormatDateTime } from "./time.tsx";

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
  /** Set for the viewer's own deleted post while they can still restore it (24 hours): until when. */
  undoUntil?: string | null;
  /** Its content warning as the viewer chose to see that kind (app/models/content-warnings.server.ts). */
  warning?: WarningView | null;
  /** Set while it waits for a moderator (app/models/review.server.ts): seen only by its author and staff. */
  review?: { returnReason: string | null } | null;
};

/** One post in a thread, with the placeholder or notice its state calls for, and its actions. */
export function PostItem({
  post,
  viewer,
  permalink,
  replyHref,
  quoteHref,
  onQuote,
  saved,
  children,
}: {
  post: PostView;
  viewer: Actor;
  permalink: string;
  /** Where "Reply" goes: the reply form, answering this post. */
  replyHref?: string;
  /** Where "Quote" goes: the reply form, answering this post, with its words in the box. */
  quoteHref?: string;
  /** The page's one useQuoteLink() handler (a fetcher per post cost a few percent of the page's render). */
  onQuote?: MouseEventHandler<HTMLAnchorElement>;
  /** Whether the signed-in viewer saved this post; leave it out for visitors (no Save button). */
  saved?: boolean;
  children?: ReactNode;
}) {
  const formatDateTime = useFormatDateTime();
  const scripts = useSendsScripts();
  const staff = isStaff(viewer);
  const own = viewer?.id === post.authorId;
  // A held post has no number yet, and nothing but its author's own edits and delete until it is published.
  const live = !post.deleted && !post.removalReason && !post.review;
  const name = post.review ? "the post waiting for review" : `post ${post.number}`;
  const editable = canEditPost(viewer, { authorId: post.authorId, deletedAt: post.deleted || null, removedAt: post.removalReason });
  return (
    <article aria-labelledby={`post-${post.id}-by`}>
      <header className="post-header">
        <Link to={`/u/${post.author}`} id={`post-${post.id}-by`} className="author">
          {post.author}
        </Link>
        {/* The name starts with "Post N" and then says exactly what is shown (WCAG 2.5.3, label in name).
            Without scripts, data-label-time lets the visitor's local-time script rewrite it too (decision 027). */}
        <Link
          to={permalink}
          className="permalink"
          aria-label={`${post.review ? "Waiting post" : `Post ${post.number}`}, written ${formatDateTime(post.createdAt)}`}
          data-label-time={scripts ? undefined : post.createdAt}
        >
          <Time value={post.createdAt} />
        </Link>
        {post.editedAt && !post.deleted && post.bodyHtml !== null ? (
          <Link to={`/posts/${post.id}/history`}>
            edited<span className="visually-hidden"> (the history of {name})</span>
          </Link>
        ) : null}
      </header>
      {post.deleted && own && post.undoUntil ? (
        <div className="notice undo-delete" role="status">
          <Form method="post" action={`/posts/${post.id}/delete`} className="undo-form">
            <p>
              Post deleted. {post.review ? "Nobody else saw it." : "Others see “This post was deleted by its author”."} You can restore it until{" "}
              <Time value={post.undoUntil} />.
            </p>
            <button type="submit" name="intent" value="undo">
              Restore<span className="visually-hidden"> {name}</span>
            </button>
          </Form>
        </div>
      ) : post.deleted ? (
        <p className="placeholder">This post was deleted by its author.</p>
      ) : post.removalReason && post.bodyHtml === null ? (
        <p className="placeholder">Removed by moderators — {post.removalReason}</p>
      ) : (
        <>
          {post.review ? <ReviewNotice postId={post.id} returnReason={post.review.returnReason} own={own} /> : null}
          {post.removalReason ? (
            <p className="notice" role="note">
              Removed by moderators — {post.removalReason}. {staff ? "Members see only this notice." : "Only you and the moderators can still see your text."}
            </p>
          ) : null}
          <WarnedBody warning={post.warning}>
            <PostBody html={post.bodyHtml ?? ""} />
          </WarnedBody>
        </>
      )}
      {children}
      <div className="post-actions">
        {replyHref && live && !own ? (
          <Link to={replyHref} className="button">
            Reply<span className="visually-hidden"> to {name}</span>
          </Link>
        ) : null}
        {quoteHref && live && !own ? (
          <Link to={quoteHref} className="button" onClick={onQuote}>
            Quote<span className="visually-hidden"> {name}</span>
          </Link>
        ) : null}
        {editable ? (
          <Link to={`/posts/${post.id}/edit`} className="button">
            Edit<span className="visually-hidden"> {name}</span>
          </Link>
        ) : null}
        {saved !== undefined && (live || saved) ? (
          // A toggle like the reactions: aria-pressed carries the state, and the visible word
          // ("Save for later" / "Saved for later") is in the name (WCAG 2.5.3): plain "Save" read
          // like saving an edit. A post saved before it was removed
          // keeps its button, so it can still be taken off the list from here.
          <Form method="post" action={`/posts/${post.id}/save`} preventScrollReset>
            <button type="submit" name="intent" value={saved ? "unsave" : "save"} aria-pressed={saved} className="save-toggle">
              {saved ? "Saved for later" : "Save for later"}
              <span className="visually-hidden"> ({name})</span>
            </button>
          </Form>
        ) : null}
        {viewer && !own && live ? (
          <Link to={`/posts/${post.id}/report`} className="button">
            Report<span className="visually-hidden"> {name}</span>
          </Link>
        ) : null}
        {staff && !post.deleted ? (
          // A removed post is restored on the moderate page, which asks for the reason its author is told.
          <Link to={`/posts/${post.id}/moderate`} className="button">
            {post.removalReason ? "Restore" : "Moderate"}
            <span className="visually-hidden"> {name}</span>
          </Link>
        ) : null}
        {editable ? (
          // Last in the row, set apart from Edit and drawn as destructive (personal.css), so
          // a tremor aimed at Edit doesn't land here. It deletes at once; the placeholder then
          // offers Restore for 24 hours. /posts/:id/delete (GET) stays as a confirmation page.
          <Form method="post" action={`/posts/${post.id}/delete`} className="post-delete">
            <button type="submit" name="intent" value="delete" className="danger">
              Delete<span className="visually-hidden"> {name}</span>
            </button>
          </Form>
        ) : null}
      </div>
    </article>
  );
}
