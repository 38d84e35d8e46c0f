import type { ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { emailChangeSchema, requestEmailChange } from "~/models/email-address.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { emailLinkNotSent } from "~/utils/rate-limit.server.ts";
import { failed, saved, settingsPageLoader, tooManyEmailLinks, tooManyPasswordTries } from "~/utils/settings-page.server.ts";

/**
 * Asks to change the email address: a link goes to the new one, which takes over once it is
 * opened. Without JS a refused change is answered here: the settings page, with the errors.
 */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  // The password is never sent back to the page.
  const kept = { email: values.email ?? "" };
  const result = validate(emailChangeSchema, values);
  if (!result.ok) return failed("email", result.errors, kept);
  const tooMany = (await tooManyPasswordTries("email", user.username, kept)) ?? (await tooManyEmailLinks(user.id, kept));
  if (tooMany) return tooMany;
  const outcome = await requestEmailChange(user, result.data);
  if (!outcome.ok) {
    await emailLinkNotSent(user.id);
    return failed("email", outcome.errors, kept);
  }
  // The same address, not yet confirmed, gets its link again.
  return saved("email", outcome.changing ? "email" : "email-link");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
