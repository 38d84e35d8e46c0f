import { Form, useNavigation } from "@remix-run/react";
import { FormError, TextField } from "~/components/fields.tsx";
import { CurrentPasswordField, SaveButton, settingsFormAction } from "~/components/settings-fields.tsx";
import { Time } from "~/components/time.tsx";
import { EMAIL_MAX } from "~/utils/limits.ts";
import type { Kept, SettingsPageData } from "~/utils/settings-page.server.ts";

type EmailStatus = SettingsPageData["email"];

/** Where "Send the link again" posts: app/routes/settings.email-link.tsx, answered at this section. */
const LINK_ROUTE = "/settings/email-link";

/** The address, whether it is confirmed, a change waiting for its link, and "Send the link again". */
function EmailState({ email }: { email: EmailStatus }) {
  const navigation = useNavigation();
  const sending = navigation.state === "submitting" && navigation.formAction === LINK_ROUTE;
  const needsLink = email.pending !== null || !email.confirmed || email.refusedAt !== null;
  return (
    <>
      <p>
        Your email is <strong>{email.address}</strong>. Only you can see it.
      </p>
      {email.refusedAt ? (
        <p className="notice">
          Mail to this address was refused on <Time value={email.refusedAt} />, so we send no notifications to it. Change it below, or, if it works again, send
          the link again to confirm it.
        </p>
      ) : email.confirmed ? (
        <p>It's confirmed.</p>
      ) : (
        <p className="notice">
          It isn't confirmed yet: we've sent a link to it. Until you open it, we send no notifications to this address (password reset links still come).
        </p>
      )}
      {email.pending ? (
        <p className="notice">
          You asked to change it to <strong>{email.pending.address}</strong>. Open the link we sent there to finish; it works until{" "}
          <Time value={email.pending.expiresAt} />. Until then we keep using your present address.
        </p>
      ) : null}
      {needsLink ? (
        <Form method="post" action={`${LINK_ROUTE}#email`}>
          {/* The address is named above: in the button it would widen a small screen past its edge. */}
          <button type="submit">{sending ? "Sending…" : "Send the link again"}</button>
        </Form>
      ) : null}
    </>
  );
}

/** A new email address, with the password; posts to app/routes/settings.email.tsx. */
export function EmailForm({ email, errors, kept }: { email: EmailStatus; errors: Record<string, string>; kept: Kept }) {
  return (
    <>
      <EmailState email={email} />
      <Form method="post" action={settingsFormAction("email")} className="stack narrow">
        <FormError message={errors.form} />
        <TextField
          name="email"
          id="new-email"
          label="New email"
          hint="We send a link to the new address; it takes over once you open it."
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
    </>
  );
}
