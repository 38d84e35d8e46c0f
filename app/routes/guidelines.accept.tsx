import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { acceptGuidelines } from "~/models/guidelines.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { withParams } from "~/utils/href.ts";
import { safeRedirect } from "~/utils/http.server.ts";

// Accepting changes state, so it is a POST (from <GuidelinesGate>); a GET shows the guidelines.
export async function loader() {
  return redirect("/guidelines");
}

export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  const back = safeRedirect(values.redirectTo, "/guidelines");
  const user = await requireUser(request, back);
  await acceptGuidelines(user.id);
  return redirect(withAccepted(back));
}

/**
 * The page the member came from, told (by ?guidelines=accepted) to focus the field they write in,
 * which also scrolls it into view. Without the fragment: browsers skip autofocus on a page opened
 * at one.
 */
const withAccepted = (path: string) => withParams(path, { guidelines: "accepted" }, null);
