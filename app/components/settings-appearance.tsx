import { Form } from "@remix-run/react";
import { FormError } from "~/components/fields.tsx";
import { Checkbox, keptChoice, Radios, SaveButton, settingsFormAction, TimeZoneField, type Option } from "~/components/settings-fields.tsx";
import type { Kept, SettingsPageData } from "~/utils/settings-page.server.ts";

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

export const themeOptions: Option[] = [
  { value: "system", label: "Same as my device" },
  { value: "light", label: "Light" },
  { value: "dark", label: "Dark" },
  { value: "night", label: "Night: warm and dim, low glare" },
  { value: "auto-night", label: "Night from 22:00 to 06:00 in my time zone, my device's setting otherwise" },
];

export const textSizeOptions: Option[] = [
  { value: "normal", label: "Normal" },
  { value: "large", label: "Large" },
  { value: "larger", label: "Larger" },
];

type Props = { settings: SettingsPageData["settings"]; timeZones: string[]; errors: Record<string, string>; kept: Kept };

/** Theme, time zone, text size and motion; posts to app/routes/settings.appearance.tsx. */
export function AppearanceForm({ settings, timeZones, errors, kept }: Props) {
  return (
    <Form method="post" action={settingsFormAction("appearance")} className="stack">
      <FormError message={appearanceSummary(errors)} />
      <Radios name="theme" legend="Theme" value={keptChoice(kept.theme, themeOptions, settings.theme)} error={errors.theme} options={themeOptions} />
      <TimeZoneField
        hint="Times on the site are shown in it, and the automatic night theme follows it. For example Europe/London or America/Chicago; leave empty for UTC."
        defaultValue={kept.timeZone ?? settings.timeZone}
        error={errors.timeZone}
        timeZones={timeZones}
      />
      <Radios
        name="textSize"
        legend="Text size"
        value={keptChoice(kept.textSize, textSizeOptions, settings.textSize)}
        error={errors.textSize}
        options={textSizeOptions}
      />
      <Checkbox
        name="reducedMotion"
        label="Reduce motion"
        defaultChecked={kept.reducedMotion ?? settings.reducedMotion}
        hint="Turns off animations and smooth scrolling, even if your device doesn't ask for it."
      />
      <SaveButton section="appearance" busyLabel="Saving…">
        Save appearance
      </SaveButton>
    </Form>
  );
}
