import { Form } from "@remix-run/react";
import { APPEAL_MAX } from "~/utils/limits.ts";
import { FormError, TextArea } from "./fields.tsx";

/**
 * The request for review on the suspension notice (and again on /appeal when something needs
 * fixing). `token` is the single-use key the login handed out: the member has no session.
 */
export function AppealForm({ token, text, error, formError }: { token: string; text?: string; error?: string; formError?: string }) {
  return (
    <Form method="post" action="/appeal" className="stack">
      <FormError message={formError} />
      <input type="hidden" name="token" value={token} />
      <TextArea
        name="appeal"
        label="Your request for review"
        hint="In your own calm words: what happened, and why you think the suspension should end. A moderator reads every request and answers it; you will see the answer here the next time you log in. This form works for one hour."
        rows={8}
        maxLength={APPEAL_MAX}
        defaultValue={text}
        error={error}
        required
      />
      <button type="submit" className="primary">
        Send my request
      </button>
    </Form>
  );
}
