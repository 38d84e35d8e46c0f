import { Form } from "@remix-run/react";
import { Link } from "./link.tsx";

/**
 * The end of a "Delete your …?" page: a glimpse of what goes, then "Keep it" first (the safe
 * choice for a tired or shaking hand) and the delete button apart from it. A plain POST form.
 */
export function DeleteConfirm({ excerpt, back, label }: { excerpt: string; back: string; label: string }) {
  return (
    <>
      <blockquote className="quoted">{excerpt}</blockquote>
      <div className="actions">
        <Link to={back} className="button primary">
          Keep it
        </Link>
        <Form method="post" className="post-delete">
          <button type="submit" className="danger">
            {label}
          </button>
        </Form>
      </div>
    </>
  );
}
