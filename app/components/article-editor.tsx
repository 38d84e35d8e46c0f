import { Form, useNavigation } from "@remix-run/react";
import type { ArticleReference } from "../../db/schema.ts";
import { BODY_MAX, TITLE_MAX } from "~/utils/limits.ts";
import { FormError, TextArea, TextField } from "./fields.tsx";
import { ReferenceList } from "./article-references.tsx";
import { PostBody } from "./post-body.tsx";

export type ArticlePreview = {
  title: string;
  summary: string;
  bodyHtml: string;
  references: ArticleReference[];
  /** For reference k (index k-1), the ids of its citations in the body: the back-links. */
  citations: string[][];
  referencesError: string | null;
};

export type ArticleEditorData = {
  values?: Record<string, string>;
  errors?: Record<string, string>;
  preview?: ArticlePreview;
};

const STATUSES = [
  { value: "draft", label: "Draft", hint: "only moderators can see it" },
  { value: "published", label: "Published", hint: "everyone can read it" },
  { value: "archived", label: "Archived", hint: "hidden from readers, kept for the record" },
];

const REFERENCE_EXAMPLE = `authors: Katzberg HD, Khan AH, So YT.
title: Assessment: symptomatic treatment for muscle cramps
source: Neurology
year: 2010
doi: 10.1212/WNL.0b013e3181d0ccca
pmid: 20177124

authors: National Institute for Health and Care Excellence (NICE)
title: Multiple sclerosis in adults: management
source: NICE
year: 2022
url: https://www.nice.org.uk/guidance/ng220`;

/**
 * The article form (new and edit). Plain fields and one structured references box, so it
 * works without JavaScript; "Preview" posts to the same action and renders on the server.
 * Field names are read by articleSchema in app/utils/schemas.server.ts.
 */
export function ArticleEditor({
  boards,
  values,
  data,
  submitLabel,
}: {
  boards: { slug: string; name: string }[];
  /** What the form shows: the action's echo after a failed save or preview, else the saved article. */
  values: Record<string, string>;
  data?: ArticleEditorData;
  submitLabel: string;
}) {
  const navigation = useNavigation();
  const busyIntent = navigation.state !== "idle" ? navigation.formData?.get("intent") : undefined;
  const errors = data?.errors ?? {};
  const fieldErrorCount = Object.keys(errors).filter((k) => k !== "form").length;
  const v = (name: string) => values[name] ?? "";
  // A text field's name is also where its shown value and its error are found.
  const field = (name: string) => ({ name, defaultValue: v(name), error: errors[name] });
  return (
    <Form method="post" className="article-editor" preventScrollReset>
      <FormError message={errors.form} />
      {fieldErrorCount > 0 ? (
        <FormError
          message={`Please fix ${fieldErrorCount === 1 ? "the marked field" : `the ${fieldErrorCount} marked fields`} below; nothing was saved yet.`}
        />
      ) : null}
      <TextField {...field("title")} label="Title" maxLength={TITLE_MAX} required autoComplete="off" />
      <TextField
        {...field("slug")}
        label="Address"
        hint="The end of the article's address (/articles/…): letters a–z, numbers and hyphens. Leave it empty to make one from the title."
        maxLength={80}
        autoComplete="off"
        spellCheck={false}
      />
      <TextArea {...field("summary")} label="Summary" hint="Up to 300 characters, shown on board pages and in the article list." rows={3} required />
      <TextArea
        {...field("body")}
        label="Article text"
        hint="Markdown works: ## headings, **bold**, lists and [links](https://example.org). Cite a reference by its number in square brackets, like [1]."
        rows={18}
        maxLength={BODY_MAX}
        required
      />
      <TextArea
        {...field("references")}
        label="References"
        hint="In citation order. One reference per block with a blank line between them; each line is a name and a value: authors, title, source (journal or publisher), year, and at least one of doi, pmid (PubMed ID) or url (https://)."
        rows={12}
        spellCheck={false}
      />
      <details className="reference-example">
        <summary>Show an example of two references</summary>
        <pre>{REFERENCE_EXAMPLE}</pre>
      </details>
      <TextField {...field("author")} label="Author" maxLength={200} required />
      <TextField
        {...field("reviewer")}
        label="Reviewer"
        hint="Name and credential, for example “Dr A. Patel, consultant neurologist”."
        maxLength={200}
        required
      />
      <div className="date-fields">
        <TextField {...field("lastReviewedOn")} label="Last reviewed" type="date" required />
        <TextField {...field("nextReviewDueOn")} label="Next review due" type="date" required />
      </div>
      <fieldset className="choices" aria-describedby={errors.status ? "status-error" : undefined}>
        <legend>Status</legend>
        {errors.status ? (
          <p className="field-error" id="status-error">
            {errors.status}
          </p>
        ) : null}
        {STATUSES.map((status) => (
          <div className="choice" key={status.value}>
            <input type="radio" id={`status-${status.value}`} name="status" value={status.value} defaultChecked={v("status") === status.value} />
            <label htmlFor={`status-${status.value}`}>
              {status.label} <span className="choice-hint">— {status.hint}</span>
            </label>
          </div>
        ))}
      </fieldset>
      <fieldset className="pins">
        <legend>Pin to boards</legend>
        <p className="hint">Pinned articles show at the top of a board, in order: 1 comes first. Leave the order empty to add the article at the end.</p>
        {boards.map((board) => {
          const orderName = `order-${board.slug}`;
          const orderError = errors[orderName];
          return (
            <div className="pin-row" key={board.slug}>
              <div className="choice">
                <input type="checkbox" id={`pin-${board.slug}`} name={`pin-${board.slug}`} defaultChecked={v(`pin-${board.slug}`) === "on"} />
                <label htmlFor={`pin-${board.slug}`}>
                  <span className="visually-hidden">Pin to </span>
                  {board.name}
                </label>
              </div>
              <div className="pin-order">
                <label htmlFor={orderName}>
                  Order<span className="visually-hidden"> on {board.name}</span>
                </label>
                <input
                  type="number"
                  inputMode="numeric"
                  id={orderName}
                  name={orderName}
                  min={1}
                  max={999}
                  defaultValue={v(orderName)}
                  aria-invalid={orderError ? true : undefined}
                  aria-describedby={orderError ? `${orderName}-error` : undefined}
                />
                {orderError ? (
                  <p className="field-error" id={`${orderName}-error`}>
                    {orderError}
                  </p>
                ) : null}
              </div>
            </div>
          );
        })}
      </fieldset>
      {data?.preview ? (
        <section className="preview article-preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <p className="preview-title">{data.preview.title || "(no title yet)"}</p>
          {data.preview.summary ? <p className="article-summary">{data.preview.summary}</p> : null}
          <PostBody html={data.preview.bodyHtml} className="article-body" />
          {data.preview.referencesError ? (
            <p className="field-error">References not shown: {data.preview.referencesError}</p>
          ) : (
            <ReferenceList references={data.preview.references} citations={data.preview.citations} headingId="preview-references-heading" headingLevel={3} />
          )}
        </section>
      ) : null}
      <div className="actions">
        <button type="submit" name="intent" value="save" className="primary">
          {busyIntent === "save" ? "Saving…" : submitLabel}
        </button>
        <button type="submit" name="intent" value="preview" formNoValidate>
          {busyIntent === "preview" ? "Rendering preview…" : "Preview"}
        </button>
      </div>
    </Form>
  );
}
