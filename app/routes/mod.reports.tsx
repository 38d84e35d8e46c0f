import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RemovalReasonFields, RestrictionFields } from "~/components/moderation-fields.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { dismissReports, removalReasonText, removePost, suspendMember } from "~/models/moderation.server.ts";
import { listReportQueue } from "~/models/reports.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { removalSchema, restrictionSchema } from "~/utils/schemas.server.ts";

export const meta = () => [{ title: "Report queue — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  return json({ queue: listReportQueue(user) });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  const postId = parseId(values.postId);
  const fail = (errors: Record<string, string>) => json({ postId, intent: values.intent, errors, values }, { status: 400 });
  if (values.intent === "remove") {
    const result = validate(removalSchema, values);
    if (!result.ok) return fail(result.errors);
    removePost(user, postId, removalReasonText(result.data.reason, result.data.detail));
  } else if (values.intent === "dismiss") {
    dismissReports(user, postId);
  } else if (values.intent === "suspend") {
    const result = validate(restrictionSchema, values);
    if (!result.ok) return fail(result.errors);
    suspendMember(user, parseId(values.authorId), { ...result.data, fromReportPostId: postId });
  } else {
    badRequest("Unknown moderation action.");
  }
  return redirect("/mod/reports");
}

export default function ReportQueue() {
  const { queue } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <h1>Report queue</h1>
      <p>
        {queue.length === 0
          ? "Nothing waiting. Thank you."
          : `${plural(queue.length, "post")} waiting. Posts where someone may be at risk come first, then the longest-waiting.`}
      </p>
      <p>
        <Link to="/mod/log" className="target-link">
          Moderation log
        </Link>
      </p>
      <ol className="queue">
        {queue.map((item) => {
          const mine = data?.postId === item.post.id ? data : undefined;
          const prefix = `p${item.post.id}`;
          return (
            <li key={item.post.id} className={`card${item.atRisk ? " at-risk" : ""}`}>
              <article aria-labelledby={`${prefix}-title`}>
                <h2 id={`${prefix}-title`}>
                  {item.atRisk ? <span className="badge danger">At risk</span> : null}{" "}
                  <Link to={`/threads/${item.post.threadId}?page=${item.post.page}#post-${item.post.id}`}>
                    Post {item.post.number} in “{item.post.threadTitle}”
                  </Link>
                </h2>
                <p className="meta">
                  By {item.post.author} in {item.post.boardName} · {plural(item.count, "report")} · first reported{" "}
                  <Time value={item.firstReportedAt} />
                  {item.post.removedAt ? " · already removed" : ""}
                </p>
                <PostBody html={item.post.bodyHtml} className="quoted-post" />
                <h3>Why it was reported</h3>
                <ul>
                  {item.reports.map((r) => (
                    <li key={r.id}>
                      <strong>{r.reasonLabel}</strong> — {r.reporter}, <Time value={r.createdAt} />
                      {r.note ? <p className="quoted">{r.note}</p> : null}
                    </li>
                  ))}
                </ul>
                <div className="queue-actions">
                  <Form method="post">
                    <input type="hidden" name="postId" value={item.post.id} />
                    <button type="submit" name="intent" value="dismiss">
                      Dismiss reports
                    </button>
                  </Form>
                  <details open={mine?.intent === "remove"}>
                    <summary>Remove the post…</summary>
                    <Form method="post">
                      <input type="hidden" name="postId" value={item.post.id} />
                      <RemovalReasonFields prefix={`${prefix}-remove`} errors={mine?.intent === "remove" ? mine.errors : undefined} values={mine?.intent === "remove" ? mine.values : undefined} />
                      <button type="submit" name="intent" value="remove" className="danger">
                        Remove post
                      </button>
                    </Form>
                  </details>
                  {item.post.authorRole === "member" ? (
                    <details open={mine?.intent === "suspend"}>
                      <summary>Suspend {item.post.author}…</summary>
                      <Form method="post">
                        <input type="hidden" name="postId" value={item.post.id} />
                        <input type="hidden" name="authorId" value={item.post.authorId} />
                        <RestrictionFields prefix={`${prefix}-suspend`} errors={mine?.intent === "suspend" ? mine.errors : undefined} values={mine?.intent === "suspend" ? mine.values : undefined} reasonLabel="Reason (shown to the member)" />
                        <button type="submit" name="intent" value="suspend" className="danger">
                          Suspend {item.post.author}
                        </button>
                      </Form>
                    </details>
                  ) : null}
                </div>
              </article>
            </li>
          );
        })}
      </ol>
    </>
  );
}
