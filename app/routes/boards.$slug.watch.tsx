import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { unwatchBoard, watchBoard } from "~/models/board-watches.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest } from "~/utils/http.server.ts";
import { watchSchema } from "~/utils/schemas.server.ts";

// The board's address is checked by the model (getBoard): anything odd is a 404.
export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/boards/${encodeURIComponent(params.slug ?? "")}`);
}

/** Watch or stop watching, then back to the board at the button. */
export async function action({ request, params }: ActionFunctionArgs) {
  const slug = params.slug ?? "";
  const user = await requireUser(request, `/boards/${encodeURIComponent(slug)}`);
  const result = validate(watchSchema, await readForm(request));
  if (!result.ok) badRequest("That isn't something this button does.");
  const board = result.data.intent === "watch" ? await watchBoard(user, slug) : await unwatchBoard(user, slug);
  return redirect(`/boards/${board.slug}#watch`);
}
