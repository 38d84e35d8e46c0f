import type { ActionFunctionArgs } from "@remix-run/node";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { passkeyIdSchema, removePasskey } from "~/models/passkeys.server.ts";
import { requireSession } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { failed, saved, settingsPageLoader } from "~/utils/settings-page.server.ts";

/**
 * Removes one of the member's passkeys, named in `passkey`, and logs them out everywhere else: a
 * plain form, so it works without JavaScript. Adding one is app/routes/settings.passkeys.add.tsx.
 */
export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireSession(request);
  const { passkey } = await readForm(request);
  if (!passkeyIdSchema.safeParse(passkey).success) return failed("passkeys", { form: "That isn't a passkey on this page." });
  const outcome = await removePasskey(user, passkey!, session.id);
  if (!outcome.ok) return failed("passkeys", outcome.errors);
  logEvent("passkey.removed", { userId: user.id });
  return saved("passkeys", "passkey-removed");
}

export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;
export const ErrorBoundary = RouteErrorBoundary;
