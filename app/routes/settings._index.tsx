import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import type { ReactNode } from "react";
import { FormError, NewPasswordField, TextArea, TextField } from "~/components/fields.tsx";
import { Time, useFormatDateTime } from "~/components/time.tsx";
import {
  appearanceSchema,
  BIO_MAX,
  changeEmail,
  changePassword,
  emailChangeSchema,
  getSettings,
  listSessions,
  logOutOtherSessions,
  logOutSession,
  passwordChangeSchema,
  profileSettingsSchema,
  sessionHandleSchema,
  updateAppearance,
  updateProfileSettings,
} from "~/models/settings.server.ts";
import { requireSession } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { EMAIL_MAX, PASSWORD_MAX } from "~/utils/limits.ts";
import { logEvent } from "~/utils/logger.server.ts";
import { consume, limiters, rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Settings — Unclench" }];

const sections = ["profile", "appearance", "email", "password", "sessions"] as const;
type Section = (typeof sections)[number];
/** What a `?saved=` note can be about: a section, or one session logged out (in "sessions"). */
type Saved = Section | "session";
const sectionOf = (saved: Saved): Section => (saved === "session" ? "sessions" : saved);

export async function loader({ request }: LoaderFunctionArgs) {
  const { user, session } = await requireSession(request);
  // BIO_MAX travels in the data: constants from a .server module don't exist in the browser bundle.
  return json({
    settings: getSettings(user),
    sessions: await listSessions(user, session.id),
    bioMax: BIO_MAX,
    timeZones: Intl.supportedValuesOf("timeZone"),
  });
}

/**
 * What a member chose or typed, sent back with a 4xx so the form shows it again: a failed save
 * must not undo their choices. Passwords are never sent back.
 */
type Kept = {
  bio?: string;
  conditions?: string[];
  profileHidden?: boolean;
  email?: string;
  theme?: string;
  textSize?: string;
  reducedMotion?: boolean;
  timeZone?: string;
};

function failed(section: Section, errors: Record<string, string>, values: Kept = {}) {
  return json({ section, errors, values }, { status: 400 });
}

/**
 * Password checks share the account's failed-login allowance, so a borrowed session can't be
 * used to guess the password here instead of at /login.
 */
async function tooManyPasswordTries(section: Section, username: string, values: Kept = {}) {
  const limit = await consume(limiters.loginByAccount, username);
  if (limit.ok) return null;
  const form = retryMessage(limit.retryAfterSeconds, "That was a lot of password tries in a short time.");
  return rateLimited(limit.retryAfterSeconds, { section, errors: { form } as Record<string, string>, values });
}

function saved(what: Saved) {
  return redirect(`/settings?saved=${what}#${sectionOf(what)}`);
}

export async function action({ request }: ActionFunctionArgs) {
  const { user, session } = await requireSession(request);
  const values = await readForm(request);
  const intent = values.intent;
  if (intent === "profile") {
    const conditionSlugs = Object.keys(values)
      .filter((key) => key.startsWith("condition-") && values[key] === "on")
      .map((key) => key.slice("condition-".length));
    const kept = { bio: values.bio ?? "", conditions: conditionSlugs, profileHidden: values.profileHidden === "on" };
    const result = validate(profileSettingsSchema, { bio: values.bio ?? "", ...(values.profileHidden ? { profileHidden: values.profileHidden } : {}) });
    if (!result.ok) return failed("profile", result.errors, kept);
    updateProfileSettings(user, { bio: result.data.bio, conditionSlugs, profileHidden: !!result.data.profileHidden });
    return saved("profile");
  }
  if (intent === "appearance") {
    const kept = { theme: values.theme, textSize: values.textSize, reducedMotion: values.reducedMotion === "on", timeZone: values.timeZone ?? "" };
    const result = validate(appearanceSchema, values);
    if (!result.ok) return failed("appearance", result.errors, kept);
    updateAppearance(user, {
      theme: result.data.theme,
      textSize: result.data.textSize,
      reducedMotion: !!result.data.reducedMotion,
      timeZone: result.data.timeZone || null,
    });
    return saved("appearance");
  }
  if (intent === "email") {
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
  if (intent === "password") {
    const result = validate(passwordChangeSchema, values);
    if (!result.ok) return failed("password", result.errors);
    const tooMany = await tooManyPasswordTries("password", user.username);
    if (tooMany) return tooMany;
    const outcome = await changePassword(user, session.id, result.data);
    if (!outcome.ok) return failed("password", outcome.errors);
    return saved("password");
  }
  if (intent === "sessions") {
    await logOutOtherSessions(user, session.id);
    logEvent("logout.others", { userId: user.id });
    return saved("sessions");
  }
  if (intent === "session") {
    const result = validate(sessionHandleSchema, values);
    if (!result.ok) return failed("sessions", { form: result.errors.session ?? "That isn't a session on this page." });
    const outcome = logOutSession(user, session, result.data.session);
    if (!outcome.ok) return failed("sessions", outcome.errors);
    logEvent("logout.session", { userId: user.id });
    return saved("session");
  }
  return failed("profile", { form: "That isn't something this page can do." });
}

const savedMessages: Record<Saved, string> = {
  profile: "Your profile is saved.",
  appearance: "Your appearance settings are saved.",
  email: "Your email address is changed.",
  password: "Your password is changed, and you have been logged out on every other device.",
  sessions: "You have been logged out everywhere else.",
  session: "That session is logged out. Whoever uses it will have to log in again.",
};

function isSaved(value: string | null): value is Saved {
  return value !== null && (value === "session" || (sections as readonly string[]).includes(value));
}

function SettingsSection({ id, title, children }: { id: Section; title: string; children: ReactNode }) {
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const note = params.get("saved");
  const submitting = String(navigation.formData?.get("intent") ?? "");
  // Hide the "saved" note while this section is submitting again.
  const showSaved = isSaved(note) && sectionOf(note) === id && !(isSaved(submitting) && sectionOf(submitting) === id);
  return (
    <section id={id} aria-labelledby={`${id}-heading`} className="settings-section card">
      <h2 id={`${id}-heading`}>{title}</h2>
      <div role="status">{showSaved ? <p className="saved">{savedMessages[note]}</p> : null}</div>
      {children}
    </section>
  );
}

function Checkbox({ name, label, defaultChecked, hint }: { name: string; label: string; defaultChecked: boolean; hint?: string }) {
  return (
    <div className="check">
      <input type="checkbox" id={name} name={name} defaultChecked={defaultChecked} aria-describedby={hint ? `${name}-hint` : undefined} />
      <label htmlFor={name}>{label}</label>
      {hint ? (
        <p className="hint" id={`${name}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

type Option = { value: string; label: string };

/** A kept choice if it is one of the options (a tampered value isn't), else the saved one. */
function keptChoice(kept: string | undefined, options: readonly Option[], saved: string) {
  return kept !== undefined && options.some((o) => o.value === kept) ? kept : saved;
}

function Radios({ name, legend, options, value, error }: { name: string; legend: string; options: readonly Option[]; value: string; error?: string }) {
  return (
    <fieldset className="choices" aria-describedby={error ? `${name}-error` : undefined}>
      <legend>{legend}</legend>
      {error ? (
        <p className="field-error" id={`${name}-error`}>
          {error}
        </p>
      ) : null}
      {options.map((o) => (
        <div className="check" key={o.value}>
          <input type="radio" id={`${name}-${o.value}`} name={name} value={o.value} defaultChecked={o.value === value} />
          <label htmlFor={`${name}-${o.value}`}>{o.label}</label>
        </div>
      ))}
    </fieldset>
  );
}

/**
 * Where a section's form posts: this index route (`?index`), and the section's fragment, so
 * that the page that answers, with JS or without, opens at that form and its message instead
 * of at the top of the page.
 */
const actionFor = (section: Section) => `/settings?index#${section}`;

const appearanceFields: Record<string, string> = {
  theme: "the theme",
  timeZone: "your time zone",
  textSize: "the text size",
  reducedMotion: "Reduce motion",
};

/** The line above the appearance form after a refused save: nothing saved, nothing lost, and where to look. */
function appearanceSummary(errors: Record<string, string>) {
  const fields = Object.keys(errors).map((field) => appearanceFields[field] ?? "the form");
  if (fields.length === 0) return undefined;
  return `Not saved yet, and your choices are kept. Please check ${fields.join(" and ")} below.`;
}

const themeOptions: Option[] = [
  { value: "system", label: "Same as my device" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  { value: "night", label: "Night: warm and dim, low glare" },
  { value: "auto-night", label: "Night from 22:00 to 06:00 in my time zone, my device's setting otherwise" },
];

const textSizeOptions: Option[] = [
  { value: "normal", label: "Normal" },
  { value: "large", label: "Large" },
  { value: "larger", label: "Larger" },
];

/** A section's main button, which says so while that section's form is being sent. */
function SaveButton({ intent, busyLabel, children }: { intent: Section; busyLabel: string; children: ReactNode }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("intent") === intent;
  return (
    <button type="submit" name="intent" value={intent} className="primary">
      {busy ? busyLabel : children}
    </button>
  );
}

/** The member's present password, asked for before the email or the password changes. */
function CurrentPasswordField({ name, label, error }: { name: string; label: string; error?: string }) {
  return <TextField name={name} label={label} type="password" autoComplete="current-password" error={error} maxLength={PASSWORD_MAX} required />;
}

/** Which session a Log out button is for, for its accessible name: "Firefox on Linux, signed in 3 Nov 2026, 09:12 UTC". */
function sessionName(
  s: { device: string; signedInAt: string | null; lastActiveAt: string | null; expiresAt: string },
  formatDateTime: (value: string) => string,
) {
  if (s.signedInAt) return `${s.device}, signed in ${formatDateTime(s.signedInAt)}`;
  if (s.lastActiveAt) return `${s.device}, last active ${formatDateTime(s.lastActiveAt)}`;
  return `${s.device}, logged in until ${formatDateTime(s.expiresAt)}`;
}

export default function SettingsPage() {
  const { settings, sessions, bioMax, timeZones } = useLoaderData<typeof loader>();
  const formatDateTime = useFormatDateTime();
  const data = useActionData<typeof action>();
  const navigation = useNavigation();
  // A new location (the redirect after a save) remounts the forms, so typed passwords are cleared.
  const location = useLocation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : undefined;
  const errorsFor = (section: Section) => (data?.section === section ? data.errors : {}) as Record<string, string>;
  const kept: Kept = data?.values ?? {};
  const profileErrors = errorsFor("profile");
  const emailErrors = errorsFor("email");
  const passwordErrors = errorsFor("password");
  const appearanceErrors = errorsFor("appearance");
  const sessionErrors = errorsFor("sessions");
  const others = sessions.filter((s) => !s.current).length;
  return (
    <div className="settings">
      <h1>Settings</h1>
      <p>
        <Link to={`/u/${settings.username}`} className="target-link">
          See your profile as others see it
        </Link>
      </p>

      <SettingsSection id="profile" title="Profile">
        <Form method="post" action={actionFor("profile")} className="stack" key={location.key}>
          <FormError message={profileErrors.form} />
          <TextArea
            name="bio"
            label="Short bio (optional)"
            hint={`A few words about you, up to ${bioMax.toLocaleString("en")} characters. Markdown works.`}
            defaultValue={kept.bio ?? settings.bio}
            error={profileErrors.bio}
            rows={5}
            maxLength={bioMax}
          />
          <fieldset className="choices">
            <legend>Conditions you live with (optional)</legend>
            <p className="hint">Shown on your profile, linking to the board about each.</p>
            {settings.conditions.map((c) => (
              <Checkbox
                key={c.slug}
                name={`condition-${c.slug}`}
                label={c.name}
                defaultChecked={kept.conditions ? kept.conditions.includes(c.slug) : c.chosen}
              />
            ))}
          </fieldset>
          <Checkbox
            name="profileHidden"
            label="Only show my profile to logged-in members"
            defaultChecked={kept.profileHidden ?? settings.profileHidden}
            hint="Your posts stay visible in their threads either way."
          />
          <SaveButton intent="profile" busyLabel="Saving…">
            Save profile
          </SaveButton>
        </Form>
      </SettingsSection>

      <SettingsSection id="appearance" title="Appearance">
        <Form method="post" action={actionFor("appearance")} className="stack">
          <FormError message={appearanceSummary(appearanceErrors)} />
          <Radios
            name="theme"
            legend="Theme"
            value={keptChoice(kept.theme, themeOptions, settings.theme)}
            error={appearanceErrors.theme}
            options={themeOptions}
          />
          <TextField
            name="timeZone"
            label="Your time zone"
            hint="Times on the site are shown in it, and the automatic night theme follows it. For example Europe/London or America/Chicago; leave empty for UTC."
            defaultValue={kept.timeZone ?? settings.timeZone}
            error={appearanceErrors.timeZone}
            list="time-zones"
            autoComplete="off"
            maxLength={64}
          />
          <datalist id="time-zones">
            {timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          <Radios
            name="textSize"
            legend="Text size"
            value={keptChoice(kept.textSize, textSizeOptions, settings.textSize)}
            error={appearanceErrors.textSize}
            options={textSizeOptions}
          />
          <Checkbox
            name="reducedMotion"
            label="Reduce motion"
            defaultChecked={kept.reducedMotion ?? settings.reducedMotion}
            hint="Turns off animations and smooth scrolling, even if your device doesn't ask for it."
          />
          <SaveButton intent="appearance" busyLabel="Saving…">
            Save appearance
          </SaveButton>
        </Form>
      </SettingsSection>

      <SettingsSection id="email" title="Email address">
        <p>
          Your email is <strong>{settings.email}</strong>. Only you can see it.
        </p>
        <Form method="post" action={actionFor("email")} className="stack narrow" key={location.key}>
          <FormError message={emailErrors.form} />
          <TextField
            name="email"
            label="New email"
            type="email"
            autoComplete="email"
            defaultValue={kept.email ?? ""}
            error={emailErrors.email}
            maxLength={EMAIL_MAX}
            required
          />
          <CurrentPasswordField name="password" label="Your password" error={emailErrors.password} />
          <SaveButton intent="email" busyLabel="Changing…">
            Change email
          </SaveButton>
        </Form>
      </SettingsSection>

      <SettingsSection id="password" title="Password">
        <Form method="post" action={actionFor("password")} className="stack narrow" key={location.key}>
          <FormError message={passwordErrors.form} />
          <CurrentPasswordField name="currentPassword" label="Current password" error={passwordErrors.currentPassword} />
          <NewPasswordField name="newPassword" label="New password" error={passwordErrors.newPassword} />
          <SaveButton intent="password" busyLabel="Changing…">
            Change password
          </SaveButton>
          <p className="hint">Changing your password logs you out on every other device.</p>
        </Form>
      </SettingsSection>

      <SettingsSection id="sessions" title="Where you're logged in">
        <p className="hint">If you see one you don't recognise, or you used a shared computer, log it out and change your password.</p>
        <FormError message={sessionErrors.form} />
        <ul className="session-list">
          {sessions.map((s) => (
            <li key={s.handle} className="session">
              <div className="session-about">
                <p className="session-device">
                  <strong>{s.device}</strong>
                  {s.current ? <span className="badge">This device</span> : null}
                </p>
                <p className="meta">
                  {s.signedInAt ? (
                    <>
                      Signed in <Time value={s.signedInAt} />
                    </>
                  ) : (
                    "Sign-in time not recorded"
                  )}
                  {" · "}
                  {s.current ? (
                    "Active now"
                  ) : s.lastActiveAt ? (
                    <>
                      Last active <Time value={s.lastActiveAt} />
                    </>
                  ) : (
                    "Last active: not recorded yet"
                  )}
                </p>
              </div>
              {s.current ? null : (
                <Form method="post" action={actionFor("sessions")}>
                  <input type="hidden" name="session" value={s.handle} />
                  <button type="submit" name="intent" value="session">
                    {busy === "session" && navigation.formData?.get("session") === s.handle ? "Logging out…" : "Log out"}
                    <span className="visually-hidden"> {sessionName(s, formatDateTime)}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
        {others > 0 ? (
          <Form method="post" action={actionFor("sessions")}>
            <button type="submit" name="intent" value="sessions">
              {busy === "sessions" ? "Logging out…" : "Log out everywhere else"}
            </button>
          </Form>
        ) : (
          <p>You aren't logged in anywhere else.</p>
        )}
      </SettingsSection>

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

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
