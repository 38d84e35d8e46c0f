import { Form, useNavigation } from "@remix-run/react";
import { BODY_MAX, TITLE_MAX } from "~/utils/limits.ts";
import { DosingNudge } from "./dosing-nudge.tsx";
import { FormError, TextArea, TextField } from "./fields.tsx";
import { PostBody } from "./post-body.tsx";

export type ComposerData = {
  values?: { title?: string; body?: string };
  errors?: Record<string, string>;
  preview?: string;
  dosingNudge?: boolean;
};

type Props = {
  /** Present for forms that have a title (new thread, editing an opening post). */
  title?: string;
  body?: string;
  data?: ComposerData;
  bodyLabel: string;
  submitLabel: string;
  action?: string;
};

/**
 * The one form for writing: new threads, replies and edits. "Preview" posts to the same
 * action with intent=preview, so it works without JavaScript and never loses the text.
 */
export function Composer({ title, body = "", data, bodyLabel, submitLabel, action }: Props) {
  const navigation = useNavigation();
  const busyIntent = navigation.state !== "idle" ? navigation.formData?.get("intent") : undefined;
  const errors = data?.errors ?? {};
  const hasTitle = title !== undefined;
  return (
    <Form method="post" action={action} className="composer" preventScrollReset>
      <FormError message={errors.form} />
      {hasTitle ? (
        <TextField
          name="title"
          label="Title"
          defaultValue={data?.values?.title ?? title}
          error={errors.title}
          maxLength={TITLE_MAX}
          required
          autoComplete="off"
        />
      ) : null}
      <TextArea
        name="body"
        label={bodyLabel}
        defaultValue={data?.values?.body ?? body}
        error={errors.body}
        hint="Markdown works: **bold**, *italic*, lists, > quotes and [links](https://example.org). Share your own experience; this is not a place for medical advice."
        rows={10}
        maxLength={BODY_MAX}
        required
      />
      {data?.preview !== undefined ? (
        <section className="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <PostBody html={data.preview} />
        </section>
      ) : null}
      {data?.dosingNudge ? <DosingNudge /> : null}
      <div className="actions">
        <button type="submit" name="intent" value="post" className="primary">
          {busyIntent === "post" ? "Posting…" : submitLabel}
        </button>
        <button type="submit" name="intent" value="preview" formNoValidate>
          {busyIntent === "preview" ? "Rendering preview…" : "Preview"}
        </button>
      </div>
    </Form>
  );
}
