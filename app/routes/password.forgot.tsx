import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { FormError, TextField } from "~/components/fields.tsx";
import { forgotPasswordSchema, requestPasswordReset } from "~/models/password-reset.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { EMAIL_MAX } from "~/utils/limits.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { siteOrigin } from "~/utils/mail.server.ts";
import { clientIp, limitPasswordReset, tooManyRequests } from "~/utils/rate-limit.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Forgot your password? — Unclench" }];

export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  const kept = { email: values.email ?? "" };
  const result = validate(forgotPasswordSchema, values);
  if (!result.ok) return json({ values: kept, errors: result.errors, sent: false }, { status: 400 });
  const ip = clientIp(request);
  const limit = await limitPasswordReset(result.data.email, ip);
  if (!limit.ok) {
    logEvent("password_reset.limited", { ip }, "warn");
    return tooManyRequests(limit.retryAfterSeconds, kept, "That was a lot of requests for a new password in a short time.");
  }
  // Queued here, sent by the outbox's worker: the answer is the same whether or not the address has an account.
  await requestPasswordReset(result.data.email, siteOrigin());
  return json({ values: kept, errors: {} as Record<string, string>, sent: true });
}

export default function ForgotPassword() {
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  const errors: Record<string, string> = data?.errors ?? {};
  const sent = data && "sent" in data && data.sent;
  return (
    <div className="narrow">
      <h1>Forgot your password?</h1>
      {sent ? (
        <div className="notice" role="status">
          <p>
            <strong>Check your email.</strong> If an account uses <strong>{data.values.email}</strong>, we've sent a link to it for choosing a new password. The
            link works for one hour.
          </p>
          <p>It can take a few minutes to arrive. If it doesn't, look in your spam folder, or check the address and ask again below.</p>
        </div>
      ) : (
        <p>Type the email address you joined with, and we'll send you a link for choosing a new password.</p>
      )}
      <Form method="post" className="stack">
        <FormError message={errors.form} />
        <TextField
          name="email"
          label="Email"
          type="email"
          defaultValue={data?.values.email}
          error={errors.email}
          autoComplete="email"
          required
          maxLength={EMAIL_MAX}
        />
        <button type="submit" className="primary">
          {navigation.state === "submitting" ? "Sending…" : sent ? "Send the link again" : "Send me a link"}
        </button>
      </Form>
      <p>
        Remembered it? <Link to="/login">Log in</Link>
      </p>
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
