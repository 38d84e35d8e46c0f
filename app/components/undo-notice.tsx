import { Form } from "@remix-run/react";

export type UndoOfferView = { kind: "unfollow" } | { kind: "reaction"; postId: number; reaction: string; label: string };

/** "Done. [Undo]" for 10 seconds after taking something back; the button is a plain form post. */
export function UndoNotice({ offer, threadId }: { offer: UndoOfferView; threadId: number }) {
  return (
    <div className="notice undo" role="status">
      {offer.kind === "unfollow" ? (
        <Form method="post" action={`/threads/${threadId}/follow`} className="undo-form">
          <span>You've unfollowed this thread.</span>
          <button type="submit" name="intent" value="follow">
            Undo<span className="visually-hidden"> unfollow</span>
          </button>
        </Form>
      ) : (
        <Form method="post" action={`/posts/${offer.postId}/react`} className="undo-form">
          <span>You took back “{offer.label}”.</span>
          <button type="submit" name="add" value={offer.reaction}>
            Undo<span className="visually-hidden"> taking back {offer.label}</span>
          </button>
        </Form>
      )}
    </div>
  );
}

/**
 * After "Dismiss reports" in the queue: a slip of the hand is one press from undone. Posts to
 * the queue itself, so it works wherever it is shown.
 */
export function ReopenReportsNotice({ post }: { post: { id: number; number: number; threadTitle: string } }) {
  return (
    <div className="notice undo" role="status">
      <Form method="post" action="/mod/reports" className="undo-form">
        <input type="hidden" name="postId" value={post.id} />
        <span>
          Reports on post {post.number} dismissed (in “{post.threadTitle}”).
        </span>
        <button type="submit" name="intent" value="reopen">
          Reopen<span className="visually-hidden"> reports on post {post.number}</span>
        </button>
      </Form>
    </div>
  );
}
