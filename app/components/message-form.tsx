import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { MESSAGE_MAX } from "~/utils/messages.ts";
import { FormError, TextArea } from "./fields.tsx";
import { PostBody } from "./post-body.tsx";

export type MessageFormData = {
  intent?: string;
  values?: Record<string, string | undefined>;
  errors?: Record<string, string>;
  preview?: string;
};

/**
 * Writing a private message (a new conversation's first, or a reply). "Preview" posts to the same
 * action with intent=preview, so it works without JavaScript and the text is never lost; a refused
 * message comes back in the box with the reason.
 */
export function MessageForm({
  data,
  bodyLabel,
  submitLabel,
  action,
  children,
}: {
  data?: MessageFormData;
  bodyLabel: string;
  submitLabel: string;
  action?: string;
  /** Fields before the text (recipients and subject). */
  children?: ReactNode;
}) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : undefined;
  const errors = data?.errors ?? {};
  return (
    <Form method="post" action={action} className="composer" preventScrollReset>
      <FormError message={errors.form} />
      {children}
      <TextArea
        name="body"
        label={bodyLabel}
        defaultValue={data?.values?.body ?? ""}
        error={errors.body}
        hint="Markdown works: **bold**, *italic*, lists, > quotes and [links](https://example.org). Only the people in the conversation read it."
        rows={8}
        maxLength={MESSAGE_MAX}
        required
      />
      {data?.preview !== undefined ? (
        <section className="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <PostBody html={data.preview} />
        </section>
      ) : null}
      <div className="actions">
        <button type="submit" name="intent" value="send" className="primary">
          {busy === "send" ? "Sending…" : submitLabel}
        </button>
        <button type="submit" name="intent" value="preview" formNoValidate>
          {busy === "preview" ? "Rendering preview…" : "Preview"}
        </button>
      </div>
    </Form>
  );
}
