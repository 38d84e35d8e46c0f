import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { FormError, NewPasswordField, TextField } from "~/components/fields.tsx";
import { checkResetToken, newPasswordFormSchema, resetPassword, type ResetProblem } from "~/models/password-reset.server.ts";
import { getUser, startSession } from "~/utils/auth.server.ts";
import { passwordToggle, readForm, validate } from "~/utils/forms.server.ts";
import { PASSWORD_MAX } from "~/utils/limits.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { ShowPasswordButton, useShowPassword } from "~/components/show-password.tsx";

export const meta = () => [{ title: "Reset your password — Unclench" }];

const DONE = "/password/reset?done=1";

// The address holds the token: no other site may see it in a Referer, and no cache may keep the
// page. Not "no-referrer": browsers then send `Origin: null` with the form, which the same-origin
// check in app/http.server.ts rightly refuses.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "same-origin", "Cache-Control": "no-store" });

const STATUS: Record<ResetProblem, number> = { unknown: 404, expired: 410, used: 410 };

function invalid(problem: ResetProblem) {
  return json({ state: "invalid" as const, problem, username: "", token: "", errors: {} as Record<string, string> }, { status: STATUS[problem] });
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  if (params.get("done") === "1") {
    // A suspended member gets no session, so they read "log in" rather than "you're logged in".
    return json({ state: "done" as const, signedIn: !!(await getUser(request)) });
  }
  const token = params.get("token") ?? "";
  const check = await checkResetToken(token);
  if (!check.ok) return invalid(check.problem);
  return json({ state: "form" as const, username: check.username, token, errors: {} as Record<string, string> });
}

export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  const token = values.token ?? "";
  const check = await checkResetToken(token);
  if (!check.ok) return invalid(check.problem);
  // Passwords are sent back only when the member asks to see them (Show password without JS).
  const toggled = passwordToggle(values, ["password", "confirm"]);
  if (toggled) return json({ state: "form" as const, username: check.username, token, errors: {} as Record<string, string>, ...toggled });
  const result = validate(newPasswordFormSchema, values);
  if (!result.ok) return json({ state: "form" as const, username: check.username, token, errors: result.errors }, { status: 400 });
  const outcome = await resetPassword(token, result.data.password);
  if (!outcome.ok) return invalid(outcome.problem);
  logEvent("password_reset.done", { userId: outcome.userId, signedIn: outcome.canSignIn });
  if (!outcome.canSignIn) return redirect(DONE);
  // Logged in at once, as after signing up: someone who just proved they hold the mailbox should
  // not have to type the new password a second time.
  return redirect(DONE, { headers: { "Set-Cookie": await startSession(outcome.userId, request) } });
}

const PROBLEM_TEXT: Record<ResetProblem, string> = {
  expired: "This link has run out: links work for one hour after we send them.",
  used: "This link has already been used to choose a new password. Each link works once.",
  unknown:
    "We don't recognise this link. It may be incomplete (some email programs split long links), or a newer link may have replaced it: only the newest one we sent works.",
};

export default function ResetPassword() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const password = useShowPassword(acted);
  // After a submit the answer is the action's.
  const data = acted ?? loaded;

  if (data.state === "done") {
    return (
      <div className="narrow">
        <h1>Your password is changed</h1>
        {data.signedIn ? (
          <p className="notice" role="status">
            You're logged in with your new password. Every other device that was logged in to your account has been logged out.
          </p>
        ) : (
          <p className="notice" role="status">
            You can log in with your new password now. Every device that was logged in to your account has been logged out.
          </p>
        )}
        <p>
          {data.signedIn ? (
            <Link to="/" className="target-link">
              Go to the boards
            </Link>
          ) : (
            <Link to="/login" className="target-link">
              Log in
            </Link>
          )}
        </p>
      </div>
    );
  }

  if (data.state === "invalid") {
    return (
      <div className="narrow">
        <h1>This link doesn't work</h1>
        <p>{PROBLEM_TEXT[data.problem]}</p>
        <p>Your password hasn't changed. You can ask for a new link; it takes a moment.</p>
        <p>
          <Link to="/password/forgot" className="target-link">
            Send me a new link
          </Link>
        </p>
      </div>
    );
  }

  const errors = data.errors;
  return (
    <div className="narrow">
      <h1>Choose a new password</h1>
      <p>
        For the account <strong>{data.username}</strong>. Once it's changed, you'll be logged out everywhere else.
      </p>
      {/* Posts to the link's own address, so that a reload after a mistake shows the form again. */}
      <Form method="post" action={`/password/reset?${new URLSearchParams({ token: data.token })}`} className="stack">
        <FormError message={errors.form} />
        <input type="hidden" name="token" value={data.token} />
        {/* Lets a password manager save the new password under the right account. */}
        <input type="hidden" name="username" value={data.username} autoComplete="username" />
        <NewPasswordField name="password" label="New password" error={errors.password} type={password.type} defaultValue={password.typed("password")} />
        <TextField
          name="confirm"
          label="New password again"
          type={password.type}
          defaultValue={password.typed("confirm")}
          hint="The same again, so a slip of the finger can't lock you out."
          error={errors.confirm}
          autoComplete="new-password"
          required
          maxLength={PASSWORD_MAX}
        />
        <div className="actions">
          <button type="submit" className="primary">
            {navigation.state === "submitting" ? "Saving…" : "Save my new password"}
          </button>
          <ShowPasswordButton shown={password.shown} toggle={password.toggle} />
        </div>
      </Form>
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
