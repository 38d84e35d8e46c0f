import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { FormError } from "~/components/fields.tsx";
import { Link } from "~/components/link.tsx";
import { keptChoice, Radios } from "~/components/settings-fields.tsx";
import { getEmailStatus } from "~/models/email-address.server.ts";
import { getMailSettings, saveMailSettings } from "~/models/mail-preferences.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { notFound } from "~/utils/http.server.ts";
import { DELIVERY_OPTIONS, deliveryField, MAIL_KIND_NAMES, MAIL_KINDS, NO_QUIET } from "~/utils/mail-settings.ts";

export const meta: MetaFunction = () => [{ title: "How you hear from us — Unclench" }];

const PAGE = "/settings/notifications";

const hourOptions = Array.from({ length: 24 }, (_, hour) => ({ value: String(hour), label: `${String(hour).padStart(2, "0")}:00` }));
const fromOptions = [{ value: NO_QUIET, label: "No quiet hours" }, ...hourOptions];

type Failure = { errors: Record<string, string>; values: Record<string, string | undefined> };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [settings, email] = await Promise.all([getMailSettings(user.id), getEmailStatus(user)]);
  if (!settings) notFound("There is no such account.");
  return json({ settings, email: { address: email.address, confirmed: email.confirmed, refused: email.refusedAt !== null } });
}

/** One Save for every kind and the quiet hours; a refused save comes back here with the choices kept. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, PAGE);
  const values = await readForm(request);
  const fields = [...MAIL_KINDS.map(deliveryField), "quietFrom", "quietUntil"];
  const sent = Object.fromEntries(fields.map((field) => [field, values[field]]));
  const result = await saveMailSettings(user, sent);
  if (!result.ok) return json<Failure>({ errors: result.errors, values: sent }, { status: 400 });
  return redirect(`${PAGE}?saved=1`);
}

/** Why no notification mail can go now, and where to put it right; nothing when mail can go. */
function EmailStatus({ email }: { email: { address: string; confirmed: boolean; refused: boolean } }) {
  if (email.refused) {
    return (
      <p className="notice">
        Mail to your address was refused, so no notification email can go until you change it or confirm it again.{" "}
        <Link to="/settings#email">Change or confirm your email address</Link>
      </p>
    );
  }
  if (!email.confirmed) {
    return (
      <p className="notice">
        Your email address isn't confirmed yet, so no notification email can go until you confirm it.{" "}
        <Link to="/settings#email">Confirm your email address</Link>
      </p>
    );
  }
  return (
    <p>
      Emails go to <strong>{email.address}</strong>. <Link to="/settings#email">Change your email address</Link>
    </p>
  );
}

function HourSelect({ name, label, options, value }: { name: string; label: string; options: { value: string; label: string }[]; value: string }) {
  return (
    <div className="field">
      <label htmlFor={name}>{label}</label>
      <select id={name} name={name} defaultValue={value}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

export default function NotificationSettings() {
  const { settings, email } = useLoaderData<typeof loader>();
  const failure = useActionData<Failure>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const sending = navigation.state === "submitting" && navigation.formAction === PAGE;
  const saved = params.get("saved") === "1" && !sending && !failure;
  const noQuiet = settings.quietFrom === settings.quietUntil;
  const from = keptChoice(failure?.values.quietFrom, fromOptions, noQuiet ? NO_QUIET : String(settings.quietFrom));
  const until = keptChoice(failure?.values.quietUntil, hourOptions, String(settings.quietUntil));
  return (
    <div className="settings">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/settings">Settings</Link>
      </nav>
      <h1>How you hear from us</h1>
      <div role="status">{saved ? <p className="saved">Your choices are saved.</p> : null}</div>
      <p>
        Everything shows in your notifications on the site. For each kind, choose whether we also email you, and when. A daily digest comes each morning as your
        quiet hours end (at 07:00 without them), a weekly one on Monday morning.
      </p>
      <EmailStatus email={email} />
      <Form method="post" action={PAGE} className="stack">
        <FormError message={failure ? "Not saved yet, and your choices are kept. Please look at the messages below." : undefined} />
        {MAIL_KINDS.map((kind) => (
          <Radios
            key={kind}
            name={deliveryField(kind)}
            legend={MAIL_KIND_NAMES[kind]}
            options={DELIVERY_OPTIONS}
            value={keptChoice(failure?.values[deliveryField(kind)], DELIVERY_OPTIONS, settings.deliveries[kind])}
            error={failure?.errors[deliveryField(kind)]}
          />
        ))}
        <fieldset className="choices" aria-describedby="quiet-hint">
          <legend>Quiet hours</legend>
          <p className="hint" id="quiet-hint">
            No email between these hours; what comes in meanwhile waits until they end, gathered in one email. They are counted in your time zone,{" "}
            <strong>{settings.timeZone}</strong> (<Link to="/settings#appearance">change your time zone</Link>). The same hour twice means no quiet hours.
          </p>
          {failure?.errors.quietFrom || failure?.errors.quietUntil ? (
            <p className="field-error">{failure.errors.quietFrom ?? failure.errors.quietUntil}</p>
          ) : null}
          <HourSelect name="quietFrom" label="Quiet from" options={fromOptions} value={from} />
          <HourSelect name="quietUntil" label="Until" options={hourOptions} value={until} />
        </fieldset>
        <button type="submit" className="primary">
          {sending ? "Saving…" : "Save how you hear from us"}
        </button>
      </Form>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
