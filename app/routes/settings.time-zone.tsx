import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { adoptTimeZone } from "~/models/settings.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";

// The browser's time zone, sent once by the root (with JavaScript) for a member who has none yet.
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const { timeZone } = await readForm(request);
  const outcome = typeof timeZone === "string" ? await adoptTimeZone(user, timeZone) : "invalid";
  return json({ outcome }, { status: outcome === "invalid" ? 400 : 200 });
}

export function loader() {
  return redirect("/settings#appearance");
}
