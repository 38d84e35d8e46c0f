import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { TagChoices } from "~/components/tags.tsx";
import { chosenTagSlugs, getTagEditor, retagThread } from "~/models/tags.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";

export const meta = () => [{ title: "Tags — Unclench" }];
export const ErrorBoundary = RouteErrorBoundary;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const threadId = parseId(params.threadId);
  return json(await getTagEditor(await requireUser(request), threadId));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = parseId(params.threadId);
  const user = await requireUser(request, `/threads/${threadId}/tags`);
  const values = await readForm(request);
  const chosen = chosenTagSlugs(values);
  const result = await retagThread(user, threadId, chosen);
  if (!result.ok) return json({ error: result.error, chosen }, { status: 400 });
  return redirect(`/threads/${threadId}`);
}

export default function ThreadTags() {
  const { thread, tags, chosen } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/threads/${thread.id}`}>{thread.title}</Link>
      </nav>
      <h1>Tags for “{thread.title}”</h1>
      <Form method="post">
        <TagChoices tags={tags} chosen={data?.chosen ?? chosen} error={data?.error} />
        <div className="actions">
          <button type="submit" className="primary">
            Save tags
          </button>
          <Link to={`/threads/${thread.id}`}>Back to the thread</Link>
        </div>
      </Form>
    </>
  );
}
