import { useState } from "react";
import { FormError } from "~/components/fields.tsx";
import { deviceProblem, loadWebAuthn, NETWORK_PROBLEM, noAnswer, postForPasskey, usePasskeySupport } from "~/utils/passkey-browser.ts";

/** A suspended member's notice on the login page, after a password or a passkey proved who they are. */
export type SuspensionNoticeData = {
  member: string;
  reason: string;
  until: string | null;
  appeal: { status: "open" | "granted" | "denied"; createdAt: string; decidedAt: string | null; reply: string | null } | null;
  againFrom: string | null;
  token: string | null;
  draft: string;
};

type Answer = { error?: string; options?: unknown; challengeId?: string; redirectTo?: string; suspension?: SuspensionNoticeData };

const ROUTE = "/login/passkey";

/**
 * "Log in with a passkey", beside the password form, which stays. Shown only once the page's
 * scripts run in a browser that has WebAuthn: without JavaScript there is only the password.
 * The device offers the passkeys it holds for this site, so nothing needs typing.
 */
export function PasskeyLogin({
  redirectTo,
  appeal,
  onSuspended,
}: {
  redirectTo: string;
  appeal?: string;
  onSuspended: (notice: SuspensionNoticeData) => void;
}) {
  const support = usePasskeySupport();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  if (support !== "supported") return null;

  async function logIn() {
    if (busy) return;
    setBusy(true);
    setError(undefined);
    let leaving = false;
    try {
      const first = await postForPasskey<Answer>(ROUTE, { intent: "options" });
      if (!first.data?.options || !first.data.challengeId) {
        setError(first.data?.error ?? noAnswer(first.status));
        return;
      }
      const { startAuthentication } = await loadWebAuthn();
      let response;
      try {
        response = await startAuthentication({ optionsJSON: first.data.options as Parameters<typeof startAuthentication>[0]["optionsJSON"] });
      } catch (problem) {
        setError(deviceProblem(problem, "login"));
        return;
      }
      const fields = { intent: "verify", challengeId: first.data.challengeId, response: JSON.stringify(response), redirectTo, appeal: appeal ?? "" };
      const second = await postForPasskey<Answer>(ROUTE, fields);
      if (second.data?.suspension) return onSuspended(second.data.suspension);
      if (second.status === 200 && second.data?.redirectTo) {
        // A whole new page: the session cookie is set, and every part of the page should know it.
        leaving = true;
        window.location.assign(second.data.redirectTo);
        return;
      }
      setError(second.data?.error ?? noAnswer(second.status));
    } catch {
      setError(NETWORK_PROBLEM);
    } finally {
      if (!leaving) setBusy(false);
    }
  }

  return (
    <div className="passkey-login">
      <p>Or, if you have added a passkey:</p>
      <FormError message={error} />
      <button type="button" className="primary" onClick={() => void logIn()}>
        {busy ? "Waiting for your passkey…" : "Log in with a passkey"}
      </button>
    </div>
  );
}
