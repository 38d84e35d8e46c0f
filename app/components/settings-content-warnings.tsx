import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { FormError } from "~/components/fields.tsx";
import { keptChoice, Radios } from "~/components/settings-fields.tsx";
import { WARNING_KINDS, warningChoiceOptions, warningKindNames } from "~/utils/content-warnings.ts";
import type { SettingsPageData } from "~/utils/settings-page.server.ts";

const SECTION = "content-warnings";
const ROUTE = `/settings/${SECTION}`;

/** What app/routes/settings.content-warnings.tsx answers a refused save with: the choices as sent. */
export type WarningSettingsFailure = { section: typeof SECTION; errors: Record<string, string>; values: Record<string, string | undefined> };

/** A kind's radio group: field `warning-<kind>`, so its ids can't meet another form's. */
export const warningField = (kind: string) => `warning-${kind}`;

/**
 * "Content warnings" on the settings page: for each kind of label, show posts collapsed (everyone's
 * default), always open, or always hidden behind a one-line stand-in. Posts to its own route.
 */
export function ContentWarningSettings() {
  const { warningChoices } = useLoaderData<SettingsPageData>();
  const answer = useActionData<WarningSettingsFailure | { section?: string }>();
  const failure = answer?.section === SECTION ? (answer as WarningSettingsFailure) : null;
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const sending = navigation.state === "submitting" && navigation.formAction === ROUTE;
  const saved = params.get("saved") === SECTION && !sending;
  return (
    <section id={SECTION} aria-labelledby={`${SECTION}-heading`} className="settings-section card">
      <h2 id={`${SECTION}-heading`}>Content warnings</h2>
      <div role="status">{saved ? <p className="saved">Your content warning choices are saved.</p> : null}</div>
      <p>Authors can put a warning on a post. Choose how posts with each kind of warning are shown to you.</p>
      <Form method="post" action={`${ROUTE}#${SECTION}`} className="stack">
        <FormError message={failure ? "Not saved yet, and your choices are kept. Please choose one option for each kind below." : undefined} />
        {WARNING_KINDS.map((kind) => (
          <Radios
            key={kind}
            name={warningField(kind)}
            legend={warningKindNames[kind]}
            options={warningChoiceOptions}
            value={keptChoice(failure?.values[kind], warningChoiceOptions, warningChoices[kind])}
            error={failure?.errors[kind]}
          />
        ))}
        <button type="submit" className="primary">
          {sending ? "Saving…" : "Save content warning choices"}
        </button>
      </Form>
    </section>
  );
}
