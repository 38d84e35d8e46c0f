import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { ReferenceList } from "~/components/article-references.tsx";
import { ReviewLine } from "~/components/article-review-line.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { setArticleStatus } from "~/models/article-editing.server.ts";
import { getArticle, type ArticleStatus } from "~/models/articles.server.ts";
import { getUser, requireStaff } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm } from "~/utils/forms.server.ts";
import { badRequest } from "~/utils/http.server.ts";
import { isStaff } from "~/utils/permissions.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const handle = readOnlyForVisitors;

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data ? [{ title: `${data.article.title} — Unclench` }, { name: "description", content: data.article.summary }] : [{ title: "Article — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const article = await getArticle(user, params.slug ?? "");
  return json({ article, canEdit: isStaff(user) });
}

// A Map, so an intent such as "constructor" or "__proto__" finds nothing instead of Object's own.
const statusIntents = new Map<string, ArticleStatus>([
  ["publish", "published"],
  ["unpublish", "draft"],
  ["archive", "archived"],
]);

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const { intent } = await readForm(request);
  const status = intent ? statusIntents.get(intent) : undefined;
  if (!status) badRequest("Choose publish, unpublish or archive.");
  const slug = params.slug ?? "";
  await setArticleStatus(user, slug, status);
  return redirect(`/articles/${slug}`);
}

const statusNotes: Record<string, string> = {
  draft: "This is a draft: only moderators can see it.",
  archived: "This article is archived: only moderators can see it.",
};

export default function ArticlePage() {
  const { article, canEdit } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/articles">Articles</Link>
      </nav>
      <article className="article">
        <h1>{article.title}</h1>
        {statusNotes[article.status] ? <p className="status-note">{statusNotes[article.status]}</p> : null}
        <p className="article-summary">{article.summary}</p>
        <ReviewLine
          lastReviewedOn={article.lastReviewedOn}
          nextReviewDueOn={article.nextReviewDueOn}
          reviewer={article.reviewer}
          overdue={article.reviewOverdue}
        />
        <p className="meta article-boards">
          Written by {article.author}
          {article.boards.length ? (
            <>
              {" · "}
              {article.boards.length === 1 ? "Board" : "Boards"}:{" "}
              {article.boards.map((board, i) => (
                <span key={board.slug}>
                  {i > 0 ? ", " : null}
                  <Link to={`/boards/${board.slug}`}>{board.name}</Link>
                </span>
              ))}
            </>
          ) : null}
        </p>
        <p className="disclaimer" role="note">
          This article is general information, not medical advice. Everyone is different: talk to your doctor, nurse or pharmacist before you start, stop or
          change a treatment.
        </p>
        <PostBody html={article.bodyHtml} className="article-body" />
        <ReferenceList references={article.references} citations={article.citations} />
        {article.threads.length ? (
          <section aria-labelledby="discussed-heading">
            <h2 id="discussed-heading">Discussed in the forum</h2>
            <ul className="discussed">
              {article.threads.map((thread) => (
                <li key={thread.id}>
                  <Link to={`/threads/${thread.id}`}>{thread.title}</Link>{" "}
                  <span className="meta">
                    in {thread.boardName} · {plural(thread.replyCount, "reply", "replies")}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        ) : null}
      </article>
      {canEdit ? (
        <section className="staff-tools" aria-labelledby="staff-tools-heading">
          <h2 id="staff-tools-heading">Moderator tools</h2>
          <p>
            Status: <strong>{article.status}</strong>
          </p>
          <div className="actions">
            <Link to={`/articles/${article.slug}/edit`} className="button">
              Edit article
            </Link>
            <Link to={`/articles/${article.slug}/history`} className="button">
              Revision history
            </Link>
          </div>
          <Form method="post" className="actions">
            {article.status !== "published" ? (
              <button type="submit" name="intent" value="publish" className="primary">
                Publish
              </button>
            ) : (
              <button type="submit" name="intent" value="unpublish">
                Unpublish (back to draft)
              </button>
            )}
            {article.status !== "archived" ? (
              <button type="submit" name="intent" value="archive" className="danger">
                Archive
              </button>
            ) : null}
          </Form>
        </section>
      ) : null}
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
