import type { ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { profileSettingsSchema, updateProfileSettings } from "~/models/settings.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { failed, saved, settingsPageLoader } from "~/utils/settings-page.server.ts";

/** Saves the profile form. Without JS a refused save is answered here: the settings page, with the errors. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  const conditionSlugs = Object.keys(values)
    .filter((key) => key.startsWith("condition-") && values[key] === "on")
    .map((key) => key.slice("condition-".length));
  const choices = { bioVisibility: values.bioVisibility, conditionsVisibility: values.conditionsVisibility, joinedVisibility: values.joinedVisibility };
  // The form shows a kept choice only if it is one of the options (keptChoice), so tampering shows nothing odd.
  const kept = { bio: values.bio ?? "", conditions: conditionSlugs, ...choices };
  const result = validate(profileSettingsSchema, { bio: values.bio ?? "", ...choices });
  if (!result.ok) return failed("profile", result.errors, kept);
  await updateProfileSettings(user, { ...result.data, conditionSlugs });
  return saved("profile");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
