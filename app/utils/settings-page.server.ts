import type { LoaderFunctionArgs, SerializeFrom } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { getEmailStatus } from "~/models/email-address.server.ts";
import { getMailNotice } from "~/models/mail-events.server.ts";
import { listPasskeys } from "~/models/passkeys.server.ts";
import { getWarningChoices } from "~/models/content-warnings.server.ts";
import { BIO_MAX, getSettings, listSessions } from "~/models/settings.server.ts";
import { requireSession } from "./auth.server.ts";
import { consume, limitEmailLinks, limiters, rateLimited, retryMessage } from "./rate-limit.server.ts";

/**
 * The settings page's forms each post to their own route (/settings/profile, /settings/appearance, …).
 * Without JavaScript a refused save is answered at that route's URL, so each of them shows the whole
 * settings page too: same loader, same component (`app/components/settings-page.tsx`).
 */
export async function settingsPageLoader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireSession(request);
  // BIO_MAX travels in the data: constants from a .server module don't exist in the browser bundle.
  const [settings, sessions, passkeys, email, mailNotice] = await Promise.all([
    getSettings(user),
    listSessions(user, session.id),
    listPasskeys(user),
    getEmailStatus(user),
    getMailNotice(user.id),
  ]);
  return json({
    settings,
    email,
    mailNotice,
    sessions,
    passkeys,
    warningChoices: await getWarningChoices(user),
    bioMax: BIO_MAX,
    timeZones: Intl.supportedValuesOf("timeZone"),
  });
}

/** The page's data as the browser gets it. */
export type SettingsPageData = SerializeFrom<typeof settingsPageLoader>;

export type SettingsSection = "profile" | "appearance" | "email" | "password" | "sessions" | "passkeys";
/**
 * What a `?saved=` note can be about: a section, one session logged out (in "sessions"), a passkey
 * removed (in "passkeys"), a confirmation link sent again (in "email").
 */
export type SettingsSaved = SettingsSection | "session" | "passkey-removed" | "email-link";

/**
 * What a member chose or typed, sent back with a 4xx so the form shows it again: a failed save
 * must not undo their choices. Passwords are never sent back.
 */
export type Kept = {
  bio?: string;
  conditions?: string[];
  bioVisibility?: string;
  conditionsVisibility?: string;
  joinedVisibility?: string;
  email?: string;
  theme?: string;
  textSize?: string;
  reducedMotion?: boolean;
  timeZone?: string;
};

/**
 * A refused save, as every settings form's action answers it; also a Show password press without
 * JavaScript (`showPassword`, and what was typed in `typed`: passwordToggle in forms.server.ts).
 */
export type SettingsFailure = {
  section: SettingsSection;
  errors: Record<string, string>;
  values: Kept;
  showPassword?: boolean;
  typed?: Record<string, string>;
};

export function failed(section: SettingsSection, errors: Record<string, string>, values: Kept = {}) {
  return json<SettingsFailure>({ section, errors, values }, { status: 400 });
}

/**
 * Password checks share the account's failed-login allowance, so a borrowed session can't be
 * used to guess the password here instead of at /login.
 */
export async function tooManyPasswordTries(section: SettingsSection, username: string, values: Kept = {}) {
  const limit = await consume(limiters.loginByAccount, username);
  if (limit.ok) return null;
  const form = retryMessage(limit.retryAfterSeconds, "That was a lot of password tries in a short time.");
  return rateLimited<SettingsFailure>(limit.retryAfterSeconds, { section, errors: { form }, values });
}

/** Emails with a confirmation link, which a member's change or "send the link again" queues. */
export async function tooManyEmailLinks(userId: number, values: Kept = {}) {
  const limit = await limitEmailLinks(userId);
  if (limit.ok) return null;
  const form = retryMessage(limit.retryAfterSeconds, "We've sent a lot of confirmation links in the last hour.");
  return rateLimited<SettingsFailure>(limit.retryAfterSeconds, { section: "email", errors: { form }, values });
}

/** Back to the settings page, opened at the section with its "saved" note. */
export function saved(section: SettingsSection, note: SettingsSaved = section) {
  return redirect(`/settings?saved=${note}#${section}`);
}
