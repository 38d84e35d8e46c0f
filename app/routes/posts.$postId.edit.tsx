import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { Composer } from "~/components/composer.tsx";
import { claimPendingDraft, discardDraft, editDraftKey, getDraft } from "~/models/drafts.server.ts";
import { editPost, getPostForEdit } from "~/models/posts.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { draftText, handleComposer, postKeepingDraft, requireUserOrKeepText, restoreToken } from "~/utils/composer.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";
import { replySchema, threadSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Edit your post — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireUser(request);
  // Back from logging in after an expired session: the kept text becomes this edit's draft.
  // Claimed before the permission check, so a post removed meanwhile still leaves the text on /drafts.
  const restore = restoreToken(request);
  if (restore) {
    await claimPendingDraft(user, restore.token);
    throw redirect(restore.cleanUrl);
  }
  const [post, draft] = await Promise.all([getPostForEdit(user, postId), getDraft(user, editDraftKey(postId))]);
  return json({ post, draft });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const values = await readForm(request);
  const draftKey = editDraftKey(postId);
  if (values.intent === "discard-draft") {
    // The member asked to throw the text away, so an expired session keeps nothing here.
    await discardDraft(await requireUser(request), draftKey);
    return redirect(`/posts/${postId}/edit?discarded=1`);
  }
  const user = await requireUserOrKeepText(request, { key: draftKey, ...draftText(values) });
  // The composer sends a title only for an opening post; editPost ignores it on any other.
  const schema = values.title === undefined ? replySchema : threadSchema;
  // When editPost refuses (canEditPost: a post removed or an account made read-only mid-edit),
  // the text is kept as the author's draft on /drafts instead of being lost.
  const draft = { actor: user, key: draftKey };
  const result = await handleComposer(schema, values, draft);
  if (result.response) return result.response;
  const input = result.data;
  return postKeepingDraft(draft, values, async () => {
    const { threadId, page } = await editPost(user, postId, input);
    return redirect(`/threads/${threadId}?page=${page}#post-${postId}`);
  });
}

export default function EditPost() {
  const { post, draft } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const location = useLocation();
  const [params] = useSearchParams();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/threads/${post.threadId}?page=${post.page}#post-${post.id}`}>Back to the thread</Link>
      </nav>
      <h1>Edit your post</h1>
      {params.get("discarded") && !draft ? (
        <p className="notice" role="status">
          Draft discarded. The form shows your post as it is.
        </p>
      ) : null}
      <p>
        {post.review === null
          ? "Earlier versions stay in the post's history, which anyone can view."
          : post.review.returnReason === null
            ? "Your post is waiting for a moderator, and keeps its place in the queue when you save changes. Nobody else sees it until it is published."
            : `A moderator returned your post: ${post.review.returnReason} Saving your changes sends it back for review.`}
        {draft ? " Your post stays as it is until you save changes; “Discard draft” goes back to it." : null}
      </p>
      <Composer
        // A new location (after discarding) must show the post's text again: the fields are uncontrolled.
        key={location.key}
        title={post.title ?? undefined}
        body={post.body}
        warning={{ kind: post.warningKind, text: post.warningText }}
        data={data}
        bodyLabel="Your post"
        submitLabel="Save changes"
        draftKey={`edit:${post.id}`}
        draft={draft}
        discardDraftLabel="Discard draft"
      />
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
