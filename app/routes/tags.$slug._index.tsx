import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { ThreadRow } from "~/components/thread-row.tsx";
import { listTaggedThreads } from "~/models/boards.server.ts";
import { tagsOfThreads } from "~/models/tags.server.ts";
import { getUser } from "~/utils/auth.server.ts";
import { parsePage } from "~/utils/http.server.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";

export const handle = readOnlyForVisitors;
export const ErrorBoundary = RouteErrorBoundary;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const { tag, threads, page, pageCount } = await listTaggedThreads(params.slug ?? "", parsePage(request), user);
  const tags = await tagsOfThreads(threads.map((t) => t.id));
  return json({ tag: { slug: tag.slug, name: tag.name }, threads, tags, page, pageCount });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `Threads tagged ${data.tag.name} — Unclench` },
        { tagName: "link", rel: "alternate", type: "application/atom+xml", title: `New threads tagged ${data.tag.name}`, href: `/tags/${data.tag.slug}/feed` },
      ]
    : [{ title: "Unclench" }];

/** Every board's threads with one tag, newest activity first. */
export default function TagPage() {
  const { tag, threads, tags, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Boards</Link>
      </nav>
      <h1>Threads tagged {tag.name}</h1>
      <p>
        <a href={`/tags/${tag.slug}/feed`}>Follow new threads tagged {tag.name} in a feed reader</a>
      </p>
      <h2>Threads{pageCount > 1 ? ` (page ${page} of ${pageCount})` : ""}</h2>
      {threads.length === 0 ? (
        <p>No threads are tagged {tag.name} yet.</p>
      ) : (
        <ul className="thread-list">
          {threads.map((thread) => (
            <ThreadRow key={thread.id} thread={thread} tags={tags[thread.id]} boardSlug={thread.boardSlug} boardName={thread.boardName} />
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} label="Pages of this tag" />
    </>
  );
}
