import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { TextField } from "~/components/fields.tsx";
import { Link } from "~/components/link.tsx";
import { MessageForm, type MessageFormData } from "~/components/message-form.tsx";
import { KeptText, ReadOnlyNotice } from "~/components/posting-notices.tsx";
import { Time } from "~/components/time.tsx";
import { getStartGate, limitMessage, startConversation } from "~/models/conversations.server.ts";
import { claimPendingDraft, getDraft, newMessageDraftKey } from "~/models/drafts.server.ts";
import { getReadOnlyNotice } from "~/models/standing.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { draftText, postKeepingDraft, requireUserOrKeepText, restoreToken } from "~/utils/composer.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { handleMessageForm } from "~/utils/message-form.server.ts";
import { newConversationSchema } from "~/utils/message-schemas.server.ts";
import { RECIPIENTS_FIELD_MAX, RECIPIENTS_MAX, START_MIN_DAYS, START_MIN_POSTS, SUBJECT_MAX } from "~/utils/messages.ts";
import { rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";

export const meta = () => [{ title: "New conversation — Unclench" }];
export const ErrorBoundary = RouteErrorBoundary;
// What autosave keeps of the form.
const NEW_MESSAGE_FIELDS = ["to", "subject", "body"] as const;

/** `?to=` from a profile's "Send a message": only what could be usernames is put in the field. */
function askedFor(request: Request) {
  const to = (new URL(request.url).searchParams.get("to") ?? "").slice(0, RECIPIENTS_FIELD_MAX);
  return /^[A-Za-z0-9_,@ -]*$/.test(to) ? to : "";
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // Back from logging in after the session ended: the kept message becomes this form's draft.
  const restore = restoreToken(request);
  if (restore) {
    await claimPendingDraft(user, restore.token);
    throw redirect(restore.cleanUrl);
  }
  const to = askedFor(request);
  const draftKey = newMessageDraftKey(to);
  const [gate, readOnly, draft] = await Promise.all([getStartGate(user), getReadOnlyNotice(user), getDraft(user, draftKey)]);
  return json({ gate, readOnly, to, draftKey, draft });
}

export async function action({ request }: ActionFunctionArgs) {
  const values = await readForm(request);
  // The form posts to its own address, so a profile's `?to=` names the same draft as the page.
  const key = newMessageDraftKey(askedFor(request));
  const user = await requireUserOrKeepText(request, { key, ...draftText(values) });
  const draft = { actor: user, key };
  const early = await handleMessageForm(values, draft);
  if (early) return early;
  return postKeepingDraft(draft, values, async () => {
    const result = validate(newConversationSchema, values);
    if (!result.ok) return json({ intent: "send", values, errors: result.errors }, { status: 400 });
    const limit = await limitMessage(user, true);
    if (!limit.ok) {
      const form = retryMessage(limit.retryAfterSeconds, "You've started or sent a lot of conversations lately.");
      return rateLimited(limit.retryAfterSeconds, { intent: "send", values, errors: { form } as Record<string, string> });
    }
    const started = await startConversation(user, result.data);
    if (!started.ok) return json({ intent: "send", values, errors: started.errors }, { status: started.status });
    // After words about ending their life, the member lands on the help, at the top of the page.
    if (started.atRisk) return redirect(`/messages/${started.conversationId}?support=1#crisis-panel-heading`);
    return redirect(`/messages/${started.conversationId}#message-${started.messageId}`);
  });
}

export default function NewConversation() {
  const { gate, readOnly, to, draftKey, draft } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as MessageFormData | undefined;
  const errors = data?.errors ?? {};
  const restored = draft && !data ? draft : null;
  // No form to put it in: the member's words, whole, to copy.
  const kept = <KeptText title={data?.values?.subject ?? draft?.title} text={data?.values?.body ?? draft?.body ?? ""} kept={!!draft} />;
  return (
    <div className="narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/messages">Messages</Link>
      </nav>
      <h1>New conversation</h1>
      {readOnly ? (
        <>
          <ReadOnlyNotice notice={readOnly} />
          {kept}
        </>
      ) : !gate.open ? (
        <section className="notice" aria-labelledby="gate-heading">
          <h2 id="gate-heading">You can start conversations soon</h2>
          <p>
            To keep members safe from strangers and spam, private conversations can be started by members whose account is at least {START_MIN_DAYS} days old
            and who have {plural(START_MIN_POSTS, "post")} up on the forum.
          </p>
          <ul>
            {gate.opensAt ? (
              <li>
                Your account will be {START_MIN_DAYS} days old on <Time value={gate.opensAt} />.
              </li>
            ) : null}
            {gate.postsToGo > 0 ? <li>You need {plural(gate.postsToGo, "more post")} on the boards.</li> : null}
          </ul>
          <p>Until then you can answer anyone who writes to you, and talk with everyone on the boards.</p>
          {kept}
        </section>
      ) : (
        <MessageForm data={data} bodyLabel="Your message" submitLabel="Send message" draftKey={draftKey} draft={draft} draftFields={NEW_MESSAGE_FIELDS}>
          <TextField
            name="to"
            label="To"
            hint={`Usernames of 1 to ${RECIPIENTS_MAX} members, separated by commas.`}
            defaultValue={data?.values?.to ?? restored?.recipients ?? to}
            error={errors.to}
            maxLength={RECIPIENTS_FIELD_MAX}
            autoComplete="off"
            required
          />
          <TextField
            name="subject"
            label="Subject"
            defaultValue={data?.values?.subject ?? restored?.title ?? ""}
            error={errors.subject}
            maxLength={SUBJECT_MAX}
            autoComplete="off"
            required
          />
        </MessageForm>
      )}
    </div>
  );
}
