import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { z } from "zod";
import { finishRegistration, registrationOptions, relyingParty } from "~/models/passkeys.server.ts";
import { getSession } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { PASSWORD_MAX } from "~/utils/limits.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { tooManyPasswordTries } from "~/utils/settings-page.server.ts";

const passwordSchema = z.object({ password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX, "That is too long.") });

const answer = (errors: Record<string, string>, status = 400) => json({ errors }, { status });

/**
 * Adding a passkey, for the settings page's script (JSON in, JSON out): `intent=options` checks the
 * password and hands out the options and a challenge; `intent=verify` checks the device's answer
 * and keeps the passkey. Without JavaScript the page says adding one needs it.
 */
export async function action({ request }: ActionFunctionArgs) {
  const current = await getSession(request);
  // A script must not be sent to /login mid-way: it says so, and the password stays typed.
  if (!current) return answer({ form: "You've been logged out. Please log in again, then add the passkey." }, 401);
  const { user } = current;
  const values = await readForm(request);
  if (values.intent === "options") {
    const result = validate(passwordSchema, values);
    if (!result.ok) return answer(result.errors);
    const tooMany = await tooManyPasswordTries("passkeys", user.username);
    if (tooMany) return tooMany;
    const outcome = await registrationOptions(user, result.data.password, relyingParty(request));
    if (!outcome.ok) return answer(outcome.errors);
    return json({ options: outcome.options, challengeId: outcome.challengeId });
  }
  if (values.intent === "verify") {
    const outcome = await finishRegistration(user, values.challengeId ?? "", values.response ?? "", request.headers.get("User-Agent"), relyingParty(request));
    if (!outcome.ok) return answer(outcome.errors);
    logEvent("passkey.added", { userId: user.id });
    return json({ ok: true });
  }
  return answer({ form: "That isn't something this page does." });
}

export function loader() {
  return redirect("/settings#passkeys");
}
