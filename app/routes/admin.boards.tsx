import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { listBoardAccess, setBoardAccess } from "~/models/boards.server.ts";
import { listBoardReview, setBoardReview } from "~/models/review.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { BOARD_ACCESS_LABELS, reviewLabel } from "~/utils/board-access.ts";
import { readForm } from "~/utils/forms.server.ts";
import { withParams } from "~/utils/href.ts";
import { REVIEW_FIRST_POSTS_MAX } from "~/utils/limits.ts";

export const meta = () => [{ title: "Board access — Unclench" }];

const REVIEW_CHOICES = Array.from({ length: REVIEW_FIRST_POSTS_MAX + 1 }, (_, n) => n);

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [boards, review] = await Promise.all([listBoardAccess(user), listBoardReview(user)]);
  const params = new URL(request.url).searchParams;
  const saved = boards.find((b) => b.slug === params.get("saved"))?.name ?? null;
  return json({ boards, review, saved, savedReview: params.get("setting") === "review" });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  if (values.intent === "review") {
    const board = await setBoardReview(user, values.board ?? "", values.reviewFirstPosts ?? "");
    return redirect(withParams("/admin/boards", { saved: board.slug, setting: "review" }));
  }
  const board = await setBoardAccess(user, values.board ?? "", values.access ?? "");
  return redirect(withParams("/admin/boards", { saved: board.slug }));
}

export default function BoardAccessPage() {
  const { boards, review, saved, savedReview } = useLoaderData<typeof loader>();
  const busy = useNavigation().formData;
  const busyWith = (slug: string, intent: string | null) => busy?.get("board") === slug && busy.get("intent") === intent;
  return (
    <>
      <h1>Board access</h1>
      <p>
        Who can read each board. Members-only content is left out of what visitors, search engines and feed readers get. A thread its author kept to members
        stays so, whatever its board becomes.
      </p>
      <p>
        A board can also hold a new member's first posts for review: until a moderator approves one at the review queue, only its author and the moderators see
        it. Staff are never held.
      </p>
      {saved ? (
        <p className="notice" role="status">
          {savedReview ? `Saved how ${saved} reviews new members' posts.` : `Saved who can read ${saved}.`}
        </p>
      ) : null}
      {boards.map((board) => (
        <div key={board.slug} className="card">
          <Form method="post">
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
            <button type="submit">{busyWith(board.slug, null) ? "Saving…" : `Save who can read ${board.name}`}</button>
          </Form>
          <Form method="post" className="field">
            <input type="hidden" name="board" value={board.slug} />
            <input type="hidden" name="intent" value="review" />
            <label htmlFor={`${board.slug}-review`}>Review of new members' posts in {board.name}</label>
            <select id={`${board.slug}-review`} name="reviewFirstPosts" defaultValue={review[board.slug] ?? 0}>
              {REVIEW_CHOICES.map((n) => (
                <option key={n} value={n}>
                  {reviewLabel(n)}
                </option>
              ))}
            </select>
            <button type="submit">{busyWith(board.slug, "review") ? "Saving…" : `Save review for ${board.name}`}</button>
          </Form>
        </div>
      ))}
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
