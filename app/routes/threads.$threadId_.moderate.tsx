import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { FormError } from "~/components/fields.tsx";
import { RemovalReasonFields, RestoreReasonFields } from "~/components/moderation-fields.tsx";
import { listBoards } from "~/models/boards.server.ts";
import { lockThread, movePin, moveThread, pinThread, removeThread, restoreThread, unlockThread, unpinThread } from "~/models/moderation-threads.server.ts";
import { removalReasonText, restoreReasonText } from "~/models/moderation.server.ts";
import { getThreadSummary } from "~/models/threads.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parseId, safeRedirect } from "~/utils/http.server.ts";
import { lockSchema, removalSchema, restoreSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Moderate thread — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const [thread, boards] = await Promise.all([getThreadSummary(parseId(params.threadId), user), listBoards()]);
  return json({ thread, boards: boards.map((b) => ({ slug: b.slug, name: b.name })) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = parseId(params.threadId);
  const user = await requireStaff(request);
  const values = await readForm(request);
  const back = `/threads/${threadId}`;
  const fail = (errors: Record<string, string>) => json({ intent: values.intent, errors, values }, { status: 400 });
  switch (values.intent) {
    case "pin":
      await pinThread(user, threadId);
      return redirect(back);
    case "unpin":
      await unpinThread(user, threadId);
      return redirect(back);
    case "pin-up":
    case "pin-down":
      await movePin(user, threadId, values.intent === "pin-up" ? "up" : "down");
      return redirect(safeRedirect(values.redirectTo, back));
    case "lock": {
      const result = validate(lockSchema, values);
      if (!result.ok) return fail(result.errors);
      await lockThread(user, threadId, result.data.reason);
      return redirect(back);
    }
    case "unlock":
      await unlockThread(user, threadId);
      return redirect(back);
    case "move": {
      if (!values.board) return fail({ board: "Choose a board." });
      await moveThread(user, threadId, values.board);
      return redirect(back);
    }
    case "remove": {
      const result = validate(removalSchema, values);
      if (!result.ok) return fail(result.errors);
      await removeThread(user, threadId, removalReasonText(result.data.reason, result.data.detail));
      return redirect(back);
    }
    case "restore": {
      const result = validate(restoreSchema, values);
      if (!result.ok) return fail(result.errors);
      await restoreThread(user, threadId, restoreReasonText(result.data.reason, result.data.detail));
      return redirect(back);
    }
    default:
      badRequest("Unknown moderation action.");
  }
}

export default function ModerateThread() {
  const { thread, boards } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errorsFor = (intent: string) => (data?.intent === intent ? data.errors : undefined);
  const valuesFor = (intent: string) => (data?.intent === intent ? data.values : undefined);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/threads/${thread.id}`}>Back to the thread</Link>
      </nav>
      <h1>Moderate “{thread.title}”</h1>
      <p className="meta">
        In {thread.boardName}. {thread.pinned ? "Pinned. " : ""}
        {thread.lockedAt ? `Locked: ${thread.lockReason}. ` : ""}
        {thread.removedAt ? `Removed: ${thread.removalReason}.` : ""}
      </p>

      <section aria-labelledby="pin-heading" className="card">
        <h2 id="pin-heading">Pin</h2>
        <p>Pinned threads stay at the top of their board. Change their order from the board page.</p>
        <Form method="post">
          <button type="submit" name="intent" value={thread.pinned ? "unpin" : "pin"}>
            {thread.pinned ? "Unpin thread" : "Pin thread"}
          </button>
        </Form>
      </section>

      <section aria-labelledby="lock-heading" className="card">
        <h2 id="lock-heading">Lock</h2>
        {thread.lockedAt ? (
          <Form method="post">
            <p>Locked: {thread.lockReason}</p>
            <button type="submit" name="intent" value="unlock">
              Unlock thread
            </button>
          </Form>
        ) : (
          <Form method="post">
            <FormError message={errorsFor("lock")?.form} />
            <div className="field">
              <label htmlFor="lock-reason">Reason (shown on the thread)</label>
              {errorsFor("lock")?.reason ? (
                <p className="field-error" id="lock-reason-error">
                  {errorsFor("lock")?.reason}
                </p>
              ) : null}
              <input
                id="lock-reason"
                name="reason"
                defaultValue={valuesFor("lock")?.reason}
                maxLength={300}
                required
                aria-describedby={errorsFor("lock")?.reason ? "lock-reason-error" : undefined}
              />
            </div>
            <button type="submit" name="intent" value="lock">
              Lock thread
            </button>
          </Form>
        )}
      </section>

      <section aria-labelledby="move-heading" className="card">
        <h2 id="move-heading">Move</h2>
        <Form method="post">
          <div className="field">
            <label htmlFor="move-board">Move to board</label>
            <select id="move-board" name="board" defaultValue={thread.boardSlug}>
              {boards.map((b) => (
                <option key={b.slug} value={b.slug}>
                  {b.name}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" name="intent" value="move">
            Move thread
          </button>
        </Form>
      </section>

      <section aria-labelledby="remove-heading" className="card">
        <h2 id="remove-heading">{thread.removedAt ? "Restore" : "Remove"}</h2>
        {thread.removedAt ? (
          <Form method="post">
            <p>Removed: {thread.removalReason}</p>
            <p>The thread returns to its board. Its author is told your reason.</p>
            <RestoreReasonFields prefix="restore" errors={errorsFor("restore")} values={valuesFor("restore")} />
            <button type="submit" name="intent" value="restore">
              Restore thread
            </button>
          </Form>
        ) : (
          <Form method="post">
            <p>The whole thread leaves the board. Its author still sees it with your reason, and you can restore it.</p>
            <RemovalReasonFields prefix="remove" errors={errorsFor("remove")} values={valuesFor("remove")} />
            <button type="submit" name="intent" value="remove" className="danger">
              Remove thread
            </button>
          </Form>
        )}
      </section>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
