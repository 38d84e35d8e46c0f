import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { WarnedBody } from "~/components/content-warning.tsx";
import { FormError, TextArea } from "~/components/fields.tsx";
import { Link } from "~/components/link.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { approvePost, listReviewQueue, returnPost } from "~/models/review.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { RETURN_REASON_MAX, REVIEW_QUEUE_SIZE } from "~/utils/limits.ts";
import { returnSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Review queue — Unclench" }];

const DONE = { approved: "Approved: the post is published, and its author is told.", returned: "Returned: its author can read your note and edit the post." };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const done = new URL(request.url).searchParams.get("done");
  return json({ queue: await listReviewQueue(user), done: done === "approved" || done === "returned" ? DONE[done] : null });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  const postId = parseId(values.postId);
  const fail = (status: number, errors: Record<string, string>) =>
    json({ postId, intent: values.intent, errors, values: { reason: values.reason ?? "" } }, { status });
  try {
    if (values.intent === "approve") {
      await approvePost(user, postId);
      return redirect("/mod/review?done=approved");
    }
    if (values.intent === "return") {
      const result = validate(returnSchema, values);
      if (!result.ok) return fail(400, result.errors);
      await returnPost(user, postId, result.data.reason);
      return redirect("/mod/review?done=returned");
    }
  } catch (error) {
    // A post that left the queue meanwhile (deleted, returned, removed) is said here, not on an error page.
    if (error instanceof Response && error.status === 409) return fail(409, { form: await error.text() });
    throw error;
  }
  badRequest("Unknown review action.");
}

export default function ReviewQueue() {
  const { queue, done } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <h1>Review queue</h1>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <p>
        On boards where an admin asked for it, a new member's first posts wait here until a moderator approves them. Only the author and moderators can see a
        post while it waits.
      </p>
      <p>
        {queue.length === 0
          ? "Nothing waiting. Thank you."
          : `${plural(queue.length, "post")} waiting${queue.length === REVIEW_QUEUE_SIZE ? " (the first shown)" : ""}. Posts where someone may be at risk come first, then the longest-waiting.`}
      </p>
      <ol className="queue">
        {queue.map((post) => {
          const mine = data?.postId === post.id ? data : undefined;
          const prefix = `review-${post.id}`;
          return (
            <li key={post.id} id={prefix} className={`card${post.atRisk ? " at-risk" : ""}`}>
              <article aria-labelledby={`${prefix}-title`}>
                <h2 id={`${prefix}-title`}>
                  {post.atRisk ? <span className="badge danger">At risk</span> : null}{" "}
                  <Link to={post.href}>{post.opening ? `New thread “${post.threadTitle}”` : `Reply in “${post.threadTitle}”`}</Link>
                </h2>
                <p className="meta">
                  By {post.author} in {post.boardName} · waiting since <Time value={post.waitingSince} />
                </p>
                {post.atRisk ? (
                  <p className="notice" role="note">
                    It has words about suicide or self-harm. Its author was shown crisis resources as they posted, and it is in the{" "}
                    <Link to="/mod/reports">report queue</Link>, where you can check in with them.
                  </p>
                ) : null}
                <WarnedBody warning={post.warning}>
                  <PostBody html={post.bodyHtml} className="quoted-post" />
                </WarnedBody>
                <FormError message={mine?.errors.form} />
                <div className="queue-actions">
                  <Form method="post">
                    <input type="hidden" name="postId" value={post.id} />
                    <button type="submit" name="intent" value="approve" className="primary">
                      Approve and publish<span className="visually-hidden"> the post by {post.author}</span>
                    </button>
                  </Form>
                  <details open={mine?.intent === "return" && !mine.errors.form}>
                    <summary>Return it to {post.author}…</summary>
                    <Form method="post">
                      <input type="hidden" name="postId" value={post.id} />
                      <TextArea
                        name="reason"
                        id={`${prefix}-reason`}
                        label={`What should ${post.author} change?`}
                        hint="Only they will read it, beside their post and among their notifications. The post stays unpublished until they edit it and you approve it."
                        defaultValue={mine?.intent === "return" ? mine.values.reason : undefined}
                        error={mine?.intent === "return" ? mine.errors.reason : undefined}
                        rows={4}
                        maxLength={RETURN_REASON_MAX}
                        required
                      />
                      <button type="submit" name="intent" value="return">
                        Return the post<span className="visually-hidden"> to {post.author}</span>
                      </button>
                    </Form>
                  </details>
                </div>
              </article>
            </li>
          );
        })}
      </ol>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
