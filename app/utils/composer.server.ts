import { json, redirect } from "@remix-run/node";
import { parse as parseCookies, serialize } from "cookie";
import type { z } from "zod";
import { isUnavailable } from "../../db/client.ts";
import { discardDraft, keepPendingText, parseDraftKey, PENDING_TTL_MS, saveDraft } from "../models/drafts.server.ts";
import { chosenTagSlugs } from "../models/tags.server.ts";
import { getUser, secureCookies, type SessionUser } from "./auth.server.ts";
import { validate, type FieldErrors } from "./forms.server.ts";
import { renderMarkdown } from "./markdown.server.ts";
import { messageLengthErrors } from "./message-schemas.server.ts";
import { clientIp, limitPendingText, rateLimited, retryMessage } from "./rate-limit.server.ts";
import { detectDosingAdvice } from "./safety.server.ts";
import { composerLengthSchema } from "./schemas.server.ts";

type DraftOptions = { actor: SessionUser; key: string };

/**
 * Shared handling for the composer's buttons. Returns the parsed input when the member
 * pressed "post" and it is valid; otherwise a Response to return (a preview, a saved draft,
 * or field errors with the typed text kept, and with `draft`, kept as the draft too).
 * The post itself goes through `postKeepingDraft`.
 */
export async function handleComposer<S extends z.ZodType>(schema: S, values: Record<string, string>, draft?: DraftOptions) {
  const kept = keptValues(values);
  // Length first, whatever the button: nothing below ever runs on an oversized text.
  const tooLong = lengthErrors(values);
  if (tooLong) {
    // As for any refused post: a draft keeps what fits, and the whole text is on the form.
    if (draft && values.intent !== "preview") await keepDraft(draft, values);
    return { response: json({ values: kept, errors: tooLong }, { status: 400 }) } as const;
  }
  // A nudge, never a block: shown with a preview or an error, when the member is still editing.
  const dosingNudge = detectDosingAdvice(values.body ?? "");
  if (draft && values.intent === "draft") {
    const savedAt = await saveDraft(draft.actor, draft.key, draftText(values));
    return { response: json({ values: kept, draftSaved: savedAt ? savedAt.toISOString() : "", dosingNudge }) } as const;
  }
  if (values.intent === "preview") {
    const preview = renderMarkdown(values.body ?? "");
    return { response: json({ values: kept, preview, dosingNudge }) } as const;
  }
  const result = validate(schema, values);
  if (!result.ok) {
    if (draft) await keepDraft(draft, values);
    return { response: json({ values: kept, errors: result.errors, dosingNudge }, { status: 400 }) } as const;
  }
  return { data: result.data } as const;
}

/**
 * Makes the post. Unless it is made, the text becomes the member's draft: a refusal (a rate
 * limit, a locked thread, a post removed mid-edit: any response but a redirect, returned or
 * thrown) or a server error never loses it. A post that is made writes no draft, and discards
 * one saved earlier.
 */
export async function postKeepingDraft(draft: DraftOptions, values: Record<string, string>, post: () => Promise<Response> | Response) {
  let response: Response;
  try {
    response = await post();
  } catch (error) {
    try {
      // A database that cannot be written cannot keep a draft either; the 503 puts the text back in the form.
      if (!isUnavailable(error)) await keepDraft(draft, values);
    } catch {
      // What went wrong first is what the member is told.
    }
    throw error;
  }
  if (response.status >= 300 && response.status < 400) await discardDraft(draft.actor, draft.key);
  else await keepDraft(draft, values);
  return response;
}

/** The composer's fields over their limits (composerLengthSchema), or null. Costs no more than reading them. */
export function lengthErrors(values: { title?: string; body?: string; warningText?: string }): FieldErrors | null {
  const checked = validate(composerLengthSchema, { title: values.title, body: values.body, warningText: values.warningText });
  return checked.ok ? null : checked.errors;
}

/** What the composer sends back with a refusal, so the form shows it again: the text and the warning. */
export function keptValues(values: Record<string, string | undefined>) {
  // A new thread's choices beside its text: who reads it (where its author chooses), and its tags.
  const tags = chosenTagSlugs(values as Record<string, string>).join(",") || undefined;
  return { title: values.title, body: values.body, warningKind: values.warningKind, warningText: values.warningText, readers: values.readers, tags };
}

/**
 * A form's fields as a draft keeps them (drafts.server.ts keeps those its form has, and cuts
 * them): a new message's subject and "To" are its title and recipients.
 */
export function draftText(values: Record<string, string | undefined>) {
  return {
    title: values.title ?? values.subject,
    body: values.body ?? "",
    warningKind: values.warningKind,
    warningText: values.warningText,
    recipients: values.to,
  };
}

type DraftFields = { title?: string | null; body?: string; warningText?: string | null; recipients?: string | null };

/** The fields over their form's limits: a message's (message-schemas.server.ts) or a post's. */
export function draftLengthErrors(key: string, text: DraftFields): FieldErrors | null {
  const kind = parseDraftKey(key)?.kind;
  if (kind === "message" || kind === "new-message") {
    return messageLengthErrors({ subject: text.title ?? undefined, body: text.body, to: text.recipients ?? undefined });
  }
  return lengthErrors({ title: text.title ?? undefined, body: text.body, warningText: text.warningText ?? undefined });
}

async function keepDraft(draft: DraftOptions, values: Record<string, string>) {
  try {
    await saveDraft(draft.actor, draft.key, draftText(values));
  } catch (error) {
    // The form's target is gone, or the post is not theirs: the response already says why.
    if (!(error instanceof Response)) throw error;
  }
}

/**
 * requireUser for the composer's actions. When the session has ended, the posted text is
 * kept server-side under a one-hour, single-use token and the visitor is sent to log in;
 * the login brings them back to `backTo` with `?restore=<token>`, where the form page calls
 * claimPendingDraft and shows the text again. Text that is too long, or more than one client
 * may leave (limitPendingText, PENDING_MAX), is not kept: the visitor gets a page that says why
 * and shows the whole text to copy.
 */
export async function requireUserOrKeepText(
  request: Request,
  text: { key: string; title?: string; body?: string; warningKind?: string; warningText?: string; recipients?: string },
  backTo?: string,
) {
  const user = await getUser(request);
  if (user) return user;
  const requested = new URL(request.url);
  const back = new URL(backTo ?? requested.pathname + requested.search, requested.origin);
  back.searchParams.delete("restore");
  // Where a visitor whose text is not kept logs in: back to the form, with nothing to restore.
  const login = `/login?${new URLSearchParams({ redirectTo: back.pathname + back.search })}`;
  const tooLong = draftLengthErrors(text.key, text);
  if (tooLong) throw json(notKept(Object.values(tooLong).join(" "), text, login), { status: 400 });
  const hasText = !!(text.title ?? "").trim() || !!(text.body ?? "").trim();
  if (hasText) {
    const limit = await limitPendingText(clientIp(request));
    const kept = limit.ok ? await keepPendingText(text.key, { ...text, body: text.body ?? "" }) : limit;
    if (!kept.ok) {
      const why = retryMessage(
        kept.retryAfterSeconds,
        "We couldn't keep your text while you log in: a lot of text has been left for that from your network lately.",
      );
      throw rateLimited(kept.retryAfterSeconds, notKept(`${why} Or copy your text now, log in, and paste it back.`, text, login));
    }
    back.searchParams.set("restore", kept.token);
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back.pathname + back.search })}`, {
      headers: { "Set-Cookie": keptInBrowser(request, kept.token) },
    });
  }
  throw redirect(`/login?${new URLSearchParams({ redirectTo: back.pathname + back.search })}`);
}

const RESTORE_COOKIE = "unclench_restore";
const tokensInBrowser = (request: Request) => (parseCookies(request.headers.get("Cookie") ?? "")[RESTORE_COOKIE] ?? "").split(".").filter(Boolean);

/**
 * Kept text comes back only in the browser that left it: a `?restore=` link opened anywhere else
 * (sent to another member, say) would plant someone else's words in their reply box. The cookie
 * holds the last few tokens (base64url, so "." can join them), for several tabs at once.
 */
function keptInBrowser(request: Request, token: string) {
  const tokens = [...tokensInBrowser(request).slice(-3), token].join(".");
  return serialize(RESTORE_COOKIE, tokens, { httpOnly: true, sameSite: "lax", secure: secureCookies(), path: "/", maxAge: PENDING_TTL_MS / 1000 });
}

/**
 * A visitor's text that was not kept. Thrown, not returned: the form's page needs a login, so
 * it can't show the form; ErrorPage shows the message, the whole text to copy, and `login`.
 */
function notKept(message: string, text: { title?: string; body?: string }, login: string) {
  return { message, notKept: { title: text.title, body: text.body ?? "" }, login };
}

/**
 * The `?restore=` token in a form page's URL, for the loader to claim after login, and the URL
 * without it. The token is null when this browser did not leave that text (keptInBrowser).
 */
export function restoreToken(request: Request) {
  const url = new URL(request.url);
  const token = url.searchParams.get("restore");
  if (token === null) return null;
  url.searchParams.delete("restore");
  return { token: tokensInBrowser(request).includes(token) ? token : null, cleanUrl: url.pathname + (url.search || "") };
}
