import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { ReferenceList } from "~/components/article-references.tsx";
import { CalendarDate } from "~/components/article-review-line.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { getArticleHistory } from "~/models/article-revisions.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Revision history: ${data?.article.title ?? "article"} — Unclench` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json(await getArticleHistory(user, params.slug ?? ""));
}

type Version = {
  title: string;
  summary: string;
  bodyHtml: string;
  references: { authors: string; title: string; source: string; year: number; doi?: string; pmid?: string; url?: string }[];
  author: string;
  reviewer: string;
  lastReviewedOn: string;
  nextReviewDueOn: string;
};

// Several versions share the page, so reference lists carry no #ref-k ids (they would clash).
function VersionBody({ version, id }: { version: Version; id: string }) {
  return (
    <>
      <p className="meta">
        Title: <strong>{version.title}</strong> · Author: {version.author} · Reviewed <CalendarDate value={version.lastReviewedOn} /> by {version.reviewer},
        next review due <CalendarDate value={version.nextReviewDueOn} />
      </p>
      <p className="article-summary">{version.summary}</p>
      <PostBody html={version.bodyHtml} className="article-body" />
      <ReferenceList references={version.references} headingId={`${id}-references`} headingLevel={3} anchors={false} />
    </>
  );
}

export default function ArticleHistory() {
  const { article, revisions } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/articles">Articles</Link> › <Link to={`/articles/${article.slug}`}>{article.title}</Link>
      </nav>
      <h1>Revision history</h1>
      <p>
        {revisions.length === 0
          ? "This article has not been edited since it was written."
          : `${revisions.length} earlier ${revisions.length === 1 ? "version" : "versions"}, newest first.`}
      </p>
      <ol className="history" reversed>
        <li className="card">
          <h2>
            Current version ({article.status}), written <Time value={article.updatedAt} />
          </h2>
          <VersionBody version={article} id="current" />
        </li>
        {revisions.map((revision) => (
          <li key={revision.id} className="card">
            <h2>
              Version written <Time value={revision.writtenAt} />
            </h2>
            <p className="meta">
              Replaced <Time value={revision.replacedAt} />
              {revision.editor ? ` by ${revision.editor}` : ""}
            </p>
            <VersionBody version={revision} id={`revision-${revision.id}`} />
          </li>
        ))}
      </ol>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
