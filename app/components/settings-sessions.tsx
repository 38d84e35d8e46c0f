import { Form, useNavigation } from "@remix-run/react";
import { FormError } from "~/components/fields.tsx";
import { useSubmitting, settingsFormAction } from "~/components/settings-fields.tsx";
import { Time, useFormatDateTime } from "~/components/time.tsx";
import type { SettingsPageData } from "~/utils/settings-page.server.ts";

type Session = SettingsPageData["sessions"][number];

/** Which session a Log out button is for, for its accessible name: "Firefox on Linux, signed in 3 Nov 2026, 09:12 UTC". */
function sessionName(s: Session, formatDateTime: (value: string) => string) {
  if (s.signedInAt) return `${s.device}, signed in ${formatDateTime(s.signedInAt)}`;
  if (s.lastActiveAt) return `${s.device}, last active ${formatDateTime(s.lastActiveAt)}`;
  return `${s.device}, logged in until ${formatDateTime(s.expiresAt)}`;
}

/**
 * The member's sessions, each but this one with its own Log out, and "Log out everywhere else".
 * Both post to app/routes/settings.sessions.tsx: one session's form names it by its handle.
 */
export function SessionList({ sessions, errors }: { sessions: Session[]; errors: Record<string, string> }) {
  const formatDateTime = useFormatDateTime();
  const navigation = useNavigation();
  const submitting = useSubmitting("sessions");
  const loggingOut = submitting ? navigation.formData?.get("session") : undefined;
  const others = sessions.filter((s) => !s.current).length;
  return (
    <>
      <p className="hint">If you see one you don't recognise, or you used a shared computer, log it out and change your password.</p>
      <FormError message={errors.form} />
      <ul className="session-list">
        {sessions.map((s) => (
          <li key={s.handle} className="session">
            <div className="session-about">
              <p className="session-device">
                <strong>{s.device}</strong>
                {s.current ? <span className="badge">This device</span> : null}
              </p>
              <p className="meta">
                {s.signedInAt ? (
                  <>
                    Signed in <Time value={s.signedInAt} />
                  </>
                ) : (
                  "Sign-in time not recorded"
                )}
                {" · "}
                {s.current ? (
                  "Active now"
                ) : s.lastActiveAt ? (
                  <>
                    Last active <Time value={s.lastActiveAt} />
                  </>
                ) : (
                  "Last active: not recorded yet"
                )}
              </p>
            </div>
            {s.current ? null : (
              <Form method="post" action={settingsFormAction("sessions")}>
                <input type="hidden" name="session" value={s.handle} />
                <button type="submit">
                  {loggingOut === s.handle ? "Logging out…" : "Log out"}
                  <span className="visually-hidden"> {sessionName(s, formatDateTime)}</span>
                </button>
              </Form>
            )}
          </li>
        ))}
      </ul>
      {others > 0 ? (
        <Form method="post" action={settingsFormAction("sessions")}>
          <button type="submit">{submitting && loggingOut == null ? "Logging out…" : "Log out everywhere else"}</button>
        </Form>
      ) : (
        <p>You aren't logged in anywhere else.</p>
      )}
    </>
  );
}
