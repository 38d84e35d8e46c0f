import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { WarnedBody } from "~/components/content-warning.tsx";
import { Link } from "~/components/link.tsx";
import { FormError, TextArea } from "~/components/fields.tsx";
import { RemovalReasonFields, RestrictionFields } from "~/components/moderation-fields.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { ReopenReportsNotice } from "~/components/undo-notice.tsx";
import { suspendMember } from "~/models/moderation-members.server.ts";
import { dismissReports, removePost, reopenReports } from "~/models/moderation-posts.server.ts";
import { removalReasonText } from "~/models/moderation.server.ts";
import { checkInTemplate, checkInWithAuthor, lastCheckIn } from "~/models/check-ins.server.ts";
import { getDismissedPost, listReportQueue } from "~/models/reports.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { CHECK_IN_MAX } from "~/utils/limits.ts";
import { checkInSchema, removalSchema, restrictionSchema } from "~/utils/schemas.server.ts";
import { readDismissUndo, withUndo } from "~/utils/undo.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Report queue — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const offer = readDismissUndo(new URL(request.url));
  const [queue, dismissed] = await Promise.all([listReportQueue(user), offer ? getDismissedPost(user, offer.postId) : null]);
  // An at-risk post offers a check-in: the kind words to start from, and who last sent one.
  const checkIns = await Promise.all(
    queue.map(async (item) => (item.atRisk ? { template: checkInTemplate(item.post.author), last: await lastCheckIn(user, item.post.id) } : null)),
  );
  return json({ queue: queue.map((item, i) => ({ ...item, checkIn: checkIns[i] ?? null })), dismissed });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  const postId = parseId(values.postId);
  const fail = (errors: Record<string, string>, status = 400) => json({ postId, intent: values.intent, errors, values }, { status });
  if (values.intent === "remove") {
    const result = validate(removalSchema, values);
    if (!result.ok) return fail(result.errors);
    await removePost(user, postId, removalReasonText(result.data.reason, result.data.detail));
  } else if (values.intent === "dismiss") {
    if (await dismissReports(user, postId)) return redirect(withUndo("/mod/reports", { kind: "dismiss", postId }));
  } else if (values.intent === "reopen") {
    try {
      await reopenReports(user, postId);
    } catch (error) {
      // Nothing left to reopen is said on the queue page, not on an error page.
      if (error instanceof Response && error.status === 409) return fail({ form: await error.text() }, 409);
      throw error;
    }
    return redirect(`/mod/reports#p${postId}-title`);
  } else if (values.intent === "check-in") {
    const result = validate(checkInSchema, values);
    if (!result.ok) return fail(result.errors);
    await checkInWithAuthor(user, postId, result.data.message);
    return redirect(`/mod/reports#p${postId}-title`);
  } else if (values.intent === "suspend") {
    const result = validate(restrictionSchema, values);
    if (!result.ok) return fail(result.errors);
    await suspendMember(user, parseId(values.authorId), { ...result.data, fromReportPostId: postId });
  } else {
    badRequest("Unknown moderation action.");
  }
  return redirect("/mod/reports");
}

export default function ReportQueue() {
  const { queue, dismissed } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <h1>Report queue</h1>
      {dismissed ? <ReopenReportsNotice post={dismissed} /> : null}
      {data?.intent === "reopen" ? <FormError message={data.errors.form} /> : null}
      <p>
        {queue.length === 0
          ? "Nothing waiting. Thank you."
          : `${plural(queue.length, "post")} waiting. Posts where someone may be at risk come first, then the longest-waiting.`}
      </p>
      <p>
        <Link to="/mod/log" className="target-link">
          Moderation log
        </Link>
      </p>
      <ol className="queue">
        {queue.map((item) => {
          const mine = data?.postId === item.post.id ? data : undefined;
          const prefix = `p${item.post.id}`;
          return (
            <li key={item.post.id} className={`card${item.atRisk ? " at-risk" : ""}`}>
              <article aria-labelledby={`${prefix}-title`}>
                <h2 id={`${prefix}-title`}>
                  {item.atRisk ? <span className="badge danger">At risk</span> : null}{" "}
                  <Link to={`/threads/${item.post.threadId}?page=${item.post.page}#post-${item.post.id}`}>
                    Post {item.post.number} in “{item.post.threadTitle}”
                  </Link>
                </h2>
                <p className="meta">
                  By {item.post.author} in {item.post.boardName} · {plural(item.count, "report")} · first reported <Time value={item.firstReportedAt} />
                  {item.post.removedAt ? " · already removed" : ""}
                  {item.post.heldAt ? " · waiting for review, not published" : ""}
                </p>
                {item.post.bodyHtml !== null ? (
                  <WarnedBody warning={item.post.warning}>
                    <PostBody html={item.post.bodyHtml} className="quoted-post" />
                  </WarnedBody>
                ) : (
                  <p className="placeholder">This post was deleted by its author.</p>
                )}
                <h3>Why it was reported</h3>
                <ul>
                  {item.reports.map((r) => (
                    <li key={r.id}>
                      <strong>{r.reasonLabel}</strong> — {r.reporter}, <Time value={r.createdAt} />
                      {r.note ? <p className="quoted">{r.note}</p> : null}
                    </li>
                  ))}
                </ul>
                {item.checkIn?.last ? (
                  <p className="notice">
                    {item.checkIn.last.moderator} checked in with {item.post.author} <Time value={item.checkIn.last.at} />.
                  </p>
                ) : null}
                <div className="queue-actions">
                  <Form method="post">
                    <input type="hidden" name="postId" value={item.post.id} />
                    <button type="submit" name="intent" value="dismiss">
                      Dismiss reports
                    </button>
                  </Form>
                  <details open={mine?.intent === "remove"}>
                    <summary>Remove the post…</summary>
                    <Form method="post">
                      <input type="hidden" name="postId" value={item.post.id} />
                      <RemovalReasonFields
                        prefix={`${prefix}-remove`}
                        errors={mine?.intent === "remove" ? mine.errors : undefined}
                        values={mine?.intent === "remove" ? mine.values : undefined}
                      />
                      <button type="submit" name="intent" value="remove" className="danger">
                        Remove post
                      </button>
                    </Form>
                  </details>
                  {item.checkIn ? (
                    <details open={mine?.intent === "check-in"}>
                      <summary>Check in with {item.post.author}…</summary>
                      <Form method="post">
                        <input type="hidden" name="postId" value={item.post.id} />
                        <TextArea
                          name="message"
                          id={`${prefix}-check-in`}
                          label={`Message to ${item.post.author}`}
                          hint="Only they will read it, among their notifications. Make the words your own."
                          defaultValue={mine?.intent === "check-in" ? mine.values.message : item.checkIn.template}
                          error={mine?.intent === "check-in" ? mine.errors.message : undefined}
                          rows={6}
                          maxLength={CHECK_IN_MAX}
                          required
                        />
                        <button type="submit" name="intent" value="check-in" className="primary">
                          Send check-in
                        </button>
                      </Form>
                    </details>
                  ) : null}
                  {item.post.authorRole === "member" ? (
                    <details open={mine?.intent === "suspend"}>
                      <summary>Suspend {item.post.author}…</summary>
                      <Form method="post">
                        <input type="hidden" name="postId" value={item.post.id} />
                        <input type="hidden" name="authorId" value={item.post.authorId} />
                        <RestrictionFields
                          prefix={`${prefix}-suspend`}
                          errors={mine?.intent === "suspend" ? mine.errors : undefined}
                          values={mine?.intent === "suspend" ? mine.values : undefined}
                          reasonLabel="Reason (shown to the member)"
                        />
                        <button type="submit" name="intent" value="suspend" className="danger">
                          Suspend {item.post.author}
                        </button>
                      </Form>
                    </details>
                  ) : null}
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
