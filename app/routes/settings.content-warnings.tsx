import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { warningField, type WarningSettingsFailure } from "~/components/settings-content-warnings.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { saveWarningChoices, warningChoicesSchema } from "~/models/content-warnings.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { WARNING_KINDS } from "~/utils/content-warnings.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { settingsPageLoader } from "~/utils/settings-page.server.ts";

/** Saves the content warning choices. Without JS a refused save is answered here: the settings page, choices kept. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  const choices = Object.fromEntries(WARNING_KINDS.map((kind) => [kind, values[warningField(kind)]]));
  const result = validate(warningChoicesSchema, choices);
  if (!result.ok) return json<WarningSettingsFailure>({ section: "content-warnings", errors: result.errors, values: choices }, { status: 400 });
  await saveWarningChoices(user, result.data);
  return redirect("/settings?saved=content-warnings#content-warnings");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
