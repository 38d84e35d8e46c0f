import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { prepareSuspensionNotice } from "~/models/appeals.server.ts";
import { finishLogin, loginOptions, relyingParty } from "~/models/passkeys.server.ts";
import { startSession } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { safeRedirect } from "~/utils/http.server.ts";
import { APPEAL_MAX } from "~/utils/limits.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { beginPasskeyLogin, clientIp, limitPasskeyChallenge, passkeyLoginSucceeded, rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";

/**
 * Logging in with a passkey, for the login page's script (JSON in, JSON out): `intent=options` hands
 * out a challenge, `intent=verify` checks the answer and starts the session as the password form
 * does (same suspension notice, same way back), answering where to go next.
 */
export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  const ip = clientIp(request);
  if (values.intent === "options") {
    const limit = await limitPasskeyChallenge(ip);
    if (!limit.ok) return rateLimited(limit.retryAfterSeconds, { error: retryMessage(limit.retryAfterSeconds) });
    return json(await loginOptions(relyingParty(request)));
  }
  if (values.intent !== "verify") return json({ error: "That isn't something this page does." }, { status: 400 });
  const limit = await beginPasskeyLogin(ip);
  if (!limit.ok) {
    logEvent("login.limited", { ip, method: "passkey" }, "warn");
    return rateLimited(limit.retryAfterSeconds, { error: retryMessage(limit.retryAfterSeconds, "That was a lot of login attempts in a short time.") });
  }
  const outcome = await finishLogin(values.challengeId ?? "", values.response ?? "", relyingParty(request));
  if (!outcome.ok) {
    logEvent("login.failure", { ip, method: "passkey", ...("cloned" in outcome ? { counterWentBack: true } : {}) }, "warn");
    return json({ error: outcome.error }, { status: 400 });
  }
  await passkeyLoginSucceeded(ip);
  logEvent("login.success", { userId: outcome.userId, ip, suspended: !!outcome.suspension, method: "passkey" });
  const notice = outcome.suspension ? await prepareSuspensionNotice(outcome.userId) : null;
  if (notice) return json({ suspension: { ...notice, draft: (values.appeal ?? "").slice(0, APPEAL_MAX) } }, { status: 403 });
  return json({ redirectTo: safeRedirect(values.redirectTo) }, { headers: { "Set-Cookie": await startSession(outcome.userId, request) } });
}

export function loader() {
  return redirect("/login");
}
