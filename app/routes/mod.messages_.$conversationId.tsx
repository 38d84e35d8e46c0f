import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { ParticipantList } from "~/components/conversation-people.tsx";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { MessageItem } from "~/components/message-item.tsx";
import { RemovalReasonFields, RestoreReasonFields } from "~/components/moderation-fields.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { Time } from "~/components/time.tsx";
import { dismissMessageReports, getModeratedConversation, removeMessage, restoreMessage } from "~/models/message-moderation.server.ts";
import { removalReasonText, restoreReasonText } from "~/models/moderation.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parseId, parsePage } from "~/utils/http.server.ts";
import { removalSchema, restoreSchema } from "~/utils/schemas.server.ts";
import styles from "~/styles/messages.css";

export const meta = () => [{ title: "Reported conversation — Unclench" }];
export const links = () => [{ rel: "stylesheet", href: styles }];
export const ErrorBoundary = RouteErrorBoundary;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const page = new URL(request.url).searchParams.has("page") ? parsePage(request) : null;
  return json(await getModeratedConversation(user, parseId(params.conversationId), page));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const conversationId = parseId(params.conversationId);
  const values = await readForm(request);
  const messageId = parseId(values.messageId);
  const page = values.page && /^[1-9]\d{0,5}$/.test(values.page) ? values.page : "1";
  const back = `/mod/messages/${conversationId}?page=${page}#message-${messageId}`;
  if (values.intent === "remove") {
    const result = validate(removalSchema, values);
    if (!result.ok) return json({ intent: "remove", messageId, errors: result.errors, values }, { status: 400 });
    await removeMessage(user, messageId, removalReasonText(result.data.reason, result.data.detail));
    return redirect(back);
  }
  if (values.intent === "restore") {
    const result = validate(restoreSchema, values);
    if (!result.ok) return json({ intent: "restore", messageId, errors: result.errors, values }, { status: 400 });
    await restoreMessage(user, messageId, restoreReasonText(result.data.reason, result.data.detail));
    return redirect(back);
  }
  if (values.intent === "dismiss") {
    await dismissMessageReports(user, messageId);
    return redirect(back);
  }
  badRequest("Unknown moderation action.");
}

export default function ModeratedConversation() {
  const { conversation, participants, messages, page, pageCount, reports, openings } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const here = `/mod/messages/${conversation.id}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/mod/messages">Reported messages</Link>
      </nav>
      <h1>Reported conversation: “{conversation.subject}”</h1>
      <p className="notice" role="note">
        You opened this private conversation from a report. The opening is recorded, and its members see that a moderator read it. Read what you need to judge
        the report; it closes for you an hour after you opened it.
      </p>
      <h2>People</h2>
      <ParticipantList people={participants} />
      <Pagination page={page} pageCount={pageCount} label="Pages of this conversation" href={(p) => `${here}?page=${p}`} />
      <ol className="posts messages">
        {messages.map((m) => {
          const its = reports.filter((r) => r.messageId === m.id);
          const open = its.some((r) => r.status === "open");
          const mine = data?.messageId === m.id ? data : undefined;
          return (
            <li key={m.id} id={`message-${m.id}`} className={`post card message${its.length ? " reported" : ""}`}>
              <MessageItem message={m} viewerSees="moderator">
                {its.length ? (
                  <>
                    <h3>Reports on this message</h3>
                    <ul>
                      {its.map((r) => (
                        <li key={r.id}>
                          <strong>{r.reasonLabel}</strong> — {r.reporter}, <Time value={r.createdAt} />
                          {r.status === "open" ? " (open)" : ` (${r.resolution})`}
                          {r.note ? <p className="quoted">{r.note}</p> : null}
                        </li>
                      ))}
                    </ul>
                  </>
                ) : null}
                <div className="queue-actions">
                  {open ? (
                    <Form method="post">
                      <input type="hidden" name="messageId" value={m.id} />
                      <input type="hidden" name="page" value={page} />
                      <button type="submit" name="intent" value="dismiss">
                        Dismiss reports<span className="visually-hidden"> on the message from {m.author}</span>
                      </button>
                    </Form>
                  ) : null}
                  {!m.removed && !m.deleted ? (
                    <details open={mine?.intent === "remove"}>
                      <summary>
                        Remove this message…<span className="visually-hidden"> (from {m.author})</span>
                      </summary>
                      <Form method="post">
                        <input type="hidden" name="messageId" value={m.id} />
                        <input type="hidden" name="page" value={page} />
                        <RemovalReasonFields
                          prefix={`m${m.id}-remove`}
                          label="Reason (shown to the conversation's members)"
                          errors={mine?.errors}
                          values={mine?.values}
                        />
                        <button type="submit" name="intent" value="remove" className="danger">
                          Remove message
                        </button>
                      </Form>
                    </details>
                  ) : null}
                  {m.removed && !m.deleted ? (
                    <details open={mine?.intent === "restore"}>
                      <summary>
                        Restore this message…<span className="visually-hidden"> (from {m.author})</span>
                      </summary>
                      <Form method="post">
                        <input type="hidden" name="messageId" value={m.id} />
                        <input type="hidden" name="page" value={page} />
                        <RestoreReasonFields
                          prefix={`m${m.id}-restore`}
                          label="Reason for restoring (told to its author)"
                          errors={mine?.errors}
                          values={mine?.values}
                        />
                        <button type="submit" name="intent" value="restore">
                          Restore message
                        </button>
                      </Form>
                    </details>
                  ) : null}
                  <Link to={`/mod/members/${m.author}`} className="button">
                    {m.author}'s account…
                  </Link>
                </div>
              </MessageItem>
            </li>
          );
        })}
      </ol>
      <Pagination page={page} pageCount={pageCount} label="Pages of this conversation (bottom)" href={(p) => `${here}?page=${p}`} />
      {openings ? (
        <section aria-labelledby="openings-heading">
          <h2 id="openings-heading">Who opened this conversation</h2>
          <ul>
            {openings.map((o) => (
              <li key={`${o.at}-${o.moderator}`}>
                {o.moderator}, <Time value={o.at} />, after report {o.reportId}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}
