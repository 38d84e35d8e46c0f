import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { TextField } from "~/components/fields.tsx";
import { addTag, listTags, removeTag, renameTag } from "~/models/tags.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { withParams } from "~/utils/href.ts";
import { badRequest } from "~/utils/http.server.ts";
import { TAG_NAME_MAX } from "~/utils/limits.ts";

export const meta = () => [{ title: "Tags — Unclench" }];
export const ErrorBoundary = RouteErrorBoundary;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireStaff(request);
  const done = new URL(request.url).searchParams.get("done");
  return json({ tags: await listTags(), done: done && done.length <= 120 ? done : null });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  const name = values.name ?? "";
  if (values.intent === "add") {
    const added = await addTag(user, name);
    return added.ok ? redirect(withParams("/mod/tags", { done: `Added “${name.trim()}”.` })) : json({ form: "add", error: added.error, name }, { status: 400 });
  }
  if (values.intent === "rename") {
    const renamed = await renameTag(user, values.slug ?? "", name);
    return renamed.ok
      ? redirect(withParams("/mod/tags", { done: `Renamed to “${name.trim()}”.` }))
      : json({ form: values.slug ?? "", error: renamed.error, name }, { status: 400 });
  }
  if (values.intent === "remove") {
    const removed = await removeTag(user, values.slug ?? "");
    return redirect(withParams("/mod/tags", { done: `Removed “${removed.name}” from the list and from every thread.` }));
  }
  badRequest("That isn't something this page does.");
}

/** The moderators' list of tags: add, rename, remove. Every change is in the moderation log. */
export default function ModTags() {
  const { tags, done } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const failed = (form: string) => (data && "form" in data && data.form === form ? data : null);
  return (
    <>
      <h1>Tags</h1>
      <p>Symptoms and treatments members can put on their threads, up to five each. Renaming a tag renames it on every thread.</p>
      {done ? (
        <p className="notice" role="status">
          {done}
        </p>
      ) : null}
      <Form method="post" className="card">
        <input type="hidden" name="intent" value="add" />
        <TextField name="name" label="New tag" maxLength={TAG_NAME_MAX} defaultValue={failed("add")?.name} error={failed("add")?.error} required />
        <button type="submit">Add tag</button>
      </Form>
      <ul className="stack">
        {tags.map((tag) => (
          <li key={tag.slug} className="card">
            <Form method="post">
              <input type="hidden" name="slug" value={tag.slug} />
              <TextField
                id={`rename-${tag.slug}`}
                name="name"
                label={`Name of “${tag.name}”`}
                maxLength={TAG_NAME_MAX}
                defaultValue={failed(tag.slug)?.name ?? tag.name}
                error={failed(tag.slug)?.error}
                required
              />
              <div className="actions">
                <button type="submit" name="intent" value="rename">
                  Rename<span className="visually-hidden"> “{tag.name}”</span>
                </button>
                <button type="submit" name="intent" value="remove" formNoValidate>
                  Remove<span className="visually-hidden"> “{tag.name}”</span>
                </button>
              </div>
            </Form>
          </li>
        ))}
      </ul>
    </>
  );
}
