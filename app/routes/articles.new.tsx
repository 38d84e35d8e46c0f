import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { ArticleEditor, type ArticleEditorData } from "~/components/article-editor.tsx";
import { createArticle, getArticleForEdit, previewArticle } from "~/models/article-editing.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { articleSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Write an article — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json(await getArticleForEdit(user, null));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  if (values.intent === "preview") return json({ values, preview: previewArticle(values) });
  const parsed = validate(articleSchema, values);
  if (!parsed.ok) return json({ values, errors: parsed.errors }, { status: 400 });
  const saved = await createArticle(user, parsed.data);
  if (!saved.ok) return json({ values, errors: saved.errors }, { status: 400 });
  return redirect(`/articles/${saved.slug}`);
}

export default function NewArticle() {
  const { boards, values } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ArticleEditorData | undefined;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/articles">Articles</Link>
      </nav>
      <h1>Write an article</h1>
      <p>Save it as a draft until it has been reviewed; only moderators can see drafts.</p>
      <ArticleEditor boards={boards} values={data?.values ?? values} data={data} submitLabel="Save article" />
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
