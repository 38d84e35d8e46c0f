import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { ConversationTools, ModeratorReads, ParticipantList } from "~/components/conversation-people.tsx";
import { CrisisPanel } from "~/components/crisis-panel.tsx";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { MessageForm, type MessageFormData } from "~/components/message-form.tsx";
import { MessageItem } from "~/components/message-item.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { KeptText, ReadOnlyNotice } from "~/components/posting-notices.tsx";
import { getConversation, markConversationRead, sentRiskRecently } from "~/models/conversation-pages.server.ts";
import { addPeople, leaveConversation, limitMessage, sendMessage } from "~/models/conversations.server.ts";
import { claimPendingDraft, getDraft, messageDraftKey } from "~/models/drafts.server.ts";
import { getReadOnlyNotice } from "~/models/standing.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { draftText, postKeepingDraft, requireUserOrKeepText, restoreToken } from "~/utils/composer.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parseId, parsePage } from "~/utils/http.server.ts";
import { handleMessageForm } from "~/utils/message-form.server.ts";
import { addPeopleSchema, replyMessageSchema } from "~/utils/message-schemas.server.ts";
import { CONVERSATION_MEMBERS_MAX } from "~/utils/messages.ts";
import { rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";
import styles from "~/styles/messages.css";

export const links = () => [{ rel: "stylesheet", href: styles }];
// What autosave keeps of the reply form.
const REPLY_FIELDS = ["body"] as const;
export const ErrorBoundary = RouteErrorBoundary;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const conversationId = parseId(params.conversationId);
  // Back from logging in after the session ended: the kept text becomes this reply's draft (on
  // /drafts, unnamed, if the member is not in this conversation).
  const restore = restoreToken(request);
  if (restore) {
    await claimPendingDraft(user, restore.token);
    throw redirect(`${restore.cleanUrl}#reply-heading`);
  }
  const url = new URL(request.url);
  const draftKey = messageDraftKey(conversationId);
  // No page asked for: the last one, where the newest messages are.
  const data = await getConversation(user, conversationId, url.searchParams.has("page") ? parsePage(request) : null);
  const lastShown = data.messages.at(-1)?.id;
  const [readOnly, showCrisisPanel, draft] = await Promise.all([
    getReadOnlyNotice(user),
    url.searchParams.get("support") === "1" ? sentRiskRecently(user.id, conversationId) : false,
    getDraft(user, draftKey),
    lastShown ? markConversationRead(user.id, conversationId, lastShown) : null,
  ]);
  return json({ ...data, readOnly, showCrisisPanel, draftKey, draft });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const conversationId = parseId(params.conversationId);
  const values = await readForm(request);
  if (values.intent === "send" || values.intent === "preview" || values.intent === "draft") return reply(request, conversationId, values);
  const user = await requireUser(request);
  if (values.intent === "leave") {
    await leaveConversation(user, conversationId);
    return redirect("/messages?left=1");
  }
  if (values.intent === "add") {
    const result = validate(addPeopleSchema, values);
    if (!result.ok) return json({ intent: "add", values, errors: result.errors }, { status: 400 });
    const added = await addPeople(user, conversationId, result.data.people);
    if (!added.ok) return json({ intent: "add", values, errors: added.errors }, { status: added.status });
    return redirect(`/messages/${conversationId}#people-tools`);
  }
  badRequest("That isn't something this page can do.");
}

/**
 * The reply form's buttons. Text sent after the session ended waits for its writer to log in; a
 * reply that is refused is kept as the member's draft, and one that is sent discards it.
 */
async function reply(request: Request, conversationId: number, values: Record<string, string>) {
  const key = messageDraftKey(conversationId);
  const user = await requireUserOrKeepText(request, { key, ...draftText(values) });
  const draft = { actor: user, key };
  const early = await handleMessageForm(values, draft);
  if (early) return early;
  return postKeepingDraft(draft, values, async () => {
    const result = validate(replyMessageSchema, values);
    if (!result.ok) return json({ intent: "send", values, errors: result.errors }, { status: 400 });
    const limit = await limitMessage(user, false);
    if (!limit.ok) {
      const form = retryMessage(limit.retryAfterSeconds, "You've sent a lot of messages in the last few minutes.");
      return rateLimited(limit.retryAfterSeconds, { intent: "send", values, errors: { form } as Record<string, string> });
    }
    const sent = await sendMessage(user, conversationId, result.data.body);
    if (!sent.ok) return json({ intent: "send", values, errors: sent.errors }, { status: sent.status });
    if (sent.atRisk) return redirect(`/messages/${conversationId}?support=1#crisis-panel-heading`);
    return redirect(`/messages/${conversationId}#message-${sent.messageId}`);
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.conversation.subject} — Messages — Unclench` : "Messages — Unclench" }];

export default function ConversationPage() {
  const { conversation, participants, messages, page, pageCount, moderatorReads, cannotWrite, readOnly, showCrisisPanel, draftKey, draft } =
    useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as MessageFormData | undefined;
  const location = useLocation();
  const here = `/messages/${conversation.id}`;
  // A form's answer without an intent is the 503 the server gives any form (the reply's text is in it).
  const sendData = data && data.intent !== "add" ? data : undefined;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/messages">Messages</Link>
      </nav>
      <h1>{conversation.subject}</h1>
      {showCrisisPanel ? <CrisisPanel about="message" /> : null}
      <p className="meta">A private conversation. Only the people in it can read it.</p>
      <ParticipantList people={participants} />
      <ModeratorReads reads={moderatorReads} />
      <Pagination page={page} pageCount={pageCount} label="Pages of this conversation (top)" href={(p) => `${here}?page=${p}`} />
      <ol className="posts messages">
        {messages.map((m) => (
          <li key={m.id} id={`message-${m.id}`} className="post card message">
            <MessageItem message={m} viewerSees={m.mine ? "author" : null}>
              {!m.mine && !m.removed && !m.deleted ? (
                <div className="post-actions">
                  <Link to={`${here}/report/${m.id}`} className="button">
                    Report<span className="visually-hidden"> the message from {m.author}</span>
                  </Link>
                </div>
              ) : null}
              {m.mine && !m.deleted ? (
                // Drawn as destructive, like a post's Delete; it opens a page that asks first, since erased words can't come back.
                <div className="post-actions">
                  <div className="post-delete">
                    <Link to={`${here}/delete/${m.id}`} className="button">
                      Delete<span className="visually-hidden"> your message</span>
                    </Link>
                  </div>
                </div>
              ) : null}
            </MessageItem>
          </li>
        ))}
      </ol>
      <Pagination page={page} pageCount={pageCount} label="Pages of this conversation (bottom)" href={(p) => `${here}?page=${p}`} />
      <section aria-labelledby="reply-heading" className="reply">
        <h2 id="reply-heading">Reply</h2>
        {readOnly || cannotWrite ? (
          <>
            {readOnly ? <ReadOnlyNotice notice={readOnly} headingLevel={3} /> : <p className="notice">{cannotWrite}</p>}
            {/* Refused because this changed while they wrote, or kept from before: their words, whole, to copy. */}
            <KeptText text={sendData?.values?.body ?? draft?.body ?? ""} kept={!!draft} />
          </>
        ) : (
          <MessageForm
            key={location.key}
            data={sendData}
            bodyLabel="Your reply"
            submitLabel="Send reply"
            action={`${here}#reply-heading`}
            draftKey={draftKey}
            draft={draft}
            draftFields={REPLY_FIELDS}
          />
        )}
      </section>
      <ConversationTools data={data} canAdd={!readOnly && !cannotWrite} room={CONVERSATION_MEMBERS_MAX - participants.length} />
    </>
  );
}
