import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { FormError, TextField } from "~/components/fields.tsx";
import { deleteAccount } from "~/models/account.server.ts";
import { endSession, getUser, requireUser } from "~/utils/auth.server.ts";
import { deleteAccountSchema } from "~/utils/schemas.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { PASSWORD_MAX } from "~/utils/limits.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { consume, limiters, tooManyRequests } from "~/utils/rate-limit.server.ts";
import styles from "~/styles/safety.css";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const links = () => [{ rel: "stylesheet", href: styles }];

export const meta: MetaFunction = () => [{ title: "Delete your account — Unclench" }];

const DONE = "/settings/delete-account?done=1";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  // After deleting, the member is logged out and lands here once more to read the goodbye.
  if (!user && new URL(request.url).searchParams.get("done") === "1") return json({ done: true });
  if (!user) await requireUser(request);
  return json({ done: false });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  // The password is never sent back; the choice is.
  const kept = { posts: values.posts ?? "" };
  const result = validate(deleteAccountSchema, values);
  if (!result.ok) return json({ values: kept, errors: result.errors }, { status: 400 });
  // Same allowance as failed logins for this account: a borrowed session can't guess the password.
  const limit = await consume(limiters.loginByAccount, user.username);
  if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds, kept, "That was a lot of password tries in a short time.");
  const deleted = await deleteAccount(user, { password: result.data.password, keepPosts: result.data.posts === "keep" });
  if (!deleted.ok) return json({ values: kept, errors: deleted.errors }, { status: 400 });
  logEvent("account.deleted", { userId: user.id, keptPosts: result.data.posts === "keep" });
  return redirect(DONE, { headers: { "Set-Cookie": await endSession(request) } });
}

export default function DeleteAccount() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  if (data.done) {
    return (
      <div className="narrow">
        <h1>Your account is deleted</h1>
        <p>You have been logged out everywhere. Thank you for being part of Unclench. Take good care of yourself.</p>
        <p>
          <Link to="/" className="target-link">
            Back to the boards
          </Link>
        </p>
      </div>
    );
  }
  const errors: Record<string, string> = actionData?.errors ?? {};
  const choice = actionData?.values.posts || "keep";
  const busy = navigation.state === "submitting";
  return (
    <div className="narrow">
      <h1>Delete your account</h1>
      <p>Deleting your account can't be undone. When you delete it:</p>
      <ul>
        <li>you are logged out on every device;</li>
        <li>your email address, password, bio and settings are erased;</li>
        <li>your name is replaced by “deleted-member” and a number, so nobody can tell who you were.</li>
      </ul>
      <h2>Keep a copy first</h2>
      <p>Your profile, posts, private messages, reactions, reports and settings, as one file you can keep.</p>
      <p>
        {/* A plain link: the download is a file, not a page. */}
        <a href="/settings/export" className="button" download>
          Download my data (JSON)
        </a>
      </p>
      <h2>Delete</h2>
      <Form method="post" className="danger-zone">
        <FormError message={errors.form} />
        <fieldset className="choices" aria-describedby={errors.posts ? "posts-error" : undefined}>
          <legend>What should happen to your posts and private messages?</legend>
          {errors.posts ? (
            <p className="field-error" id="posts-error">
              {errors.posts}
            </p>
          ) : null}
          <label className="choice">
            <input type="radio" name="posts" value="keep" defaultChecked={choice === "keep"} />
            <span>
              <strong>Keep them</strong>, without my name. Conversations others replied to still make sense.
            </span>
          </label>
          <label className="choice">
            <input type="radio" name="posts" value="remove" defaultChecked={choice === "remove"} />
            <span>
              <strong>Remove them.</strong> Their words are erased and each shows as deleted by its author. Other members' replies stay.
            </span>
          </label>
        </fieldset>
        <TextField
          name="password"
          label="Your password"
          type="password"
          hint="To make sure it's really you."
          error={errors.password}
          autoComplete="current-password"
          required
          maxLength={PASSWORD_MAX}
        />
        {/* The safe choice first, and as big as the one that can't be undone. */}
        <div className="actions">
          <Link to="/settings" className="button primary">
            Keep my account and go back to settings
          </Link>
          <button type="submit">{busy ? "Deleting your account…" : "Delete my account"}</button>
        </div>
      </Form>
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
