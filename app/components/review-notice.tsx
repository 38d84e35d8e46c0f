import { Link } from "./link.tsx";

/**
 * On a post waiting for a moderator (docs/decisions/034): what it means and what happens next, for
 * its author, who alone sees it with the moderators; or, returned, the moderator's note.
 */
export function ReviewNotice({ postId, returnReason, own }: { postId: number; returnReason: string | null; own: boolean }) {
  if (returnReason !== null) {
    return (
      <div className="notice" role="note">
        <p>
          <strong>Returned by a moderator:</strong> {returnReason}
        </p>
        <p>
          {own
            ? "Only you can see this post. Edit it to send it back for review, or delete it."
            : "Only its author and the moderators can see it. It comes back to the review queue when they edit it."}
        </p>
      </div>
    );
  }
  return (
    <div className="notice" role="note">
      <p>
        <strong>Waiting for a moderator.</strong>{" "}
        {own ? (
          "A new member's first posts on this board are read by a moderator before they are published. Until then only you and the moderators can see it, and you can still edit or delete it. You will get a notification when it is published, or if the moderator asks you to change something."
        ) : (
          <>
            Members can't see it yet. <Link to={`/mod/review#review-${postId}`}>Review it</Link>
          </>
        )}
      </p>
    </div>
  );
}

/** Above a form whose post would wait for a moderator: said before the member writes, not after. */
export function ReviewAhead() {
  return (
    <p className="notice" role="note">
      A moderator reads a new member's first posts on this board before they are published. Until then yours shows here, marked “Waiting for a moderator”, to
      you and the moderators only.
    </p>
  );
}
