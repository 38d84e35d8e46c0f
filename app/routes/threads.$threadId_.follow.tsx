import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { followThread, unfollowThread } from "~/models/follows.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { followSchema } from "~/utils/schemas.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { withUndo } from "~/utils/undo.ts";

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
    await followThread(user, threadId);
    return redirect(back);
  }
  await unfollowThread(user, threadId);
  return redirect(withUndo(back, { kind: "unfollow" }));
}
