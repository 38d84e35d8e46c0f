import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { Time } from "~/components/time.tsx";
import { isSavable, listSavedPosts, savePost, unsavePost } from "~/models/saved.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { savedSchema } from "~/utils/schemas.server.ts";
import { badRequest, parsePage } from "~/utils/http.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Saved posts — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const saved = await listSavedPosts(user, parsePage(request));
  // After Unsave: one press puts it back, in case the tap was a slip of the hand.
  const raw = new URL(request.url).searchParams.get("unsaved");
  const unsavedId = raw && /^[1-9]\d{0,15}$/.test(raw) ? Number(raw) : null;
  // Listed again (saved from elsewhere since), or gone: nothing to offer.
  const offer = unsavedId !== null && !saved.items.some((item) => item.postId === unsavedId) && (await isSavable(user, unsavedId));
  return json({ ...saved, unsaved: offer ? unsavedId : null });
}

// Unsave (and "Save it again") post here rather than to /posts/:id/save, so the member stays on
// the same page of their list instead of being sent into the thread.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const result = validate(savedSchema, await readForm(request));
  if (!result.ok) badRequest("That isn't a saved post.");
  const { intent, postId, page } = result.data;
  if (intent === "save") {
    await savePost(user, postId);
    return redirect(`/saved?page=${page}`);
  }
  await unsavePost(user, postId);
  return redirect(`/saved?page=${page}&unsaved=${postId}#saved-heading`);
}

export default function SavedPosts() {
  const { items, page, pageCount, unsaved } = useLoaderData<typeof loader>();
  return (
    <>
      <h1 id="saved-heading">Saved posts</h1>
      {unsaved !== null ? (
        <div className="notice undo" role="status">
          <Form method="post" action="/saved" className="undo-form">
            <input type="hidden" name="postId" value={unsaved} />
            <input type="hidden" name="page" value={page} />
            <span>Removed from your saved posts.</span>
            <button type="submit" name="intent" value="save">
              Save it again
            </button>
          </Form>
        </div>
      ) : null}
      <p>Posts you saved, newest first. Only you can see this list.</p>
      {items.length === 0 ? (
        <p className="empty-state">
          Nothing saved yet. When a post helps — a stretch that worked, how a medication went — press <strong>Save</strong> under it, and it will wait for you
          here.
        </p>
      ) : (
        <ul className="saved-list">
          {items.map((item) =>
            item.available ? (
              <li key={item.postId} className="card saved">
                <h2>
                  <Link to={item.href}>
                    {item.threadTitle}
                    <span className="visually-hidden"> (post {item.number})</span>
                  </Link>
                </h2>
                <p className="meta">
                  {item.number === 1 ? "Opening post" : `Post ${item.number}`} by {item.author} in {item.boardName}, <Time value={item.postedAt} />. Saved{" "}
                  <Time value={item.savedAt} />.
                </p>
                <p className="saved-excerpt">{item.excerpt}</p>
                <UnsaveForm postId={item.postId} page={page} label={`post ${item.number} in ${item.threadTitle}`} />
              </li>
            ) : (
              <li key={item.postId} className="card saved">
                <p>
                  This post is no longer available: its author deleted it or moderators removed it. Saved <Time value={item.savedAt} />.
                </p>
                <UnsaveForm postId={item.postId} page={page} label="the post that is no longer available" />
              </li>
            ),
          )}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} label="Saved posts pages" />
    </>
  );
}

function UnsaveForm({ postId, page, label }: { postId: number; page: number; label: string }) {
  return (
    <Form method="post" action="/saved" className="actions">
      <input type="hidden" name="postId" value={postId} />
      <input type="hidden" name="page" value={page} />
      <button type="submit" name="intent" value="unsave">
        Unsave<span className="visually-hidden"> {label}</span>
      </button>
    </Form>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
