import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { z } from "zod";
import { followThread, unfollowThread } from "~/models/follows.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { withUndo } from "~/utils/undo.ts";

const followSchema = z.object({
  intent: z.enum(["follow", "unfollow"]),
  // The thread page the button was on, so the member stays where they were.
  page: z.string().regex(/^[1-9]\d{0,5}$/).optional(),
});

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/threads/${parseId(params.threadId)}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = parseId(params.threadId);
  const user = await requireUser(request, `/threads/${threadId}`);
  const result = validate(followSchema, await readForm(request));
  if (!result.ok) badRequest("That isn't something this button does.");
  const page = result.data.page && result.data.page !== "1" ? `?page=${result.data.page}` : "";
  const back = `/threads/${threadId}${page}#follow`;
  if (result.data.intent === "follow") {
    followThread(user, threadId);
    return redirect(back);
  }
  unfollowThread(user, threadId);
  return redirect(withUndo(back, { kind: "unfollow" }));
}
