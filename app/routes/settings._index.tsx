import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { SettingsPage, settingsMeta } from "~/components/settings-page.tsx";
import { settingsPageLoader } from "~/utils/settings-page.server.ts";

// Each form on this page posts to its own route: settings.profile.tsx, settings.appearance.tsx, …
export const meta = settingsMeta;
export const loader = settingsPageLoader;
export default SettingsPage;

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
