import type { ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { resendConfirmation } from "~/models/email-address.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { failed, saved, settingsPageLoader, tooManyEmailLinks } from "~/utils/settings-page.server.ts";

/** "Send the link again": a new confirmation link, to the address waiting for one. Answers like the other settings forms. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const tooMany = await tooManyEmailLinks(user.id);
  if (tooMany) return tooMany;
  const outcome = await resendConfirmation(user);
  if (!outcome.ok) return failed("email", outcome.errors);
  return saved("email", "email-link");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
