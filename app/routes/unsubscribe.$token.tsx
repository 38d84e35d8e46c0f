import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { applyUnsubscribe, checkUnsubscribe, type UnsubscribeProblem } from "~/models/unsubscribe.server.ts";
import { logEvent } from "~/utils/logger.server.ts";

// One-click unsubscribe (docs/decisions/040): no login, the signed link is the proof.
export const meta = () => [{ title: "Stop these emails — Unclench" }];

// The address holds the token: no other site may see it in a Referer, and no cache may keep the page.
export const headers: HeadersFunction = () => ({ "Referrer-Policy": "same-origin", "Cache-Control": "no-store" });

const STATUS: Record<UnsubscribeProblem, number> = { invalid: 404, expired: 410, spent: 410 };

function refused(problem: UnsubscribeProblem, about: string) {
  return json({ state: "invalid" as const, problem, about, token: "" }, { status: STATUS[problem] });
}

const done = (about: string) => ({ state: "done" as const, about, token: "" });

// A GET only shows the button: mail scanners open links by themselves, and must not unsubscribe anyone.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const token = params.token ?? "";
  const result = await checkUnsubscribe(token);
  // After the button: the link is spent, and says what it turned off while those kinds stay off.
  if (new URL(request.url).searchParams.get("done") === "1" && !result.ok && result.problem === "spent" && result.off) return json(done(result.about));
  if (!result.ok) return refused(result.problem, result.about);
  return json({ state: "form" as const, about: result.about, token });
}

/** A mail provider's RFC 8058 one-click POST sends this field; the page's own form does not. */
async function isOneClick(request: Request) {
  try {
    return (await request.formData()).get("List-Unsubscribe") === "One-Click";
  } catch {
    // Any other body still unsubscribes: the link is the proof, not what came with it.
    return false;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const oneClick = await isOneClick(request);
  const result = await applyUnsubscribe(params.token ?? "");
  if (!result.ok) return refused(result.problem, result.about);
  logEvent("mail.unsubscribed", { userId: result.userId, kinds: result.kinds.join(","), oneClick });
  // A provider gets its 200 at once; a member's browser is sent on, so a reload doesn't post again.
  if (oneClick) return json(done(result.about));
  return redirect(`/unsubscribe/${params.token}?done=1`);
}

const PROBLEM_TEXT: Record<UnsubscribeProblem, string> = {
  invalid:
    "This isn't a valid unsubscribe link. It may be incomplete: some email programs split long links. Nothing has changed. Use the link in the email again, or choose in your settings.",
  expired: "This link is more than 90 days old, so it changes nothing. The link in a newer email works, or you can choose in your settings.",
  spent:
    "This link has already been used, or your email settings changed after we sent it, so it changes nothing: your settings stay as they are. Each link works once.",
};

function SettingsLink() {
  return (
    <p>
      <Link to="/settings/notifications" className="target-link">
        Choose how you hear from us (you'll need to log in)
      </Link>
    </p>
  );
}

export default function Unsubscribe() {
  const loaded = useLoaderData<typeof loader>();
  const acted = useActionData<typeof action>();
  const navigation = useNavigation();
  const data = acted ?? loaded;

  if (data.state === "done") {
    return (
      <div className="narrow">
        <h1>These emails are turned off</h1>
        <p className="notice" role="status">
          Turned off: email about {data.about}; you still see them on the site, in your notifications.
        </p>
        <SettingsLink />
      </div>
    );
  }

  if (data.state === "invalid") {
    return (
      <div className="narrow">
        <h1>This link doesn't change anything</h1>
        {data.about ? <p>It was for email about {data.about}.</p> : null}
        <p>{PROBLEM_TEXT[data.problem]}</p>
        <SettingsLink />
      </div>
    );
  }

  return (
    <div className="narrow">
      <h1>Stop these emails?</h1>
      <p>
        This turns off <strong>email about {data.about}</strong>. You'll still see them on the site, in your notifications, and you can turn email back on in
        your settings at any time.
      </p>
      {/* Posts to the link's own address, so that a reload shows this page again. */}
      <Form method="post" action={`/unsubscribe/${data.token}`}>
        <button type="submit" className="primary large">
          {navigation.state === "submitting" ? "Turning off…" : "Turn off these emails"}
        </button>
      </Form>
      <p>Nothing changes unless you press the button.</p>
    </div>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
