import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { listBoardAccess, setBoardAccess } from "~/models/boards.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { BOARD_ACCESS_LABELS } from "~/utils/board-access.ts";
import { readForm } from "~/utils/forms.server.ts";
import { withParams } from "~/utils/href.ts";

export const meta = () => [{ title: "Board access — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const boards = await listBoardAccess(await requireUser(request));
  const saved = new URL(request.url).searchParams.get("saved");
  return json({ boards, saved: boards.find((b) => b.slug === saved)?.name ?? null });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  const board = await setBoardAccess(user, values.board ?? "", values.access ?? "");
  return redirect(withParams("/admin/boards", { saved: board.slug }));
}

export default function BoardAccessPage() {
  const { boards, saved } = useLoaderData<typeof loader>();
  const busy = useNavigation().formData?.get("board");
  return (
    <>
      <h1>Board access</h1>
      <p>
        Who can read each board. Members-only content is left out of what visitors, search engines and feed readers get. A thread its author kept to members
        stays so, whatever its board becomes.
      </p>
      {saved ? (
        <p className="notice" role="status">
          Saved who can read {saved}.
        </p>
      ) : null}
      {boards.map((board) => (
        <Form method="post" key={board.slug} className="card">
          <input type="hidden" name="board" value={board.slug} />
          <fieldset className="choices">
            <legend>{board.name}</legend>
            {Object.entries(BOARD_ACCESS_LABELS).map(([access, label]) => (
              <div className="choice" key={access}>
                <input type="radio" id={`${board.slug}-${access}`} name="access" value={access} defaultChecked={board.access === access} />
                <label htmlFor={`${board.slug}-${access}`}>{label}</label>
              </div>
            ))}
          </fieldset>
          <button type="submit">{busy === board.slug ? "Saving…" : `Save who can read ${board.name}`}</button>
        </Form>
      ))}
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
