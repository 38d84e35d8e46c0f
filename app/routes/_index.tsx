import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BoardAccessNote } from "~/components/board-access.tsx";
import { Link } from "~/components/link.tsx";
import { Time } from "~/components/time.tsx";
import { listBoardsSeenBy } from "~/models/boards.server.ts";
import { getUser } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const handle = readOnlyForVisitors;

export async function loader({ request }: LoaderFunctionArgs) {
  const boards = await listBoardsSeenBy(await getUser(request));
  return json({ boards: boards.map(({ id, ...board }) => board) });
}

export default function Home() {
  const { boards } = useLoaderData<typeof loader>();
  return (
    <>
      <section className="welcome" aria-labelledby="welcome-heading">
        <h1 id="welcome-heading">Peer support for cramps, spasms and spasticity</h1>
        <p>Talk with people who know what a 3 a.m. calf cramp or a spasm that won't let go feels like. Read freely; join to post and reply.</p>
      </section>
      <h2>Boards</h2>
      <ul className="board-list">
        {boards.map((board) => (
          <li key={board.slug} className="card">
            <h3>
              <Link to={`/boards/${board.slug}`}>{board.name}</Link>
            </h3>
            <p>{board.description}</p>
            <BoardAccessNote access={board.access} />
            <p className="meta">
              {plural(board.threadCount, "thread")}
              {" · "}
              {board.lastPostAt ? (
                <>
                  Latest activity <Time value={board.lastPostAt} />
                </>
              ) : (
                "No posts yet"
              )}
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
