import { json } from "@remix-run/node";
import type { z } from "zod";
import { validate } from "./forms.server.ts";
import { BODY_MAX } from "./limits.ts";
import { renderMarkdown } from "./markdown.server.ts";
import { detectDosingAdvice } from "./safety.server.ts";

/**
 * Shared handling for the composer's two buttons. Returns the parsed input when the member
 * pressed "post" and it is valid; otherwise a Response to return (a preview, or field errors
 * with the typed text kept).
 */
export function handleComposer<S extends z.ZodType>(schema: S, values: Record<string, string>) {
  const kept = { title: values.title, body: values.body };
  // A nudge, never a block: shown with a preview or an error, when the member is still editing.
  const dosingNudge = detectDosingAdvice(values.body ?? "");
  if (values.intent === "preview") {
    const preview = renderMarkdown((values.body ?? "").slice(0, BODY_MAX));
    return { response: json({ values: kept, preview, dosingNudge }) } as const;
  }
  const result = validate(schema, values);
  if (!result.ok) return { response: json({ values: kept, errors: result.errors, dosingNudge }, { status: 400 }) } as const;
  return { data: result.data } as const;
}
