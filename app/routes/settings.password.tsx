import type { ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { changePassword, passwordChangeSchema } from "~/models/settings.server.ts";
import { requireSession } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { failed, saved, settingsPageLoader, tooManyPasswordTries } from "~/utils/settings-page.server.ts";

/**
 * Changes the password and ends the member's other sessions. Without JS a refused change is
 * answered here: the settings page, with the errors (never the passwords).
 */
export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireSession(request);
  const result = validate(passwordChangeSchema, await readForm(request));
  if (!result.ok) return failed("password", result.errors);
  const tooMany = await tooManyPasswordTries("password", user.username);
  if (tooMany) return tooMany;
  const outcome = await changePassword(user, session.id, result.data);
  if (!outcome.ok) return failed("password", outcome.errors);
  return saved("password");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
