import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { checkConfirmation, confirmEmail, type ConfirmProblem } from "~/models/email-address.server.ts";
import { getUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { logEvent } from "~/utils/logger.server.ts";

export const meta = () => [{ title: "Confirm your email address — Unclench" }];

const DONE = "/email/confirm?done=1";

// The address holds the token: no other site may see it in a Referer, and no cache may keep the
// page (as for the password reset link; "same-origin" keeps the form's Origin header).
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "same-origin", "Cache-Control": "no-store" });

const STATUS: Record<ConfirmProblem, number> = { unknown: 404, expired: 410, used: 410, taken: 409 };

function invalid(problem: ConfirmProblem) {
  return json({ state: "invalid" as const, problem, token: "", username: "", address: "" }, { status: STATUS[problem] });
}

// A GET only shows the button: mail scanners open links by themselves, and must not confirm anything.
export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  if (params.get("done") === "1") return json({ state: "done" as const, signedIn: !!(await getUser(request)) });
  const token = params.get("token") ?? "";
  const check = await checkConfirmation(token);
  if (!check.ok) return invalid(check.problem);
  return json({ state: "form" as const, token, username: check.username, address: check.address });
}

export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  const outcome = await confirmEmail(values.token ?? "");
  if (!outcome.ok) return invalid(outcome.problem);
  logEvent("email.confirmed", { userId: outcome.userId, changed: outcome.changed });
  return redirect(DONE);
}

const PROBLEM_TEXT: Record<ConfirmProblem, string> = {
  expired: "This link has run out: links work for 48 hours after we send them.",
  used: "This link has already been used, so the address is confirmed. Each link works once.",
  taken: "Another account uses this address now, so it can't be confirmed for yours.",
  unknown:
    "We don't recognise this link. It may be incomplete (some email programs split long links), or a newer link may have replaced it: only the newest one we sent works.",
};

export default function ConfirmEmail() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  // After a refused confirmation the answer is the action's.
  const data = acted ?? loaded;

  if (data.state === "done") {
    return (
      <div className="narrow">
        <h1>Your email address is confirmed</h1>
        <p className="notice" role="status">
          Thank you. We'll use this address from now on, and notifications you choose can be sent to it.
        </p>
        <p>
          <Link to={data.signedIn ? "/settings#email" : "/login"} className="target-link">
            {data.signedIn ? "Back to your settings" : "Log in"}
          </Link>
        </p>
      </div>
    );
  }

  if (data.state === "invalid") {
    return (
      <div className="narrow">
        <h1>This link doesn't work</h1>
        <p>{PROBLEM_TEXT[data.problem]}</p>
        {data.problem === "used" ? null : (
          <p>
            Nothing has changed. To get a new link, log in and choose “Send the link again” under <Link to="/settings#email">Settings › Email address</Link>.
          </p>
        )}
      </div>
    );
  }

  return (
    <div className="narrow">
      <h1>Confirm your email address</h1>
      <p>
        Is <strong>{data.address}</strong> the email address of the Unclench account <strong>{data.username}</strong>? Press the button to confirm it.
      </p>
      {/* Posts to the link's own address, so that a reload shows this page again. */}
      <Form method="post" action={`/email/confirm?${new URLSearchParams({ token: data.token })}`}>
        <input type="hidden" name="token" value={data.token} />
        <button type="submit" className="primary">
          {navigation.state === "submitting" ? "Confirming…" : "Yes, confirm this address"}
        </button>
      </Form>
      <p>If this isn't your address or your account, close this page: nothing changes unless you press the button.</p>
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
