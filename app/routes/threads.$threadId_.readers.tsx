import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { setThreadReaders } from "~/models/thread-readers.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/threads/${parseId(params.threadId)}`);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = parseId(params.threadId);
  const user = await requireUser(request, `/threads/${threadId}`);
  await setThreadReaders(user, threadId, (await readForm(request)).readers ?? "");
  return redirect(`/threads/${threadId}#readers`);
}
