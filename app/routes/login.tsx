import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { Link } from "~/components/link.tsx";
import { AppealForm } from "~/components/appeal-form.tsx";
import { FormError, TextArea, TextField } from "~/components/fields.tsx";
import { Time } from "~/components/time.tsx";
import { prepareSuspensionNotice } from "~/models/appeals.server.ts";
import { verifyLogin } from "~/models/users.server.ts";
import { getUser, startSession } from "~/utils/auth.server.ts";
import { passwordToggle, readForm, validate } from "~/utils/forms.server.ts";
import { safeRedirect } from "~/utils/http.server.ts";
import { APPEAL_MAX } from "~/utils/limits.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { beginLoginAttempt, clientIp, loginSucceeded, rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";
import { loginSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { ShowPasswordButton, useShowPassword } from "~/components/show-password.tsx";
import { PasskeyLogin, type SuspensionNoticeData } from "~/components/passkey-login.tsx";

export const meta = () => [{ title: "Log in — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = new URL(request.url).searchParams.get("redirectTo");
  if (await getUser(request)) throw redirect(safeRedirect(redirectTo));
  return json({ keptText: carriesKeptText(redirectTo) });
}

/**
 * Whether the way back carries a kept-text token (`?restore=`, see requireUserOrKeepText in
 * composer.server.ts): then a session ended mid-post and the login page says the words are safe.
 * Only the wording depends on it; the page it leads back to claims and checks the token.
 */
function carriesKeptText(redirectTo: string | null) {
  const path = safeRedirect(redirectTo, "");
  if (!path) return false;
  const token = new URL(path, "http://unclench.invalid").searchParams.get("restore");
  return !!token && /^[A-Za-z0-9_-]{10,100}$/.test(token);
}

export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  // `appeal` comes from /appeal when its form had expired: the request for review the member
  // wrote, carried through logging in again into the fresh form on their notice.
  const kept = { identifier: values.identifier ?? "", appeal: (values.appeal ?? "").slice(0, APPEAL_MAX) };
  const none = null as (NonNullable<Awaited<ReturnType<typeof prepareSuspensionNotice>>> & { draft: string }) | null;
  const toggled = passwordToggle(values, ["password"]);
  if (toggled) return json({ values: kept, errors: {} as Record<string, string>, suspension: none, ...toggled });
  const result = validate(loginSchema, values);
  if (!result.ok) return json({ values: kept, errors: result.errors, suspension: none }, { status: 400 });
  const ip = clientIp(request);
  const limit = await beginLoginAttempt(result.data.identifier, ip);
  if (!limit.ok) {
    logEvent("login.limited", { ip }, "warn");
    return rateLimited(limit.retryAfterSeconds, {
      values: kept,
      errors: { form: retryMessage(limit.retryAfterSeconds, "That was a lot of login attempts in a short time.") } as Record<string, string>,
      suspension: none,
    });
  }
  const user = await verifyLogin(result.data.identifier, result.data.password);
  if (!user) {
    logEvent("login.failure", { ip }, "warn");
    // One message whether or not the account exists.
    return json(
      { values: kept, errors: { form: "That username or email and password don't match. Please try again." } as Record<string, string>, suspension: none },
      { status: 400 },
    );
  }
  await loginSucceeded(result.data.identifier, ip);
  logEvent("login.success", { userId: user.id, ip, suspended: !!user.suspension });
  // Null when the suspension ended a moment ago: then the member simply logs in.
  const notice = user.suspension ? await prepareSuspensionNotice(user.id) : null;
  if (notice) {
    return json({ values: kept, errors: {} as Record<string, string>, suspension: { ...notice, draft: kept.appeal } }, { status: 403 });
  }
  return redirect(safeRedirect(values.redirectTo), { headers: { "Set-Cookie": await startSession(user.id, request) } });
}

type Notice = SuspensionNoticeData;

function SuspensionNotice({ notice }: { notice: Notice }) {
  const { reason, until, appeal } = notice;
  return (
    <div className="narrow">
      <h1>Your account is suspended</h1>
      <p>
        A moderator has suspended your account{" "}
        {until ? (
          <>
            until <Time value={until} />
          </>
        ) : (
          "permanently"
        )}
        .
      </p>
      <p>
        <strong>Reason:</strong> {reason}
      </p>
      {appeal?.status === "open" ? (
        <p className="notice">
          We received your request for review on <Time value={appeal.createdAt} />. It is waiting for a moderator; their answer will be here the next time you
          log in.
        </p>
      ) : null}
      {appeal?.status === "denied" ? (
        <div className="notice">
          <p>
            Your request for review on <Time value={appeal.createdAt} /> was reviewed: the suspension stays.
          </p>
          <p>
            <strong>Moderator's reply:</strong> {appeal.reply}
          </p>
          {notice.againFrom ? (
            <p>
              You can ask for another review from <Time value={notice.againFrom} />.
            </p>
          ) : null}
        </div>
      ) : null}
      {notice.token ? (
        <section aria-labelledby="appeal-heading">
          <h2 id="appeal-heading">{appeal?.status === "denied" ? "Ask for another review" : "Ask for a review"}</h2>
          <p>If you think the suspension should end, you can ask a moderator to look at it again.</p>
          <AppealForm token={notice.token} member={notice.member} text={notice.draft} />
        </section>
      ) : null}
      <p>
        You can still read the forum without logging in. Every moderator action is listed, without names, in the{" "}
        <Link to="/transparency">transparency log</Link>.
      </p>
    </div>
  );
}

export default function Login() {
  const { keptText } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string> = data?.errors ?? {};
  const password = useShowPassword(data);
  // A suspended member who logged in with a passkey gets the same notice as with the password.
  const [passkeyNotice, setPasskeyNotice] = useState<Notice | null>(null);
  const suspension = data?.suspension ?? passkeyNotice;
  if (suspension) {
    return <SuspensionNotice notice={suspension} />;
  }
  return (
    <div className="narrow">
      <h1>Log in</h1>
      {keptText ? (
        <p className="notice">
          <strong>What you wrote is safe.</strong> You were logged out before it was sent, so we kept it. It will be back, ready to post, after you log in.
        </p>
      ) : null}
      <Form method="post" className="stack">
        <FormError message={errors.form} />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField
          name="identifier"
          label="Username or email"
          defaultValue={data?.values.identifier}
          error={errors.identifier}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
        />
        <TextField
          name="password"
          label="Password"
          type={password.type}
          defaultValue={password.typed("password")}
          error={errors.password}
          autoComplete="current-password"
          required
        />
        <p>
          <Link to="/password/forgot" className="target-link">
            Forgot your password?
          </Link>
        </p>
        {data?.values.appeal ? (
          <TextArea
            name="appeal"
            label="Your request for review"
            hint="Kept while you log in: it will be in the form on your suspension notice, ready to send."
            rows={6}
            maxLength={APPEAL_MAX}
            defaultValue={data.values.appeal}
          />
        ) : null}
        <div className="actions">
          <button type="submit" className="primary">
            Log in
          </button>
          <ShowPasswordButton shown={password.shown} toggle={password.toggle} />
        </div>
      </Form>
      <PasskeyLogin redirectTo={params.get("redirectTo") ?? "/"} appeal={data?.values.appeal} onSuspended={setPasskeyNotice} />
      <p>
        New here? <Link to={`/signup${params.size ? `?${params}` : ""}`}>Create an account</Link>
      </p>
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
