import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { AppealForm } from "~/components/appeal-form.tsx";
import { TextArea, TextField } from "~/components/fields.tsx";
import { Time } from "~/components/time.tsx";
import { submitAppeal } from "~/models/appeals.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { APPEAL_MAX } from "~/utils/limits.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { clientIp, limitAppeal, rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";
import { appealSchema } from "~/utils/schemas.server.ts";
import { useForgetSentText } from "~/utils/kept-on-device.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Request for review — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  return json({ sent: new URL(request.url).searchParams.has("sent") });
}

type Problem = "invalid" | "token" | "lifted" | "open" | "too-soon";

/**
 * Every refusal has one shape: what went wrong, the member's text (always given back), and the
 * token when it is still good, so the same form can be sent again; with it `member`, under which
 * the browser keeps the text (see AppealForm).
 */
type Extra = { errors?: Record<string, string>; token?: string; member?: string; date?: Date };

function refusal(problem: Problem, text: string, extra: Extra = {}) {
  return { problem, text, errors: extra.errors ?? {}, token: extra.token ?? null, member: extra.member ?? null, date: extra.date?.toISOString() ?? null };
}

function refuse(status: number, problem: Problem, text: string, extra: Extra = {}) {
  return json(refusal(problem, text, extra), { status });
}

export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  const text = values.appeal ?? "";
  const result = validate(appealSchema, values);
  if (!result.ok) {
    // Without a well-formed token no form can work: the member logs in again for a fresh one.
    if (result.errors.token) return refuse(403, "token", text);
    return refuse(400, "invalid", text, { errors: result.errors, token: values.token, member: values.member });
  }
  const ip = clientIp(request);
  const limit = await limitAppeal(ip);
  if (!limit.ok) {
    logEvent("appeal.limited", { ip }, "warn");
    return rateLimited(
      limit.retryAfterSeconds,
      refusal("invalid", text, { errors: { form: retryMessage(limit.retryAfterSeconds) }, token: result.data.token, member: values.member }),
    );
  }
  const outcome = await submitAppeal(result.data.token, result.data.appeal);
  if (outcome.ok) {
    logEvent("appeal.sent", { appealId: outcome.appealId });
    return redirect("/appeal?sent=1");
  }
  switch (outcome.problem) {
    case "token":
      return refuse(403, "token", text);
    case "lifted":
      return refuse(409, "lifted", text);
    case "open":
      return refuse(409, "open", text, { date: outcome.receivedAt });
    case "too-soon":
      return refuse(409, "too-soon", text, { date: outcome.againFrom });
  }
}

/** What the member wrote, shown back when it could not be sent, so it is never silently lost. */
function NotSent({ text }: { text: string }) {
  if (!text.trim()) return null;
  return (
    <>
      <h2>What you wrote (not sent)</h2>
      <p className="quoted">{text}</p>
    </>
  );
}

export default function Appeal() {
  const { sent } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  // Sent, or nothing left to ask: the copy kept in the browser while it was written can go.
  useForgetSentText(sent || data?.problem === "lifted");

  if (data?.problem === "invalid" && data.token) {
    return (
      <div className="narrow">
        <h1>Ask for a review</h1>
        <AppealForm token={data.token} member={data.member} text={data.text} error={data.errors.appeal} formError={data.errors.form} />
      </div>
    );
  }
  if (data?.problem === "token" || data?.problem === "invalid") {
    return (
      <div className="narrow">
        <h1>This form has expired</h1>
        <p className="form-error" role="alert">
          The form on your suspension notice works once, for one hour, and this one can't be used any more. Log in again to get a fresh form: what you wrote is
          kept below and will be in it, ready to send.
        </p>
        <Form method="post" action="/login" className="stack">
          <TextField name="identifier" label="Username or email" autoComplete="username" autoCapitalize="none" spellCheck={false} required />
          <TextField name="password" label="Password" type="password" autoComplete="current-password" required />
          <TextArea name="appeal" label="Your request for review" rows={8} maxLength={APPEAL_MAX} defaultValue={data.text} />
          <button type="submit" className="primary">
            Log in
          </button>
        </Form>
      </div>
    );
  }
  if (data?.problem === "lifted") {
    return (
      <div className="narrow">
        <h1>Your suspension has ended</h1>
        <p>There is nothing left to review: you can log in as usual.</p>
        <p>
          <Link to="/login" className="target-link">
            Log in
          </Link>
        </p>
      </div>
    );
  }
  if (data?.problem === "open" || data?.problem === "too-soon") {
    return (
      <div className="narrow">
        <h1>{data.problem === "open" ? "We already have your request" : "You can't ask again yet"}</h1>
        {data.problem === "open" ? (
          <p>
            We received your request for review on <Time value={data.date!} />. It is waiting for a moderator; their answer will be on your suspension notice
            the next time you log in.
          </p>
        ) : (
          <p>
            A moderator answered your last request recently. You can ask for another review from <Time value={data.date!} />.
          </p>
        )}
        <NotSent text={data.text} />
      </div>
    );
  }
  if (sent) {
    return (
      <div className="narrow">
        <h1>Your request is in</h1>
        <p className="notice" role="status">
          Thank you. A moderator will read your request and answer it. Log in again later to see their answer on your suspension notice.
        </p>
        <p>Until then, you can still read the forum without logging in.</p>
        <p>
          <Link to="/" className="target-link">
            Go to the forum
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Ask for a review</h1>
      <p>If your account is suspended, log in: your suspension notice has the form to ask a moderator for a review.</p>
      <p>
        <Link to="/login" className="target-link">
          Log in
        </Link>
      </p>
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
