import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { FormError } from "~/components/fields.tsx";
import { Link } from "~/components/link.tsx";
import { ReportThanks } from "~/components/report-thanks.tsx";
import { getReportableMessage, reportMessage } from "~/models/message-reports.server.ts";
import { reportReasonLabels } from "~/models/reports.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { notFound, parseId } from "~/utils/http.server.ts";
import { messageReportSchema } from "~/utils/message-schemas.server.ts";
import { limitReport, rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";

export const meta = () => [{ title: "Report a message — Unclench" }];
export const ErrorBoundary = RouteErrorBoundary;

/** The message, when it is in the conversation its address names and the member may report it. */
async function reportable(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request);
  const message = await getReportableMessage(user, parseId(params.messageId));
  if (message.conversationId !== parseId(params.conversationId)) notFound("There is no message at this address.");
  return { user, message };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { message } = await reportable(request, params);
  return json({
    message: { id: message.id, conversationId: message.conversationId, author: message.author, subject: message.subject },
    reasons: reportReasonLabels,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, message } = await reportable(request, params);
  const values = await readForm(request);
  const result = validate(messageReportSchema, values);
  if (!result.ok) return json({ errors: result.errors, values, done: null }, { status: 400 });
  const limit = await limitReport(user.id);
  if (!limit.ok) {
    const form = retryMessage(limit.retryAfterSeconds, "You've sent a lot of reports in the last hour.");
    return rateLimited(limit.retryAfterSeconds, { errors: { form } as Record<string, string>, values, done: null });
  }
  const { alreadyReported } = await reportMessage(user, message.id, result.data);
  return json({ errors: {} as Record<string, string>, values, done: { alreadyReported, atRisk: result.data.reason === "at-risk" } });
}

export default function ReportMessage() {
  const { message, reasons } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const back = `/messages/${message.conversationId}#message-${message.id}`;
  if (data?.done) {
    const queued = data.done.alreadyReported
      ? "You've already reported this message. It's in the moderators' queue and will be reviewed."
      : "Your report is in the moderators' queue and will be reviewed.";
    return <ReportThanks done={data.done} queued={queued} back={back} backLabel="Back to the conversation" />;
  }
  const errors: Record<string, string> = data?.errors ?? {};
  return (
    <div className="narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={back}>Back to the conversation</Link>
      </nav>
      <h1>Report a message</h1>
      <p>
        The message from {message.author} in “{message.subject}”.
      </p>
      <p>
        What happens next: a moderator opens this conversation to read it, which is recorded. Everyone in the conversation then sees that a moderator read it
        after a report, and when; nobody is told who reported it, though in a conversation between two people they may guess.
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
          {errors.note ? (
            <p className="field-error" id="note-error">
              {errors.note}
            </p>
          ) : null}
          <textarea
            id="note"
            name="note"
            rows={4}
            maxLength={1000}
            defaultValue={data?.values.note}
            aria-describedby={errors.note ? "note-error" : undefined}
          />
        </div>
        <button type="submit" className="primary">
          Send report
        </button>
      </Form>
    </div>
  );
}
