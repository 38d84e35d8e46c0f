import type { ActionFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { draftHref, saveDraft } from "~/models/drafts.server.ts";
import { getUser } from "~/utils/auth.server.ts";
import { draftLengthErrors, draftText, requireUserOrKeepText } from "~/utils/composer.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { badRequest } from "~/utils/http.server.ts";

/**
 * Saves a draft. The composer's autosave posts here with a fetcher (autosave=1) and gets
 * JSON back; a plain form post gets a redirect back to the form, like any other form.
 */
export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  const key = values.key ?? "";
  if (typeof values.body !== "string") badRequest("There was no text to save.");
  const text = draftText(values);
  // Length first (the form's own limits): nothing is kept, for a member or a visitor, of a text over them.
  const tooLong = draftLengthErrors(key, text);
  if (tooLong) {
    const error = `Not saved. ${Object.values(tooLong).join(" ")}`;
    // Autosave's text is still in the writer's box; a plain post gets it back.
    return json(values.autosave === "1" ? { error } : { error, values: text }, { status: 400 });
  }
  if (values.autosave === "1") {
    const user = await getUser(request);
    // A fetcher must never be redirected to /login mid-sentence: say so, and keep the text on screen.
    if (!user) {
      return json({ error: "Not saved: you've been logged out. Your text is still here; posting will ask you to log in and keep it." }, { status: 401 });
    }
    const savedAt = await saveDraft(user, key, text);
    return json({ savedAt: savedAt ? savedAt.toISOString() : null });
  }
  const user = await requireUserOrKeepText(request, { key, ...text }, draftHref(key).split("#")[0]);
  await saveDraft(user, key, text);
  return redirect(draftHref(key));
}

export function loader() {
  return redirect("/drafts");
}
