import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { Time } from "~/components/time.tsx";
import { listWatchedBoards, unwatchBoard } from "~/models/board-watches.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest } from "~/utils/http.server.ts";
import { unwatchSchema } from "~/utils/schemas.server.ts";

export const meta: MetaFunction = () => [{ title: "Boards you watch — Unclench" }];

const PAGE = "/settings/watching";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ boards: await listWatchedBoards(user.id) });
}

/** Stop watching one board per press; back to the list with a note naming it. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, PAGE);
  const result = validate(unwatchSchema, await readForm(request));
  if (!result.ok) badRequest("That isn't something this page can do.");
  const board = await unwatchBoard(user, result.data.board);
  return redirect(`${PAGE}?stopped=${board.slug}`);
}

export default function WatchedBoards() {
  const { boards } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const stopped = params.get("stopped");
  return (
    <div className="settings">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/settings">Settings</Link>
      </nav>
      <h1>Boards you watch</h1>
      <div role="status">{stopped ? <p className="saved">You've stopped watching that board.</p> : null}</div>
      <p>When someone starts a new thread in a board you watch, it shows in your notifications. To watch a board, use the button at the end of its page.</p>
      {boards.length === 0 ? (
        <p>You aren't watching any boards.</p>
      ) : (
        <ul className="session-list">
          {boards.map((b) => (
            <li key={b.slug} className="session">
              <p className="session-about">
                <Link to={`/boards/${b.slug}`}>{b.name}</Link>{" "}
                <span className="meta">
                  since <Time value={b.since} />
                </span>
              </p>
              <Form method="post">
                <input type="hidden" name="board" value={b.slug} />
                <button type="submit" name="intent" value="unwatch">
                  Stop watching {b.name}
                </button>
              </Form>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
