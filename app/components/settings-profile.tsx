import { Form } from "@remix-run/react";
import { FormError, TextArea } from "~/components/fields.tsx";
import { Checkbox, SaveButton, settingsFormAction } from "~/components/settings-fields.tsx";
import type { Kept, SettingsPageData } from "~/utils/settings-page.server.ts";

type Props = { settings: SettingsPageData["settings"]; bioMax: number; errors: Record<string, string>; kept: Kept };

/** Bio, conditions and who may see the profile; posts to app/routes/settings.profile.tsx. */
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
      <Checkbox
        name="profileHidden"
        label="Only show my profile to logged-in members"
        defaultChecked={kept.profileHidden ?? settings.profileHidden}
        hint="Your posts stay visible in their threads either way."
      />
      <SaveButton section="profile" busyLabel="Saving…">
        Save profile
      </SaveButton>
    </Form>
  );
}
