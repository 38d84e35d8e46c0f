import { Form } from "@remix-run/react";
import { CONVERSATION_MEMBERS_MAX, RECIPIENTS_FIELD_MAX } from "~/utils/messages.ts";
import { FormError, TextField } from "./fields.tsx";
import type { MessageFormData } from "./message-form.tsx";
import { Time } from "./time.tsx";

export type Participant = {
  username: string;
  deleted: boolean;
  started: boolean;
  addedBy: string | null;
  joinedAt: string;
  leftAt: string | null;
  you?: boolean;
};

/** Who is (and was) in a conversation, in the order they joined. */
export function ParticipantList({ people }: { people: Participant[] }) {
  return (
    <ul className="participants">
      {people.map((p) => (
        <li key={p.username}>
          <strong>{p.you ? `${p.username} (you)` : p.username}</strong>
          {p.started ? " — started the conversation" : null}
          {p.addedBy ? (
            <>
              {" "}
              — added by {p.addedBy} on <Time value={p.joinedAt} />
            </>
          ) : null}
          {p.leftAt ? (
            <>
              ; {p.deleted ? "deleted their account" : "left"} on <Time value={p.leftAt} />
            </>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The line every member sees for each time a moderator opened the conversation after a report. */
export function ModeratorReads({ reads }: { reads: string[] }) {
  if (reads.length === 0) return null;
  return (
    <section className="notice moderator-reads" aria-labelledby="moderator-reads-heading">
      <h2 id="moderator-reads-heading">Moderators read this conversation</h2>
      <ul>
        {reads.map((at) => (
          <li key={at}>
            A moderator read this conversation on <Time value={at} /> after a report.
          </li>
        ))}
      </ul>
      <p className="hint">Moderators read a private conversation only when someone in it reports a message. Who reported it is not shown.</p>
    </section>
  );
}

/** "Add people" and "Leave", each behind its own summary so neither is pressed by accident. */
export function ConversationTools({ data, canAdd, room }: { data?: MessageFormData; canAdd: boolean; room: number }) {
  const adding = data?.intent === "add";
  return (
    <section aria-labelledby="people-tools-heading" id="people-tools">
      <h2 id="people-tools-heading" className="visually-hidden">
        People in this conversation
      </h2>
      {canAdd && room > 0 ? (
        <details open={adding}>
          <summary>Add people…</summary>
          <Form method="post" preventScrollReset>
            <FormError message={adding ? data?.errors?.form : undefined} />
            <TextField
              name="people"
              label="Usernames to add"
              hint={`They will read the whole conversation, from its first message. Up to ${CONVERSATION_MEMBERS_MAX} people in all: ${room} more.`}
              defaultValue={adding ? data?.values?.people : undefined}
              error={adding ? data?.errors?.people : undefined}
              maxLength={RECIPIENTS_FIELD_MAX}
              autoComplete="off"
              required
            />
            <button type="submit" name="intent" value="add">
              Add to the conversation
            </button>
          </Form>
        </details>
      ) : null}
      <details>
        <summary>Leave this conversation…</summary>
        <Form method="post">
          <p>
            It will be gone from your messages, and nobody can add you back. The others see that you left. If someone here made you uncomfortable, you can
            report their message first.
          </p>
          <button type="submit" name="intent" value="leave" className="danger">
            Leave the conversation
          </button>
        </Form>
      </details>
    </section>
  );
}
