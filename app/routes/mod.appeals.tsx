import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { FormError } from "~/components/fields.tsx";
import { Time } from "~/components/time.tsx";
import { decideAppeal, listOpenAppeals } from "~/models/appeals.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";
import { APPEAL_QUEUE_SIZE, APPEAL_REPLY_MAX } from "~/utils/limits.ts";
import { appealDecisionSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Requests for review — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const params = new URL(request.url).searchParams;
  // After a decision: whose request it was and what was decided, for the confirmation line.
  const done = params.get("lifted")
    ? { username: params.get("lifted")!, lifted: true }
    : params.get("kept")
      ? { username: params.get("kept")!, lifted: false }
      : null;
  return json({ queue: await listOpenAppeals(user), done });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  const appealId = parseId(values.appealId);
  const fail = (status: number, errors: Record<string, string>) => json({ appealId, errors, values: { reply: values.reply ?? "" } }, { status });
  const result = validate(appealDecisionSchema, values);
  if (!result.ok) return fail(400, result.errors);
  const outcome = await decideAppeal(user, appealId, result.data.intent, result.data.reply);
  if (!outcome.ok) return fail(409, { form: outcome.message });
  return redirect(`/mod/appeals?${new URLSearchParams({ [result.data.intent === "grant" ? "lifted" : "kept"]: outcome.username })}`);
}

export default function AppealQueue() {
  const { queue, done } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <h1>Requests for review</h1>
      {done ? (
        <p className="notice" role="status">
          {done.lifted ? `You lifted ${done.username}'s suspension.` : `${done.username}'s suspension stays.`} They will see your reply.
        </p>
      ) : null}
      <p>
        {queue.length === 0
          ? "No suspended member is waiting for an answer."
          : `${plural(queue.length, "request")} waiting${queue.length === APPEAL_QUEUE_SIZE ? " (the oldest shown)" : ""}, the longest-waiting first. What members write here is seen only by moderators.`}
      </p>
      <p>
        <Link to="/mod/log" className="target-link">
          Moderation log
        </Link>
      </p>
      <ol className="queue">
        {queue.map((item) => {
          const mine = data?.appealId === item.id ? data : undefined;
          const prefix = `appeal-${item.id}`;
          const describedBy = [`${prefix}-hint`, mine?.errors.reply ? `${prefix}-error` : null].filter(Boolean).join(" ");
          return (
            <li key={item.id} className="card">
              <article aria-labelledby={`${prefix}-title`}>
                <h2 id={`${prefix}-title`}>
                  Request from <Link to={`/mod/members/${item.username}`}>{item.username}</Link>
                </h2>
                <p className="meta">
                  Received <Time value={item.createdAt} /> · suspended{" "}
                  {item.suspendedUntil ? (
                    <>
                      until <Time value={item.suspendedUntil} />
                    </>
                  ) : (
                    "permanently"
                  )}
                </p>
                <p>
                  <strong>Reason for the suspension:</strong> {item.suspendReason}
                </p>
                <h3>What they wrote</h3>
                <p className="quoted">{item.body}</p>
                {item.canDecide ? (
                  <Form method="post" className="stack">
                    <FormError message={mine?.errors.form} />
                    <input type="hidden" name="appealId" value={item.id} />
                    <div className="field">
                      <label htmlFor={`${prefix}-reply`}>Reply to {item.username}</label>
                      <p className="hint" id={`${prefix}-hint`}>
                        Needed for either answer. They read it on their suspension notice, or in a notification if you lift the suspension.
                      </p>
                      {mine?.errors.reply ? (
                        <p className="field-error" id={`${prefix}-error`}>
                          {mine.errors.reply}
                        </p>
                      ) : null}
                      <textarea
                        id={`${prefix}-reply`}
                        name="reply"
                        rows={4}
                        maxLength={APPEAL_REPLY_MAX}
                        defaultValue={mine?.values.reply}
                        required
                        aria-invalid={mine?.errors.reply ? true : undefined}
                        aria-describedby={describedBy}
                      />
                    </div>
                    <div className="queue-actions">
                      <button type="submit" name="intent" value="grant" className="primary">
                        Lift the suspension<span className="visually-hidden"> of {item.username}</span>
                      </button>
                      <button type="submit" name="intent" value="deny">
                        Keep the suspension<span className="visually-hidden"> of {item.username}</span>
                      </button>
                    </div>
                  </Form>
                ) : (
                  <p className="meta">Only an admin can answer this request: it comes from a member of staff.</p>
                )}
              </article>
            </li>
          );
        })}
      </ol>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
