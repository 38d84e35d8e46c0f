import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { FormError, NewPasswordField, TextField } from "~/components/fields.tsx";
import { Honeypot } from "~/components/honeypot.tsx";
import { createUser } from "~/models/users.server.ts";
import { getUser, startSession } from "~/utils/auth.server.ts";
import { passwordToggle, readForm, validate } from "~/utils/forms.server.ts";
import { safeRedirect } from "~/utils/http.server.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { clientIp, limitSignup, tooManyRequests } from "~/utils/rate-limit.server.ts";
import { isHoneypotFilled } from "~/utils/safety.server.ts";
import { USERNAME_MAX } from "~/utils/limits.ts";
import { signupSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { ShowPasswordButton, useShowPassword } from "~/components/show-password.tsx";
import { welcomeHref } from "~/utils/welcome.ts";

export const meta = () => [{ title: "Sign up — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) throw redirect("/");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  // The password is sent back only when the member asks to see it (Show password without JS).
  const kept = { username: values.username ?? "", email: values.email ?? "" };
  const toggled = passwordToggle(values, ["password"]);
  if (toggled) return json({ values: kept, errors: {} as Record<string, string>, ...toggled });
  if (isHoneypotFilled(values)) {
    logEvent("signup.honeypot", { ip: clientIp(request) }, "warn");
    return json({ values: kept, errors: { form: "We couldn't create your account. Please try again." } as Record<string, string> }, { status: 400 });
  }
  const result = validate(signupSchema, values);
  if (!result.ok) return json({ values: kept, errors: result.errors }, { status: 400 });
  const limit = await limitSignup(clientIp(request));
  if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds, kept, "A lot of accounts were made from your network in the last hour.");
  const created = await createUser(result.data);
  if (!created.ok) return json({ values: kept, errors: created.errors }, { status: 400 });
  logEvent("signup", { userId: created.user.id, ip: clientIp(request) });
  // A welcome first (text size, theme, time zone, where to start), then on to where they were.
  return redirect(welcomeHref(safeRedirect(values.redirectTo)), { headers: { "Set-Cookie": await startSession(created.user.id, request) } });
}

export default function Signup() {
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const errors: Record<string, string> = data?.errors ?? {};
  const password = useShowPassword(data);
  return (
    <div className="narrow">
      <h1>Join Unclench</h1>
      <p>Your username is shown on your posts. Your email is never shown to anyone.</p>
      <Form method="post" className="stack">
        <FormError message={errors.form} />
        <Honeypot />
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
        <TextField
          name="username"
          label="Username"
          hint={`3–${USERNAME_MAX} characters: letters a–z, numbers, _ and -.`}
          defaultValue={data?.values.username}
          error={errors.username}
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          maxLength={USERNAME_MAX}
        />
        <TextField name="email" label="Email" type="email" defaultValue={data?.values.email} error={errors.email} autoComplete="email" required />
        <NewPasswordField name="password" label="Password" error={errors.password} type={password.type} defaultValue={password.typed("password")} />
        <div className="actions">
          <button type="submit" className="primary">
            Create account
          </button>
          <ShowPasswordButton shown={password.shown} toggle={password.toggle} />
        </div>
      </Form>
      <p>
        Already a member? <Link to={`/login${params.size ? `?${params}` : ""}`}>Log in</Link>
      </p>
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
