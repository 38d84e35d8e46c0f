import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { ArticleEditor, type ArticleEditorData } from "~/components/article-editor.tsx";
import { getArticleForEdit, previewArticle, updateArticle } from "~/models/article-editing.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { articleSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit “${data?.article?.title ?? "article"}” — Unclench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json(await getArticleForEdit(user, params.slug ?? ""));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  if (values.intent === "preview") return json({ values, preview: previewArticle(values) });
  const parsed = validate(articleSchema, values);
  if (!parsed.ok) return json({ values, errors: parsed.errors }, { status: 400 });
  const saved = await updateArticle(user, params.slug ?? "", parsed.data);
  if (!saved.ok) return json({ values, errors: saved.errors }, { status: 400 });
  return redirect(`/articles/${saved.slug}`);
}

export default function EditArticle() {
  const { boards, values, article } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ArticleEditorData | undefined;
  const slug = article?.slug ?? "";
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/articles">Articles</Link> › <Link to={`/articles/${slug}`}>{article?.title}</Link>
      </nav>
      <h1>Edit article</h1>
      <p>
        Earlier versions are kept in the <Link to={`/articles/${slug}/history`}>revision history</Link>.
      </p>
      <ArticleEditor boards={boards} values={data?.values ?? values} data={data} submitLabel="Save changes" />
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
