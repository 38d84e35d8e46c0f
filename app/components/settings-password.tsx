import { Form } from "@remix-run/react";
import { FormError, NewPasswordField } from "~/components/fields.tsx";
import { CurrentPasswordField, SaveButton, settingsFormAction } from "~/components/settings-fields.tsx";
import { ShowPasswordButton, useShowPassword } from "~/components/show-password.tsx";
import type { SettingsFailure } from "~/utils/settings-page.server.ts";

/**
 * The present password and a new one; posts to app/routes/settings.password.tsx. Neither is sent
 * back, except to a Show password press without JavaScript (`answer`).
 */
export function PasswordForm({ errors, answer }: { errors: Record<string, string>; answer?: SettingsFailure }) {
  const password = useShowPassword(answer);
  return (
    <Form method="post" action={settingsFormAction("password")} className="stack narrow">
      <FormError message={errors.form} />
      <CurrentPasswordField
        name="currentPassword"
        label="Current password"
        error={errors.currentPassword}
        type={password.type}
        defaultValue={password.typed("currentPassword")}
      />
      <NewPasswordField name="newPassword" label="New password" error={errors.newPassword} type={password.type} defaultValue={password.typed("newPassword")} />
      <div className="actions">
        <SaveButton section="password" busyLabel="Changing…">
          Change password
        </SaveButton>
        <ShowPasswordButton shown={password.shown} toggle={password.toggle} />
      </div>
      <p className="hint">Changing your password logs you out on every other device.</p>
    </Form>
  );
}
