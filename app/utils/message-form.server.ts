import { json } from "@remix-run/node";
import { saveDraft } from "../models/drafts.server.ts";
import type { SessionUser } from "./auth.server.ts";
import { draftText } from "./composer.server.ts";
import { renderMarkdown } from "./markdown.server.ts";
import { messageLengthErrors } from "./message-schemas.server.ts";

/**
 * What every message form does before sending, as handleComposer does for posts: the lengths
 * (nothing runs on an oversized field, and the 400 keeps every word), then a preview, or "Save
 * draft" (the way to keep a draft without JavaScript) when that was the button. Null: go on and
 * send, through postKeepingDraft.
 */
export async function handleMessageForm(values: Record<string, string>, draft: { actor: SessionUser; key: string }) {
  const errors = messageLengthErrors(values);
  if (errors) return json({ intent: values.intent, values, errors }, { status: 400 });
  if (values.intent === "preview") return json({ intent: "preview", values, preview: renderMarkdown(values.body ?? "") });
  if (values.intent === "draft") {
    const savedAt = await saveDraft(draft.actor, draft.key, draftText(values));
    return json({ intent: "draft", values, draftSaved: savedAt ? savedAt.toISOString() : "" });
  }
  return null;
}
