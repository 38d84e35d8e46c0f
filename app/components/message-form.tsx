import { Form, useNavigation } from "@remix-run/react";
import type { ReactNode } from "react";
import { MESSAGE_MAX } from "~/utils/messages.ts";
import { DraftStatus, useAutosave } from "./autosave.tsx";
import { FormError, TextArea } from "./fields.tsx";
import { PostBody } from "./post-body.tsx";
import { Time } from "./time.tsx";

export type MessageFormData = {
  intent?: string;
  values?: Record<string, string | undefined>;
  errors?: Record<string, string>;
  preview?: string;
  /** Set after "Save draft": when it was saved, or "" when the form was empty (nothing kept). */
  draftSaved?: string;
};

/** The member's saved draft for a message form (drafts.server.ts): a new message's subject is its title. */
export type MessageDraft = { title: string | null; body: string; recipients: string | null; updatedAt: string } | null;

/**
 * Writing a private message (a new conversation's first, or a reply). "Preview" and "Save draft"
 * post to the same action (intent=preview, intent=draft), so they work without JavaScript and the
 * text is never lost; with it, the text is saved as a draft as it is typed. A refused message
 * comes back in the box with the reason.
 */
export function MessageForm({
  data,
  bodyLabel,
  submitLabel,
  action,
  draftKey,
  draft,
  draftFields,
  children,
}: {
  data?: MessageFormData;
  bodyLabel: string;
  submitLabel: string;
  action?: string;
  /** The member's draft key ("message:<conversation id>", "message:new…"): turns on "Save draft" and autosave. */
  draftKey: string;
  /** Shown as the starting text (the route puts its subject and recipients in `children`'s fields). */
  draft: MessageDraft;
  /** The form's fields that autosave keeps. */
  draftFields: readonly string[];
  /** Fields before the text (recipients and subject). */
  children?: ReactNode;
}) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("intent") : undefined;
  const errors = data?.errors ?? {};
  const autosave = useAutosave(draftKey, draftFields);
  const restored = draft && !data ? draft : null;
  return (
    <Form
      method="post"
      action={action}
      className="composer"
      preventScrollReset
      ref={autosave.formRef}
      onChange={autosave.markDirty}
      onBlur={autosave.onBlur}
      onSubmit={autosave.onSubmit}
    >
      <FormError message={errors.form} />
      {restored ? (
        <p className="hint">
          Your draft from <Time value={restored.updatedAt} /> is back in the form below.
        </p>
      ) : null}
      {children}
      <TextArea
        name="body"
        label={bodyLabel}
        defaultValue={data?.values?.body ?? restored?.body ?? ""}
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
        <button type="submit" name="intent" value="draft" formNoValidate>
          {busy === "draft" ? "Saving draft…" : "Save draft"}
        </button>
      </div>
      <DraftStatus result={autosave.result} data={data} submitLabel={submitLabel} />
    </Form>
  );
}
