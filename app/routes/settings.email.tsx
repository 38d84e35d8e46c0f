import type { ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { changeEmail, emailChangeSchema } from "~/models/settings.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { failed, saved, settingsPageLoader, tooManyPasswordTries } from "~/utils/settings-page.server.ts";

/** Changes the email address. Without JS a refused change is answered here: the settings page, with the errors. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  // The password is never sent back to the page.
  const kept = { email: values.email ?? "" };
  const result = validate(emailChangeSchema, values);
  if (!result.ok) return failed("email", result.errors, kept);
  const tooMany = await tooManyPasswordTries("email", user.username, kept);
  if (tooMany) return tooMany;
  const outcome = await changeEmail(user, result.data);
  if (!outcome.ok) return failed("email", outcome.errors, kept);
  return saved("email");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
