import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination.tsx";
import { Time } from "~/components/time.tsx";
import { listBoardThreads } from "~/models/boards.server.ts";
import { plural } from "~/utils/format.ts";
import { parsePage } from "~/utils/http.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { board, threads, page, pageCount } = listBoardThreads(params.slug ?? "", parsePage(request));
  return json({ board: { slug: board.slug, name: board.name, description: board.description }, threads, page, pageCount });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.board.name} — Unclench` : "Unclench" }];

export default function BoardPage() {
  const { board, threads, page, pageCount } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Boards</Link>
      </nav>
      <h1>{board.name}</h1>
      <p>{board.description}</p>
      <p>
        <Link to={`/boards/${board.slug}/new`} className="button primary">
          Start a thread
        </Link>
      </p>
      <h2>Threads{pageCount > 1 ? ` (page ${page} of ${pageCount})` : ""}</h2>
      {threads.length === 0 ? (
        <p>No threads yet. Be the first to start one.</p>
      ) : (
        <ul className="thread-list">
          {threads.map((thread) => (
            <li key={thread.id} className="card">
              <h3>
                <Link to={`/threads/${thread.id}`}>{thread.title}</Link>
              </h3>
              <p className="meta">
                Started by {thread.author} · {plural(thread.replyCount, "reply", "replies")} · Last activity{" "}
                <Time value={thread.lastPostAt} />
                {thread.lastPoster ? ` by ${thread.lastPoster}` : ""}
              </p>
            </li>
          ))}
        </ul>
      )}
      <Pagination page={page} pageCount={pageCount} label="Board pages" />
    </>
  );
}
