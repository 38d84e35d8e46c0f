import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { getPostHref, postHref } from "~/models/notifications.server.ts";
import { addReaction, removeReaction } from "~/models/reactions.server.ts";
import { requireReadablePost } from "~/models/visibility.server.ts";
import { getUser, requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { reactSchema } from "~/utils/schemas.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { withUndo } from "~/utils/undo.ts";

// Reactions are form posts from the thread page; a GET (a bookmarked URL) just shows the post.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const post = await requireReadablePost(await getUser(request), parseId(params.postId));
  return redirect(postHref(post.threadId, post.id, post.number));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireUser(request, await getPostHref(postId));
  const result = validate(reactSchema, await readForm(request));
  if (!result.ok) badRequest("That isn't a reaction we know.");
  const { intent, kind } = result.data;
  if (intent === "add") return redirect((await addReaction(user, postId, kind)).href);
  const { href } = await removeReaction(user, postId, kind);
  return redirect(withUndo(href, { kind: "reaction", postId, reaction: kind }));
}
