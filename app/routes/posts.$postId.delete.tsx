import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { isRouteErrorResponse, useLoaderData, useRouteError } from "@remix-run/react";
import { DeleteConfirm } from "~/components/delete-confirm.tsx";
import { Link } from "~/components/link.tsx";
import { deletePost, getPostForEdit, UNDO_DELETE_MS, undeletePost, type RestoreExpired } from "~/models/posts.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { plainExcerpt } from "~/utils/excerpt.ts";
import { parseId } from "~/utils/http.server.ts";
import { pageOfPost } from "~/utils/limits.ts";

// Here, not in the model: a .server module's functions don't exist in the browser bundle.
function isRestoreExpired(data: unknown): data is RestoreExpired {
  return typeof data === "object" && data !== null && (data as { reason?: unknown }).reason === "restore-expired";
}

export const meta: MetaFunction = ({ error }) => [
  {
    title: !error
      ? "Delete your post — Unclench"
      : isRouteErrorResponse(error) && isRestoreExpired(error.data)
        ? "This post can no longer be restored — Unclench"
        : "That didn't work — Unclench",
  },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // The window travels in the data: constants from a .server module don't exist in the browser bundle.
  const post = await getPostForEdit(user, parseId(params.postId));
  return json({
    post: { id: post.id, threadId: post.threadId, page: post.page },
    excerpt: plainExcerpt(post.body, 400),
    restoreHours: UNDO_DELETE_MS / 3_600_000,
  });
}

const postHref = (post: { threadId: number; page: number; postId: number }) => `/threads/${post.threadId}?page=${post.page}#post-${post.postId}`;

export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireUser(request);
  // Delete (from the thread page or this confirmation page) and its Restore share this action.
  // The model keeps the restore window (UNDO_DELETE_MS) and answers 410 once it has passed.
  const { intent } = await readForm(request);
  const { threadId, page } = intent === "undo" ? await undeletePost(user, postId) : await deletePost(user, postId);
  return redirect(postHref({ threadId, page, postId }));
}

export default function DeletePost() {
  const { post, excerpt, restoreHours } = useLoaderData<typeof loader>();
  const back = postHref({ threadId: post.threadId, page: post.page, postId: post.id });
  return (
    <>
      <h1>Delete your post?</h1>
      <p>
        The post will show “deleted by its author” so the conversation still makes sense. Its text will no longer be shown to anyone. For {restoreHours} hours
        you can restore it from the thread.
      </p>
      <DeleteConfirm excerpt={excerpt} back={back} label="Delete post" />
    </>
  );
}

/**
 * A Restore pressed after the window (say, on a page left open overnight without JS) gets a
 * plain answer, the way back to the thread and the author's own text to copy, instead of the
 * root's "Not allowed". Other refusals keep their message.
 */
export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && isRestoreExpired(error.data)) {
    const expired = error.data;
    return (
      <div className="error-page">
        <h1>This post can no longer be restored</h1>
        <p>{expired.message}</p>
        <p>
          <Link to={postHref({ ...expired, page: pageOfPost(expired.number) })} className="target-link">
            Back to the thread
          </Link>
        </p>
        <div className="field">
          <label htmlFor="deleted-text">Your text, if you'd like to copy it and post it again</label>
          <textarea id="deleted-text" readOnly rows={6} defaultValue={expired.body} />
        </div>
      </div>
    );
  }
  const message = isRouteErrorResponse(error) && typeof error.data === "string" && error.data ? error.data : "Sorry — that couldn't be done just now.";
  if (!isRouteErrorResponse(error)) console.error(error);
  return (
    <div className="error-page">
      <h1>{isRouteErrorResponse(error) && error.status === 404 ? "We couldn't find that post" : "That didn't work"}</h1>
      <p>{message}</p>
      <p>
        <Link to="/" className="target-link">
          Back to the boards
        </Link>
      </p>
    </div>
  );
}
