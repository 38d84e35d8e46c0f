import type { ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { logOutOtherSessions, logOutSession, sessionHandleSchema } from "~/models/settings.server.ts";
import { requireSession } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { failed, saved, settingsPageLoader } from "~/utils/settings-page.server.ts";

/**
 * Logs out one of the member's other sessions, named by its handle in `session`, or, with no
 * `session` field ("Log out everywhere else"), all of them. Without JS a refusal is answered here.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireSession(request);
  const values = await readForm(request);
  if (values.session === undefined) {
    await logOutOtherSessions(user, session.id);
    logEvent("logout.others", { userId: user.id });
    return saved("sessions");
  }
  const result = validate(sessionHandleSchema, values);
  if (!result.ok) return failed("sessions", { form: result.errors.session ?? "That isn't a session on this page." });
  const outcome = await logOutSession(user, session, result.data.session);
  if (!outcome.ok) return failed("sessions", outcome.errors);
  logEvent("logout.session", { userId: user.id });
  return saved("sessions", "session");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
