import { useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { TextField } from "~/components/fields.tsx";
import { PASSWORD_MAX } from "~/utils/limits.ts";
import type { SettingsSection } from "~/utils/settings-page.server.ts";

/** The route that saves a section's form: app/routes/settings.<section>.tsx. */
export const settingsRoute = (section: SettingsSection) => `/settings/${section}`;

/**
 * Where a section's form posts: its own route, and the section's fragment, so that the page that
 * answers, with JS or without, opens at that form and its message instead of at the top.
 */
export const settingsFormAction = (section: SettingsSection) => `${settingsRoute(section)}#${section}`;

/** Whether this section's form is being sent. */
export function useSubmitting(section: SettingsSection) {
  const navigation = useNavigation();
  return navigation.state === "submitting" && navigation.formAction === settingsRoute(section);
}

export function Checkbox({ name, label, defaultChecked, hint }: { name: string; label: string; defaultChecked: boolean; hint?: string }) {
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

export type Option = { value: string; label: string };

/** A kept choice if it is one of the options (a tampered value isn't), else the saved one. */
export function keptChoice(kept: string | undefined, options: readonly Option[], saved: string) {
  return kept !== undefined && options.some((o) => o.value === kept) ? kept : saved;
}

export function Radios({ name, legend, options, value, error }: { name: string; legend: string; options: readonly Option[]; value: string; error?: string }) {
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

/** A section's main button, which says so while that section's form is being sent. */
export function SaveButton({ section, busyLabel, children }: { section: SettingsSection; busyLabel: string; children: ReactNode }) {
  return (
    <button type="submit" className="primary">
      {useSubmitting(section) ? busyLabel : children}
    </button>
  );
}

/** The member's present password, asked for before the email or the password changes. */
export function CurrentPasswordField(props: { name: string; label: string; error?: string; id?: string; type?: string; defaultValue?: string }) {
  return <TextField type="password" autoComplete="current-password" maxLength={PASSWORD_MAX} required {...props} />;
}

/** A time zone picked from the names the server knows (or typed), with its list of suggestions. */
export function TimeZoneField({
  id = "timeZone",
  hint,
  defaultValue,
  error,
  timeZones,
}: {
  id?: string;
  hint: string;
  defaultValue: string;
  error?: string;
  timeZones: string[];
}) {
  return (
    <>
      <TextField
        name="timeZone"
        id={id}
        label="Your time zone"
        hint={hint}
        defaultValue={defaultValue}
        error={error}
        list={`${id}-list`}
        autoComplete="off"
        maxLength={64}
      />
      <datalist id={`${id}-list`}>
        {timeZones.map((zone) => (
          <option key={zone} value={zone} />
        ))}
      </datalist>
    </>
  );
}
