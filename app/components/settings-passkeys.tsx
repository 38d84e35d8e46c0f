import { Form, useLocation, useNavigate, useNavigation } from "@remix-run/react";
import { useState, type FormEvent } from "react";
import { FormError } from "~/components/fields.tsx";
import { CurrentPasswordField, settingsFormAction, useSubmitting } from "~/components/settings-fields.tsx";
import { Time, useFormatDateTime } from "~/components/time.tsx";
import { deviceProblem, loadWebAuthn, NETWORK_PROBLEM, noAnswer, postForPasskey, usePasskeySupport } from "~/utils/passkey-browser.ts";
import type { SettingsPageData } from "~/utils/settings-page.server.ts";

type Passkey = SettingsPageData["passkeys"][number];
type Answer = { errors?: Record<string, string>; options?: unknown; challengeId?: string; ok?: boolean };

const ADD_ROUTE = "/settings/passkeys/add";

/**
 * The member's passkeys, each with its own Remove (a plain form: app/routes/settings.passkeys.tsx),
 * and adding one, which needs the browser's WebAuthn and so JavaScript.
 */
export function PasskeyList({ passkeys, errors }: { passkeys: Passkey[]; errors: Record<string, string> }) {
  const formatDateTime = useFormatDateTime();
  const navigation = useNavigation();
  const removing = useSubmitting("passkeys") ? navigation.formData?.get("passkey") : undefined;
  const location = useLocation();
  return (
    <>
      <p className="hint">
        A passkey lets you log in with your device's fingerprint, face or screen lock instead of typing your password. Your password keeps working too.
      </p>
      <FormError message={errors.form} />
      {passkeys.length > 0 ? (
        <ul className="session-list">
          {passkeys.map((p) => (
            <li key={p.id} className="session">
              <div className="session-about">
                <p className="session-device">
                  <strong>{p.name}</strong>
                </p>
                <p className="meta">
                  Added <Time value={p.createdAt} />
                  {" · "}
                  {p.lastUsedAt ? (
                    <>
                      Last used <Time value={p.lastUsedAt} />
                    </>
                  ) : (
                    "Not used yet"
                  )}
                </p>
              </div>
              <Form method="post" action={settingsFormAction("passkeys")}>
                <input type="hidden" name="passkey" value={p.id} />
                <button type="submit">
                  {removing === p.id ? "Removing…" : "Remove"}
                  <span className="visually-hidden">
                    {" "}
                    passkey {p.name}, added {formatDateTime(p.createdAt)}
                  </span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      ) : (
        <p>You have no passkeys yet.</p>
      )}
      {passkeys.length > 0 ? <p className="hint">Removing a passkey also logs you out on every other device.</p> : null}
      <h3>Add a passkey</h3>
      <AddPasskey key={location.key} />
    </>
  );
}

/**
 * Asks for the password (the server checks it before handing out a challenge), lets the device
 * make the passkey, and sends its answer back. A refusal keeps the typed password in its field.
 */
function AddPasskey() {
  const support = usePasskeySupport();
  const navigate = useNavigate();
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  if (support === "unknown") {
    return <p>Adding a passkey needs JavaScript, which isn't running on this page. You can keep logging in with your password.</p>;
  }
  if (support === "unsupported") {
    return <p>This browser can't use passkeys. You can keep logging in with your password.</p>;
  }

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (busy) return;
    const password = String(new FormData(event.currentTarget).get("password") ?? "");
    setBusy(true);
    setErrors({});
    try {
      const first = await postForPasskey<Answer>(ADD_ROUTE, { intent: "options", password });
      if (!first.data?.options || !first.data.challengeId) {
        setErrors(first.data?.errors ?? { form: noAnswer(first.status) });
        return;
      }
      const { startRegistration } = await loadWebAuthn();
      let response;
      try {
        response = await startRegistration({ optionsJSON: first.data.options as Parameters<typeof startRegistration>[0]["optionsJSON"] });
      } catch (error) {
        setErrors({ form: deviceProblem(error, "add") });
        return;
      }
      const second = await postForPasskey<Answer>(ADD_ROUTE, { intent: "verify", challengeId: first.data.challengeId, response: JSON.stringify(response) });
      if (!second.data?.ok) {
        setErrors(second.data?.errors ?? { form: noAnswer(second.status) });
        return;
      }
      // A new location shows the list with the new passkey and its note, and clears the password.
      navigate("/settings?saved=passkeys#passkeys");
    } catch {
      setErrors({ form: NETWORK_PROBLEM });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form method="post" action={ADD_ROUTE} className="stack narrow" onSubmit={(event) => void add(event)}>
      <FormError message={errors.form} />
      <CurrentPasswordField name="password" id="passkey-password" label="Your password" error={errors.password} />
      <div className="actions">
        <button type="submit" className="primary" aria-disabled={busy || undefined}>
          {busy ? "Waiting for your device…" : "Add a passkey"}
        </button>
      </div>
      <p className="hint">
        Your device will ask for your fingerprint, face or screen lock. The passkey stays on the device; Unclench only keeps its public half.
      </p>
    </form>
  );
}
