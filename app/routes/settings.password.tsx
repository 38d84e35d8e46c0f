import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { changePassword, passwordChangeSchema } from "~/models/settings.server.ts";
import { requireSession } from "~/utils/auth.server.ts";
import { passwordToggle, readForm, validate } from "~/utils/forms.server.ts";
import { failed, saved, settingsPageLoader, tooManyPasswordTries, type SettingsFailure } from "~/utils/settings-page.server.ts";

/**
 * Changes the password and ends the member's other sessions. Without JS a refused change is
 * answered here: the settings page, with the errors (the passwords only after Show password).
 */
export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireSession(request);
  const values = await readForm(request);
  const toggled = passwordToggle(values, ["currentPassword", "newPassword"]);
  if (toggled) return json<SettingsFailure>({ section: "password", errors: {}, values: {}, ...toggled });
  const result = validate(passwordChangeSchema, values);
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
