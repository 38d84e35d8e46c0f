import { json } from "@remix-run/node";
import { getDraft } from "../models/drafts.server.ts";
import { keptValues, postKeepingDraft } from "./composer.server.ts";
import { BODY_MAX } from "./limits.ts";

type Post = Parameters<typeof postKeepingDraft>;

/**
 * postKeepingDraft, with a refusal the model throws (a thread locked or removed while the member
 * wrote, an account made read-only) answered as the form's data rather than an error page: the
 * page around it stays the member's (header, theme), says why, and says where the text is now.
 */
export async function postOrRefuse(draft: Post[0], values: Post[1], post: Post[2]) {
  try {
    return await postKeepingDraft(draft, values, post);
  } catch (error) {
    if (!(error instanceof Response) || error.status < 400 || error.status >= 500) throw error;
    const body = values.body ?? "";
    // postKeepingDraft keeps the text unless the form's target is gone: "kept" only when it is.
    const kept = !!body.trim() && (await getDraft(draft.actor, draft.key))?.body === body.slice(0, BODY_MAX);
    return json(
      { values: { ...keptValues(values), body }, errors: { form: await error.text() } as Record<string, string>, refused: { kept } },
      { status: error.status },
    );
  }
}
