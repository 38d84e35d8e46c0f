import type { ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { appearanceSchema, updateAppearance } from "~/models/settings.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { failed, saved, settingsPageLoader } from "~/utils/settings-page.server.ts";

/** Saves the appearance form. Without JS a refused save is answered here: the settings page, with the errors. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  const kept = { theme: values.theme, textSize: values.textSize, reducedMotion: values.reducedMotion === "on", timeZone: values.timeZone ?? "" };
  const result = validate(appearanceSchema, values);
  if (!result.ok) return failed("appearance", result.errors, kept);
  await updateAppearance(user, {
    theme: result.data.theme,
    textSize: result.data.textSize,
    reducedMotion: !!result.data.reducedMotion,
    // Left empty is a choice (UTC), kept apart from "never chosen" (null), which the browser may fill.
    timeZone: result.data.timeZone || "UTC",
  });
  return saved("appearance");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
