import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { TextField } from "~/components/fields.tsx";
import { Link } from "~/components/link.tsx";
import { MessageForm, type MessageFormData } from "~/components/message-form.tsx";
import { ReadOnlyNotice } from "~/components/posting-notices.tsx";
import { Time } from "~/components/time.tsx";
import { getStartGate, limitMessage, startConversation } from "~/models/conversations.server.ts";
import { getReadOnlyNotice } from "~/models/standing.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { checkMessageForm, newConversationSchema } from "~/utils/message-schemas.server.ts";
import { RECIPIENTS_FIELD_MAX, RECIPIENTS_MAX, START_MIN_DAYS, START_MIN_POSTS, SUBJECT_MAX } from "~/utils/messages.ts";
import { rateLimited, retryMessage } from "~/utils/rate-limit.server.ts";

export const meta = () => [{ title: "New conversation — Unclench" }];
export const ErrorBoundary = RouteErrorBoundary;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  // `?to=` from a profile's "Send a message": only what could be usernames is put in the field.
  const to = (new URL(request.url).searchParams.get("to") ?? "").slice(0, RECIPIENTS_FIELD_MAX);
  const [gate, readOnly] = await Promise.all([getStartGate(user), getReadOnlyNotice(user)]);
  return json({ gate, readOnly, to: /^[A-Za-z0-9_,@ -]*$/.test(to) ? to : "" });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  const early = checkMessageForm(values);
  if (early) return early;
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
}

export default function NewConversation() {
  const { gate, readOnly, to } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as MessageFormData | undefined;
  const errors = data?.errors ?? {};
  return (
    <div className="narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/messages">Messages</Link>
      </nav>
      <h1>New conversation</h1>
      {readOnly ? (
        <ReadOnlyNotice notice={readOnly} />
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
        </section>
      ) : (
        <MessageForm data={data} bodyLabel="Your message" submitLabel="Send message">
          <TextField
            name="to"
            label="To"
            hint={`Usernames of 1 to ${RECIPIENTS_MAX} members, separated by commas.`}
            defaultValue={data?.values?.to ?? to}
            error={errors.to}
            maxLength={RECIPIENTS_FIELD_MAX}
            autoComplete="off"
            required
          />
          <TextField
            name="subject"
            label="Subject"
            defaultValue={data?.values?.subject ?? ""}
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
