import { Form } from "@remix-run/react";
import { FormError, NewPasswordField } from "~/components/fields.tsx";
import { CurrentPasswordField, SaveButton, settingsFormAction } from "~/components/settings-fields.tsx";

/** The present password and a new one; posts to app/routes/settings.password.tsx. Neither is ever sent back. */
export function PasswordForm({ errors }: { errors: Record<string, string> }) {
  return (
    <Form method="post" action={settingsFormAction("password")} className="stack narrow">
      <FormError message={errors.form} />
      <CurrentPasswordField name="currentPassword" label="Current password" error={errors.currentPassword} />
      <NewPasswordField name="newPassword" label="New password" error={errors.newPassword} />
      <SaveButton section="password" busyLabel="Changing…">
        Change password
      </SaveButton>
      <p className="hint">Changing your password logs you out on every other device.</p>
    </Form>
  );
}
