import { Form } from "@remix-run/react";
import { FormError, TextArea } from "~/components/fields.tsx";
import { Checkbox, keptChoice, Radios, SaveButton, settingsFormAction } from "~/components/settings-fields.tsx";
import type { Kept, SettingsPageData } from "~/utils/settings-page.server.ts";

type Props = { settings: SettingsPageData["settings"]; bioMax: number; errors: Record<string, string>; kept: Kept };

// The values are users.*_visibility's; the profile page (app/routes/u.$username.tsx) tells the member the same choices.
export const visibilityOptions = [
  { value: "everyone", label: "Everyone" },
  { value: "members", label: "Logged-in members" },
  { value: "nobody", label: "Only me" },
] as const;

const privacyFields = [
  { name: "bioVisibility", legend: "Who sees your bio" },
  { name: "conditionsVisibility", legend: "Who sees your conditions" },
  { name: "joinedVisibility", legend: "Who sees when you joined" },
] as const;

/** Bio, conditions and who may see each part of the profile; posts to app/routes/settings.profile.tsx. */
export function ProfileForm({ settings, bioMax, errors, kept }: Props) {
  return (
    <Form method="post" action={settingsFormAction("profile")} className="stack">
      <FormError message={errors.form} />
      <TextArea
        name="bio"
        label="Short bio (optional)"
        hint={`A few words about you, up to ${bioMax.toLocaleString("en")} characters. Markdown works.`}
        defaultValue={kept.bio ?? settings.bio}
        error={errors.bio}
        rows={5}
        maxLength={bioMax}
      />
      <fieldset className="choices">
        <legend>Conditions you live with (optional)</legend>
        <p className="hint">Shown on your profile, linking to the board about each.</p>
        {settings.conditions.map((c) => (
          <Checkbox key={c.slug} name={`condition-${c.slug}`} label={c.name} defaultChecked={kept.conditions ? kept.conditions.includes(c.slug) : c.chosen} />
        ))}
      </fieldset>
      <p className="hint">Your name and your posts stay visible in their threads whatever you choose below.</p>
      {privacyFields.map((f) => (
        <Radios
          key={f.name}
          name={f.name}
          legend={f.legend}
          options={visibilityOptions}
          value={keptChoice(kept[f.name], visibilityOptions, settings[f.name])}
          error={errors[f.name]}
        />
      ))}
      <SaveButton section="profile" busyLabel="Saving…">
        Save profile
      </SaveButton>
    </Form>
  );
}
