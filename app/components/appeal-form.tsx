import { Form } from "@remix-run/react";
import { APPEAL_MAX } from "~/utils/limits.ts";
import { useKeptOnDevice } from "~/utils/kept-on-device.ts";
import { FormError, TextArea } from "./fields.tsx";

/**
 * The request for review on the suspension notice (and again on /appeal when something needs
 * fixing). `token` is the single-use key the login handed out: the member has no session, so
 * the server keeps no draft; with JS the text is kept in the browser instead, under `member`.
 */
export function AppealForm({
  token,
  member,
  text,
  error,
  formError,
}: {
  token: string;
  /** The member's username: whose text is kept on this device. */
  member?: string | null;
  text?: string;
  error?: string;
  formError?: string;
}) {
  // Not the token, which is new at every login. Keyed by member, so that on a shared computer
  // one suspended member is never shown another's request.
  const owner = (member ?? "").trim().toLowerCase();
  const kept = useKeptOnDevice(owner ? `appeal:${owner}` : null, "appeal");
  return (
    <Form method="post" action="/appeal" className="stack" {...kept.formProps}>
      <FormError message={formError} />
      <input type="hidden" name="token" value={token} />
      {/* Sent back by /appeal when the form must be shown again, so the kept text stays found. */}
      <input type="hidden" name="member" value={owner} />
      <TextArea
        name="appeal"
        label="Your request for review"
        hint="What happened, as you see it, and why you think the suspension should end. A moderator reads every request and answers it; you will see the answer here the next time you log in. This form works for one hour."
        rows={8}
        maxLength={APPEAL_MAX}
        defaultValue={text}
        error={error}
        required
      />
      <p className="hint">
        {/* Here from the first render, so that filling it is announced; only a restore fills it. */}
        <span aria-live="polite">{kept.state === "restored" ? "What you wrote here before is back. " : ""}</span>
        {kept.state !== "off" ? "Kept on this device while you write, until you send it." : null}
      </p>
      <button type="submit" className="primary">
        Send my request
      </button>
    </Form>
  );
}
