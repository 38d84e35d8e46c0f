import { Link } from "./link.tsx";
import { PostBody } from "./post-body.tsx";
import { Time } from "./time.tsx";

export type EvidenceNoteData = {
  id: number;
  bodyHtml: string;
  moderator: string;
  createdAt: string | Date;
  updatedAt: string | Date | null;
};

/**
 * Under a post (getEvidenceNotes): a moderator's note pointing to the evidence. Staff also get
 * the link to add one when there is none, or to edit or remove it.
 */
export function EvidenceNote({ note, canEdit, postId, postNumber }: { note?: EvidenceNoteData | null; canEdit: boolean; postId: number; postNumber?: number }) {
  const which = postNumber !== undefined ? ` to post ${postNumber}` : "";
  if (!note) {
    if (!canEdit) return null;
    return (
      <p className="evidence-note-add">
        <Link to={`/posts/${postId}/evidence`} className="button">
          Add evidence note<span className="visually-hidden">{which}</span>
        </Link>
      </p>
    );
  }
  return (
    <div className="evidence-note" role="note" aria-label="Evidence note from the moderators">
      <p className="evidence-note-label">
        <strong>Evidence note</strong> from moderator <span className="author">{note.moderator}</span> · <Time value={note.createdAt} />
        {note.updatedAt ? (
          <>
            {" "}
            · edited <Time value={note.updatedAt} />
          </>
        ) : null}
      </p>
      <PostBody html={note.bodyHtml} />
      {canEdit ? (
        <p>
          <Link to={`/posts/${postId}/evidence`} className="button">
            Edit or remove evidence note<span className="visually-hidden">{which.replace(" to ", " on ")}</span>
          </Link>
        </p>
      ) : null}
    </div>
  );
}
