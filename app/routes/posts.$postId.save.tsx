import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getPostHref, postHref } from "~/models/notifications.server.ts";
import { savePost, unsavePost } from "~/models/saved.server.ts";
import { requireReadablePost } from "~/models/visibility.server.ts";
import { getUser, requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { saveSchema } from "~/utils/schemas.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";

// Saving is a form post from the thread page; a GET (a bookmarked URL) just shows the post.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const post = await requireReadablePost(await getUser(request), parseId(params.postId));
  return redirect(postHref(post.threadId, post.id, post.number));
}

// Back to the post's own anchor, so without JS the member lands where they pressed the button.
export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireUser(request, await getPostHref(postId));
  const result = validate(saveSchema, await readForm(request));
  if (!result.ok) badRequest("Choose Save or Unsave.");
  const { href } = result.data.intent === "save" ? await savePost(user, postId) : await unsavePost(user, postId);
  return redirect(href);
}
