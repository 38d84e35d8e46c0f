import { useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import type { ReactNode } from "react";
import { Link } from "~/components/link.tsx";
import { AppearanceForm } from "~/components/settings-appearance.tsx";
import { ContentWarningSettings } from "~/components/settings-content-warnings.tsx";
import { MailNotice } from "~/components/mail-notice.tsx";
import { EmailForm } from "~/components/settings-email.tsx";
import { PasswordForm } from "~/components/settings-password.tsx";
import { ProfileForm } from "~/components/settings-profile.tsx";
import { settingsRoute } from "~/components/settings-fields.tsx";
import { PasskeyList } from "~/components/settings-passkeys.tsx";
import { SessionList } from "~/components/settings-sessions.tsx";
import type { Kept, SettingsFailure, SettingsPageData, SettingsSaved, SettingsSection } from "~/utils/settings-page.server.ts";

export const settingsMeta = () => [{ title: "Settings — Unclench" }];

const savedMessages: Record<SettingsSaved, string> = {
  profile: "Your profile is saved.",
  appearance: "Your appearance settings are saved.",
  email: "We've sent a link to your new address. Your email changes once you open it.",
  "email-link": "We've sent the link again. It can take a few minutes to arrive.",
  password: "Your password is changed, and you have been logged out on every other device.",
  sessions: "You have been logged out everywhere else.",
  session: "That session is logged out. Whoever uses it will have to log in again.",
  passkeys: "Your passkey is added. Next time, you can choose “Log in with a passkey”.",
  "passkey-removed": "The passkey is removed, and you have been logged out on every other device.",
};

const isSaved = (value: string | null): value is SettingsSaved => value !== null && Object.hasOwn(savedMessages, value);
const noteSections: Partial<Record<SettingsSaved, SettingsSection>> = { session: "sessions", "passkey-removed": "passkeys", "email-link": "email" };
const sectionOf = (saved: SettingsSaved): SettingsSection => noteSections[saved] ?? (saved as SettingsSection);

function SettingsSectionCard({ id, title, children }: { id: SettingsSection; title: string; children: ReactNode }) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const note = params.get("saved");
  // Hide the "saved" note while this section is submitting again.
  const showSaved = isSaved(note) && sectionOf(note) === id && navigation.formAction !== settingsRoute(id);
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="settings-section card">
      <h2 id={`${id}-heading`}>{title}</h2>
      <div role="status">{showSaved ? <p className="saved">{savedMessages[note]}</p> : null}</div>
      {children}
    </section>
  );
}

/**
 * The settings page: /settings, and each form's own route (app/routes/settings.<section>.tsx) when
 * it answers a refused save without JavaScript, with that form's errors and the member's choices.
 */
export function SettingsPage() {
  const { settings, email, mailNotice, sessions, passkeys, bioMax, timeZones } = useLoaderData<SettingsPageData>();
  const failure = useActionData<SettingsFailure>();
  // A new location (the redirect after a save) remounts the forms, so typed passwords are cleared.
  const location = useLocation();
  const errorsFor = (section: SettingsSection) => (failure?.section === section ? failure.errors : {});
  const kept: Kept = failure?.values ?? {};
  return (
    <div className="settings">
      <h1>Settings</h1>
      <MailNotice notice={mailNotice} />
      <p>
        <Link to={`/u/${settings.username}`} className="target-link">
          See your profile as others see it
        </Link>
      </p>

      <SettingsSectionCard id="profile" title="Profile">
        <ProfileForm key={location.key} settings={settings} bioMax={bioMax} errors={errorsFor("profile")} kept={kept} />
      </SettingsSectionCard>

      <SettingsSectionCard id="appearance" title="Appearance">
        <AppearanceForm settings={settings} timeZones={timeZones} errors={errorsFor("appearance")} kept={kept} />
      </SettingsSectionCard>

      <ContentWarningSettings />

      <SettingsSectionCard id="email" title="Email address">
        <EmailForm key={location.key} email={email} errors={errorsFor("email")} kept={kept} />
      </SettingsSectionCard>

      <SettingsSectionCard id="password" title="Password">
        <PasswordForm key={location.key} errors={errorsFor("password")} answer={failure?.section === "password" ? failure : undefined} />
      </SettingsSectionCard>

      <SettingsSectionCard id="passkeys" title="Passkeys">
        <PasskeyList passkeys={passkeys} errors={errorsFor("passkeys")} />
      </SettingsSectionCard>

      <SettingsSectionCard id="sessions" title="Where you're logged in">
        <SessionList sessions={sessions} errors={errorsFor("sessions")} />
      </SettingsSectionCard>

      <section aria-labelledby="people-heading" className="settings-section card">
        <h2 id="people-heading">Blocked and muted members</h2>
        <p>Only you see who you blocked or muted; nobody is told.</p>
        <p>
          <Link to="/settings/blocked" className="button">
            See blocked and muted members
          </Link>
        </p>
      </section>

      <section aria-labelledby="notifications-heading" className="settings-section card">
        <h2 id="notifications-heading">How you hear from us</h2>
        <p>For each kind of notification: by email at once, in a daily or weekly digest, or only on the site; and your quiet hours.</p>
        <p>
          <Link to="/settings/notifications" className="button">
            Choose how you hear from us
          </Link>
        </p>
      </section>

      <section aria-labelledby="watching-heading" className="settings-section card">
        <h2 id="watching-heading">Boards you watch</h2>
        <p>A new thread in a board you watch shows in your notifications.</p>
        <p>
          <Link to="/settings/watching" className="button">
            See boards you watch
          </Link>
        </p>
      </section>

      <section aria-labelledby="data-heading" className="settings-section card">
        <h2 id="data-heading">Your data</h2>
        <ul className="actions">
          <li>
            {/* A file download from a resource route: a plain link, not client-side navigation. */}
            <a href="/settings/export" className="button" download>
              Download your data
            </a>
          </li>
          <li>
            <Link to="/settings/delete-account" className="button">
              Delete your account
            </Link>
          </li>
        </ul>
      </section>
    </div>
  );
}
