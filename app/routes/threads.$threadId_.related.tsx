import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { FormError } from "~/components/fields.tsx";
import { getRelatedReadingEditor, linkArticleToThread, unlinkArticleFromThread } from "~/models/article-related.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Related reading — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const threadId = parseId(params.threadId);
  const user = await requireStaff(request);
  return json(await getRelatedReadingEditor(user, threadId));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = parseId(params.threadId);
  const user = await requireStaff(request);
  const { intent, article } = await readForm(request);
  if (intent === "link") {
    const result = await linkArticleToThread(user, threadId, article ?? "");
    if (!result.ok) return json({ errors: result.errors }, { status: 400 });
  } else if (intent === "unlink") {
    await unlinkArticleFromThread(user, threadId, article ?? "");
  } else {
    badRequest("Choose to link or unlink an article.");
  }
  return redirect(`/threads/${threadId}/related`);
}

export default function RelatedReadingEditor() {
  const { thread, linked, available } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const error = data?.errors.article;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/boards/${thread.boardSlug}`}>{thread.boardName}</Link> › <Link to={`/threads/${thread.id}`}>{thread.title}</Link>
      </nav>
      <h1>Related reading</h1>
      <p>Articles linked here are listed on the thread “{thread.title}” as related reading, and each article lists the threads that discuss it.</p>
      <h2>Linked articles</h2>
      {linked.length === 0 ? (
        <p>No articles are linked to this thread yet.</p>
      ) : (
        <ul className="linked-articles">
          {linked.map((article) => (
            <li key={article.slug}>
              <Link to={`/articles/${article.slug}`}>{article.title}</Link>
              {article.status !== "published" ? <span className="meta"> ({article.status}, hidden from readers)</span> : null}
              <Form method="post">
                <input type="hidden" name="article" value={article.slug} />
                <button type="submit" name="intent" value="unlink" className="danger">
                  Remove<span className="visually-hidden"> “{article.title}” from related reading</span>
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      <h2>Link an article</h2>
      {available.length === 0 ? (
        <p>Every published article is already linked to this thread.</p>
      ) : (
        <Form method="post" className="link-article">
          <FormError message={error ? "The article could not be linked." : undefined} />
          <div className="field">
            <label htmlFor="article">Article</label>
            {error ? (
              <p className="field-error" id="article-error">
                {error}
              </p>
            ) : null}
            <select id="article" name="article" required aria-invalid={error ? true : undefined} aria-describedby={error ? "article-error" : undefined}>
              {available.map((article) => (
                <option key={article.slug} value={article.slug}>
                  {article.title}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" name="intent" value="link" className="primary">
            Link article
          </button>
        </Form>
      )}
      <p>
        <Link to={`/threads/${thread.id}`} className="button">
          Back to the thread
        </Link>
      </p>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
