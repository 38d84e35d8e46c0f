import { json, redirect } from "@remix-run/node";
import type { z } from "zod";
import { keepPendingText, saveDraft } from "../models/drafts.server.ts";
import { getUser, type SessionUser } from "./auth.server.ts";
import { validate } from "./forms.server.ts";
import { BODY_MAX } from "./limits.ts";
import { renderMarkdown } from "./markdown.server.ts";
import { detectDosingAdvice } from "./safety.server.ts";

type DraftOptions = { actor: SessionUser; key: string };

/**
 * Shared handling for the composer's buttons. Returns the parsed input when the member
 * pressed "post" and it is valid; otherwise a Response to return (a preview, a saved draft,
 * or field errors with the typed text kept).
 *
 * With `draft`, the text is also saved as the member's draft before anything can fail, so a
 * rate limit, a refusal or even a server error below never loses it; the route discards the
 * draft once the post exists.
 */
export function handleComposer<S extends z.ZodType>(schema: S, values: Record<string, string>, draft?: DraftOptions) {
  const kept = { title: values.title, body: values.body };
  // A nudge, never a block: shown with a preview or an error, when the member is still editing.
  const dosingNudge = detectDosingAdvice(values.body ?? "");
  if (draft && (values.intent === "draft" || values.intent === "post")) {
    const savedAt = saveDraft(draft.actor, draft.key, { title: values.title, body: values.body ?? "" });
    if (values.intent === "draft") return { response: json({ values: kept, draftSaved: savedAt ? savedAt.toISOString() : "", dosingNudge }) } as const;
  }
  if (values.intent === "preview") {
    const preview = renderMarkdown((values.body ?? "").slice(0, BODY_MAX));
    return { response: json({ values: kept, preview, dosingNudge }) } as const;
  }
  const result = validate(schema, values);
  if (!result.ok) return { response: json({ values: kept, errors: result.errors, dosingNudge }, { status: 400 }) } as const;
  return { data: result.data } as const;
}

/**
 * requireUser for the composer's actions. When the session has ended, the posted text is
 * kept server-side under a one-hour, single-use token and the visitor is sent to log in;
 * the login brings them back to `backTo` with `?restore=<token>`, where the form page calls
 * claimPendingDraft and shows the text again.
 */
export async function requireUserOrKeepText(
  request: Request,
  text: { key: string; title?: string; body?: string },
  backTo?: string,
) {
  const user = await getUser(request);
  if (user) return user;
  const requested = new URL(request.url);
  const back = new URL(backTo ?? requested.pathname + requested.search, requested.origin);
  back.searchParams.delete("restore");
  const hasText = !!(text.title ?? "").trim() || !!(text.body ?? "").trim();
  if (hasText) back.searchParams.set("restore", keepPendingText(text.key, { title: text.title, body: text.body ?? "" }));
  throw redirect(`/login?${new URLSearchParams({ redirectTo: back.pathname + back.search })}`);
}

/** The `?restore=` token in a form page's URL, for the loader to claim after login. */
export function restoreToken(request: Request) {
  const url = new URL(request.url);
  const token = url.searchParams.get("restore");
  if (!token) return null;
  url.searchParams.delete("restore");
  return { token, cleanUrl: url.pathname + (url.search || "") };
}
