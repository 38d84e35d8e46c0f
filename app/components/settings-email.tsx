import { Form } from "@remix-run/react";
import { FormError, TextField } from "~/components/fields.tsx";
import { CurrentPasswordField, SaveButton, settingsFormAction } from "~/components/settings-fields.tsx";
import { EMAIL_MAX } from "~/utils/limits.ts";
import type { Kept } from "~/utils/settings-page.server.ts";

/** A new email address, with the password; posts to app/routes/settings.email.tsx. */
export function EmailForm({ errors, kept }: { errors: Record<string, string>; kept: Kept }) {
  return (
    <Form method="post" action={settingsFormAction("email")} className="stack narrow">
      <FormError message={errors.form} />
      <TextField
        name="email"
        id="new-email"
        label="New email"
        type="email"
        autoComplete="email"
        defaultValue={kept.email ?? ""}
        error={errors.email}
        maxLength={EMAIL_MAX}
        required
      />
      <CurrentPasswordField name="password" id="email-password" label="Your password" error={errors.password} />
      <SaveButton section="email" busyLabel="Changing…">
        Change email
      </SaveButton>
    </Form>
  );
}
