import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { WarnedBody, WarningFields } from "~/components/content-warning.tsx";
import { Link } from "~/components/link.tsx";
import { RemovalReasonFields, RestoreReasonFields } from "~/components/moderation-fields.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { setPostWarning } from "~/models/content-warnings.server.ts";
import { getPostForModeration, removePost, restorePost } from "~/models/moderation-posts.server.ts";
import { removalReasonText, restoreReasonText } from "~/models/moderation.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { pageOfPost } from "~/utils/limits.ts";
import { removalSchema, restoreSchema, warningSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Moderate post — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json({ post: await getPostForModeration(user, parseId(params.postId)) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireStaff(request);
  const values = await readForm(request);
  const fail = (errors: Record<string, string>) => json({ intent: values.intent, errors, values }, { status: 400 });
  let result: { threadId: number; number: number };
  if (values.intent === "remove") {
    const parsed = validate(removalSchema, values);
    if (!parsed.ok) return fail(parsed.errors);
    result = await removePost(user, postId, removalReasonText(parsed.data.reason, parsed.data.detail));
  } else if (values.intent === "restore") {
    // The thread page's one-click Restore lands here too, without a reason: this page then asks for one.
    const parsed = validate(restoreSchema, values);
    if (!parsed.ok) return fail(parsed.errors);
    result = await restorePost(user, postId, restoreReasonText(parsed.data.reason, parsed.data.detail));
  } else if (values.intent === "warning") {
    const parsed = validate(warningSchema, values);
    if (!parsed.ok) return fail(parsed.errors);
    result = await setPostWarning(user, postId, parsed.data.warning);
  } else {
    badRequest("Unknown moderation action.");
  }
  return redirect(`/threads/${result.threadId}?page=${pageOfPost(result.number)}#post-${postId}`);
}

export default function ModeratePost() {
  const { post } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errorsFor = (intent: string) => (data?.intent === intent ? data.errors : undefined);
  const valuesFor = (intent: string) => (data?.intent === intent ? data.values : undefined);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/threads/${post.threadId}?page=${pageOfPost(post.number)}#post-${post.id}`}>Back to the thread</Link>
      </nav>
      <h1>Moderate a post</h1>
      <p className="meta">
        Post {post.number} by {post.author} in “{post.threadTitle}”, <Time value={post.createdAt} />.
      </p>
      <div className="card">
        {post.bodyHtml !== null ? (
          <WarnedBody warning={post.warning}>
            <PostBody html={post.bodyHtml} />
          </WarnedBody>
        ) : (
          <p className="placeholder">This post was deleted by its author.</p>
        )}
      </div>
      {post.canSetWarning ? (
        <Form method="post" className="card">
          <h2>Content warning</h2>
          <WarningFields
            legend="Warn readers about this post"
            hint="Its words show collapsed behind the label. The author is told, and the change is on the transparency log."
            kind={valuesFor("warning")?.warningKind ?? post.warningKind ?? ""}
            text={valuesFor("warning")?.warningText ?? post.warningText ?? ""}
            errors={errorsFor("warning") ?? {}}
          />
          <button type="submit" name="intent" value="warning">
            Save content warning
          </button>
        </Form>
      ) : null}
      {!post.canModerate ? (
        <p>This post belongs to an admin; moderators can't act on it.</p>
      ) : post.removedAt ? (
        <Form method="post" className="card">
          <h2>Restore this post</h2>
          <p>Removed: {post.removalReason}</p>
          <p>Members will read it again. Its author is told your reason.</p>
          <RestoreReasonFields prefix="restore" errors={errorsFor("restore")} values={valuesFor("restore")} />
          <button type="submit" name="intent" value="restore">
            Restore post
          </button>
        </Form>
      ) : (
        <Form method="post" className="card">
          <h2>Remove this post</h2>
          <p>Members will see “Removed by moderators” with your reason. The author still sees their text, and you can restore it.</p>
          <RemovalReasonFields prefix="remove" errors={errorsFor("remove")} values={valuesFor("remove")} />
          <button type="submit" name="intent" value="remove" className="danger">
            Remove post
          </button>
        </Form>
      )}
      <p className="actions">
        <Link to={`/mod/members/${post.author}`} className="button">
          Suspend or silence {post.author}
        </Link>
      </p>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
