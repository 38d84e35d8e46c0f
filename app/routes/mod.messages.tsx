import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { LogPager, ReflowRow, ReflowTable } from "~/components/log-filters.tsx";
import { Time } from "~/components/time.tsx";
import { listConversationAccess, listMessageReportQueue, openReportedConversation } from "~/models/message-reports.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm } from "~/utils/forms.server.ts";
import { badRequest, parseId, parsePage } from "~/utils/http.server.ts";
import { pageOfMessage } from "~/utils/messages.ts";
import { isAdmin } from "~/utils/permissions.ts";
import styles from "~/styles/messages.css";

export const meta = () => [{ title: "Reported messages — Unclench" }];
export const links = () => [{ rel: "stylesheet", href: styles }];
export const ErrorBoundary = RouteErrorBoundary;

const ACCESS_COLUMNS = ["When", "Moderator", "Conversation", "After the report"];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const [queue, access] = await Promise.all([listMessageReportQueue(user), isAdmin(user) ? listConversationAccess(user, parsePage(request)) : null]);
  return json({ queue, access, page: parsePage(request) });
}

/** Opening a conversation is a write (the access log), so it is a form, never a link. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  if (values.intent !== "open") badRequest("Unknown moderation action.");
  const opened = await openReportedConversation(user, parseId(values.reportId));
  return redirect(`/mod/messages/${opened.conversationId}?page=${pageOfMessage(opened.position)}#message-${opened.messageId}`);
}

export default function ReportedMessages() {
  const { queue, access, page } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Reported messages</h1>
      <p>
        Private conversations are read by no one outside them. When a member reports a message, you may open its conversation to judge the report: each opening
        is recorded with your name and the report, shown to admins, and its members see that a moderator read it and when. Open only what you need.
      </p>
      <p>
        {queue.length === 0
          ? "Nothing waiting. Thank you."
          : `${plural(queue.length, "message")} waiting. Messages where someone may be at risk come first, then the longest-waiting.`}
      </p>
      <ol className="queue">
        {queue.map((item) => (
          <li key={item.messageId} className={`card${item.atRisk ? " at-risk" : ""}`}>
            <article aria-labelledby={`m${item.messageId}-title`}>
              <h2 id={`m${item.messageId}-title`}>
                {item.atRisk ? <span className="badge danger">At risk</span> : null} A message from {item.author}
              </h2>
              <p className="meta">
                Written <Time value={item.writtenAt} /> · {plural(item.reports.length, "report")} · first reported <Time value={item.firstReportedAt} />
              </p>
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
                  <input type="hidden" name="reportId" value={item.reports[0]!.id} />
                  <button type="submit" name="intent" value="open" className="primary">
                    {item.openForMe ? "Open the conversation again" : "Open the conversation"}
                    <span className="visually-hidden"> of the message from {item.author}</span>
                  </button>
                </Form>
                {item.authorRole === "member" ? (
                  <Link to={`/mod/members/${item.author}`} className="button">
                    Suspend or silence {item.author}…
                  </Link>
                ) : null}
              </div>
              <p className="hint">Opening it is recorded, and its members are told a moderator read it.</p>
            </article>
          </li>
        ))}
      </ol>
      {access ? (
        <section aria-labelledby="access-heading">
          <h2 id="access-heading">Conversations moderators opened</h2>
          <p>Every opening of a private conversation, newest first. Only admins see this list.</p>
          {access.entries.length === 0 ? (
            <p>No moderator has opened a conversation yet.</p>
          ) : (
            <ReflowTable caption="Conversations moderators opened" columns={ACCESS_COLUMNS}>
              {access.entries.map((e) => (
                <ReflowRow
                  key={e.id}
                  columns={ACCESS_COLUMNS}
                  cells={[<Time key="when" value={e.at} />, e.moderator, `Conversation ${e.conversationId}`, `${e.reasonLabel}, reported by ${e.reporter}`]}
                />
              ))}
            </ReflowTable>
          )}
          <LogPager page={page} hasMore={access.hasMore} params={params} />
        </section>
      ) : null}
    </>
  );
}
