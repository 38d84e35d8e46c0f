import type { ReactNode } from "react";
import { Link } from "./link.tsx";
import { PostBody } from "./post-body.tsx";
import { Time } from "./time.tsx";

export type MessageView = {
  id: number;
  author: string;
  createdAt: string;
  /** Null when the viewer may not read it (removed, or erased by its author). */
  bodyHtml: string | null;
  removed: boolean;
  removalReason: string | null;
  /** Whether its words were erased, and how: by its author alone, or with their account. */
  deleted: false | "by-author" | "with-account";
  isNew?: boolean;
};

/**
 * One message of a private conversation, or the placeholder its state calls for. `viewerSees`
 * says whose eyes a removed message's words are shown to (its author's, or a moderator's).
 */
export function MessageItem({ message, viewerSees, children }: { message: MessageView; viewerSees: "author" | "moderator" | null; children?: ReactNode }) {
  const by = `message-${message.id}-by`;
  return (
    <article aria-labelledby={by}>
      <header className="post-header">
        <Link to={`/u/${message.author}`} id={by} className="author">
          {message.author}
        </Link>
        <Time value={message.createdAt} />
        {message.isNew ? <span className="badge new">New</span> : null}
      </header>
      {message.deleted === "with-account" ? (
        <p className="placeholder">This message was erased with its author's account.</p>
      ) : message.deleted ? (
        <p className="placeholder">This message was deleted by its author.</p>
      ) : message.removed && message.bodyHtml === null ? (
        <p className="placeholder">Removed by a moderator — {message.removalReason}</p>
      ) : (
        <>
          {message.removed ? (
            <p className="notice" role="note">
              Removed by a moderator — {message.removalReason}.{" "}
              {viewerSees === "moderator" ? "Members see only this notice." : "Only you can still see your words; the others see this notice."}
            </p>
          ) : null}
          <PostBody html={message.bodyHtml ?? ""} />
        </>
      )}
      {children}
    </article>
  );
}
