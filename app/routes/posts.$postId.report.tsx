import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { ReportThanks } from "~/components/report-thanks.tsx";
import { FormError } from "~/components/fields.tsx";
import { getReportablePost, reportPost, reportReasonLabels } from "~/models/reports.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";
import { pageOfPost } from "~/utils/limits.ts";
import { limitReport, rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";
import { reportSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Report a post — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ post: await getReportablePost(user, parseId(params.postId)), reasons: reportReasonLabels });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireUser(request);
  const values = await readForm(request);
  const result = validate(reportSchema, values);
  if (!result.ok) return json({ errors: result.errors, values, done: null }, { status: 400 });
  const limit = await limitReport(user.id);
  if (!limit.ok) {
    const form = retryMessage(limit.retryAfterSeconds, "You've sent a lot of reports in the last hour.");
    return rateLimited(limit.retryAfterSeconds, { errors: { form } as Record<string, string>, values, done: null });
  }
  const { alreadyReported } = await reportPost(user, postId, result.data);
  return json({ errors: {} as Record<string, string>, values, done: { alreadyReported, atRisk: result.data.reason === "at-risk" } });
}

export default function ReportPost() {
  const { post, reasons } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const back = `/threads/${post.threadId}?page=${pageOfPost(post.number)}#post-${post.id}`;
  if (data?.done) {
    const queued = data.done.alreadyReported
      ? "You've already reported this post. It's in the moderators' queue and will be reviewed."
      : "Your report is in the moderators' queue and will be reviewed. The author isn't told who reported it.";
    return <ReportThanks done={data.done} queued={queued} back={back} backLabel="Back to the thread" />;
  }
  const errors: Record<string, string> = data?.errors ?? {};
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={back}>Back to the thread</Link>
      </nav>
      <h1>Report a post</h1>
      <p>
        Post {post.number} by {post.author} in “{post.title}”. Only moderators see reports.
      </p>
      <Form method="post" className="stack">
        <FormError message={errors.form} />
        <fieldset>
          <legend>What's wrong?</legend>
          {errors.reason ? <p className="field-error">{errors.reason}</p> : null}
          {Object.entries(reasons).map(([value, label]) => (
            <div key={value} className="choice">
              <input type="radio" id={`reason-${value}`} name="reason" value={value} defaultChecked={data?.values.reason === value} required />
              <label htmlFor={`reason-${value}`}>{label}</label>
            </div>
          ))}
        </fieldset>
        <div className="field">
          <label htmlFor="note">Anything moderators should know (optional)</label>
          <textarea id="note" name="note" rows={4} maxLength={1000} defaultValue={data?.values.note} />
        </div>
        <button type="submit" className="primary">
          Send report
        </button>
      </Form>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
