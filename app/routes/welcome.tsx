import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { FormError } from "~/components/fields.tsx";
import { Link } from "~/components/link.tsx";
import { textSizeOptions, themeOptions } from "~/components/settings-appearance.tsx";
import { keptChoice, Radios, TimeZoneField } from "~/components/settings-fields.tsx";
import { getSettings, updateAppearance, welcomeSchema } from "~/models/settings.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { safeRedirect } from "~/utils/http.server.ts";
import { withParams } from "~/utils/href.ts";
import { welcomeHref } from "~/utils/welcome.ts";

export const meta = () => [{ title: "Welcome — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const { username, theme, textSize, timeZone } = await getSettings(user);
  const params = new URL(request.url).searchParams;
  return json({
    username,
    theme,
    textSize,
    timeZone,
    next: safeRedirect(params.get("next"), "/"),
    saved: params.has("saved"),
    timeZones: Intl.supportedValuesOf("timeZone"),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  const next = safeRedirect(values.next, "/");
  const kept = { theme: values.theme, textSize: values.textSize, timeZone: values.timeZone ?? "" };
  const result = validate(welcomeSchema, values);
  if (!result.ok) return json({ errors: result.errors, kept }, { status: 400 });
  const { theme, textSize, timeZone } = result.data;
  await updateAppearance(user, { theme, textSize, timeZone: timeZone || "UTC" });
  return redirect(withParams(welcomeHref(next), { saved: "1" }, "comfort"));
}

const ZONE_FIELD = "welcome-time-zone";

export default function Welcome() {
  const { username, theme, textSize, timeZone, next, saved, timeZones } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors: Record<string, string> = failure?.errors ?? {};
  const kept = failure?.kept;
  // With JavaScript, an empty time zone is filled in with the device's, for the member to save.
  useEffect(() => {
    const field = document.getElementById(ZONE_FIELD);
    if (field instanceof HTMLInputElement && !field.value) field.value = Intl.DateTimeFormat().resolvedOptions().timeZone;
  }, []);
  return (
    <div className="welcome">
      <h1>Welcome to Unclench, {username}</h1>
      <p>
        This is a place to share what living with cramps, spasms and spasticity is like, and to hear from people who know it too. Take your time: nothing here
        needs doing today, and what you type is kept if you stop halfway.
      </p>
      <section id="comfort" aria-labelledby="comfort-heading" className="card">
        <h2 id="comfort-heading">Make reading comfortable</h2>
        <div role="status">{saved ? <p className="saved">Saved. Every page looks like this now; Settings can change it any time.</p> : null}</div>
        <Form method="post" className="stack" preventScrollReset>
          <FormError message={Object.keys(errors).length ? "Not saved yet, and your choices are kept. Please check below." : undefined} />
          <input type="hidden" name="next" value={next} />
          <Radios
            name="textSize"
            legend="Text size"
            value={keptChoice(kept?.textSize, textSizeOptions, textSize)}
            error={errors.textSize}
            options={textSizeOptions}
          />
          <Radios name="theme" legend="Theme" value={keptChoice(kept?.theme, themeOptions, theme)} error={errors.theme} options={themeOptions} />
          <TimeZoneField
            id={ZONE_FIELD}
            hint="Times on the site are shown in it. Your device's zone is filled in where it could be; leave it empty for UTC."
            defaultValue={kept?.timeZone ?? timeZone}
            error={errors.timeZone}
            timeZones={timeZones}
          />
          <button type="submit" className="primary">
            Save these
          </button>
        </Form>
      </section>
      <section aria-labelledby="start-heading">
        <h2 id="start-heading">Where to start</h2>
        <ul className="welcome-steps">
          <li>
            <Link to="/guidelines" className="target-link">
              Read the community guidelines
            </Link>{" "}
            — a few minutes on how members look after each other.
          </li>
          <li>
            <Link to="/boards/introductions/new" className="target-link">
              Say hello in Introductions
            </Link>{" "}
            — a line or two about you is plenty.
          </li>
          <li>
            <Link to={next} className="target-link">
              {next === "/" ? "Go to the boards" : "Go back to where you were"}
            </Link>
          </li>
        </ul>
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
