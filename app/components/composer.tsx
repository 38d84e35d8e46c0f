import { Form, useFetcher, useNavigation } from "@remix-run/react";
import { useEffect, useRef, useState, type MouseEvent, type ReactNode, type RefObject } from "react";
import { isWarningKind, warningLabel } from "~/utils/content-warnings.ts";
import { BODY_MAX, TITLE_MAX } from "~/utils/limits.ts";
import { DraftStatus, useAutosave } from "./autosave.tsx";
import { WarnedBody, WarningFields } from "./content-warning.tsx";
import { DosingNudge } from "./dosing-nudge.tsx";
import { FormError, TextArea, TextField } from "./fields.tsx";
import { PostBody } from "./post-body.tsx";
import { Time } from "./time.tsx";

export type ComposerData = {
  values?: { title?: string; body?: string; warningKind?: string; warningText?: string; readers?: string; tags?: string };
  errors?: Record<string, string>;
  preview?: string;
  dosingNudge?: boolean;
  /** Set after "Save draft": when it was saved, or "" when the text was empty (nothing kept). */
  draftSaved?: string;
};

export type ComposerDraft = { title: string | null; body: string; warningKind?: string | null; warningText?: string | null; updatedAt: string } | null;

/** A post's content warning as the form starts with it (the post's own, or a quoted post's). */
export type ComposerWarning = { kind: string | null; text: string | null } | null;

type Props = {
  /** Present for forms that have a title (new thread, editing an opening post). */
  title?: string;
  body?: string;
  /** The content warning the form starts with. */
  warning?: ComposerWarning;
  data?: ComposerData;
  bodyLabel: string;
  submitLabel: string;
  action?: string;
  /** The member's draft key ("thread:<slug>", "reply:<id>", "edit:<post id>"): turns on "Save draft" and autosave. */
  draftKey?: string;
  /** A saved draft for this form, restored as the starting text. */
  draft?: ComposerDraft;
  /**
   * While a draft exists: a button that throws it away (intent=discard-draft, which the route's
   * action handles). Last in the row, so Enter in a field never presses it.
   */
  discardDraftLabel?: string;
  /** The post this reply answers (its author is notified); shown so the member knows. */
  replyTo?: Answering | null;
  /** The reply form of a thread page: a Quote link's words (JS) are added at the end of its box. */
  takesQuotes?: boolean;
  /** Focus the first field when the form appears: the member has just asked to write (guidelines accepted). */
  focusFirst?: boolean;
  /** Fields of this form alone, after the text (a new thread's readers). */
  extra?: ReactNode;
};

type Answering = { postId: number; number: number; author: string };

// What autosave sends of the composer: the fields each form has (autosave.tsx).
const POST_FIELDS = ["body", "warningKind", "warningText"] as const;
const TITLED_FIELDS = ["title", ...POST_FIELDS] as const;

/**
 * The text with a quote added after it: never instead of it, and not twice (a second tap on
 * Quote, or a reload that finds the quote already in the saved draft).
 */
export function withQuote(text: string, quote: string) {
  if (text.includes(quote.trim())) return text;
  const before = text.trimEnd();
  return before ? `${before}\n\n${quote}` : quote;
}

/** One fetcher shared by every Quote link and the reply form, so the form sees what a link loaded. */
const QUOTE_FETCHER = "quote";

/**
 * A Quote link's onClick. Following the link (what happens without JavaScript) would reload the
 * reply form from the saved draft and drop anything typed since the last autosave; instead the
 * quote is loaded from the same address and the reply form adds it to what is in the box.
 */
export function useQuoteLink() {
  const fetcher = useFetcher({ key: QUOTE_FETCHER });
  return (event: MouseEvent<HTMLAnchorElement>) => {
    // A new tab or window, or a page without the reply form: the plain link does it.
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    if (!document.querySelector("form[data-takes-quotes] textarea[name=body]")) return;
    event.preventDefault();
    const url = new URL(event.currentTarget.href);
    fetcher.load(url.pathname + url.search);
  };
}

/** Adds each quote a Quote link loads to the end of the box, answering that post (JS). */
function useQuotes(takesQuotes: boolean, formRef: RefObject<HTMLFormElement>, markDirty: () => void, replyTo: Answering | null | undefined) {
  const fetcher = useFetcher<{ quote: string | null; replyTo: Answering | null; quoteWarning: ComposerWarning }>({ key: QUOTE_FETCHER });
  // A quote loaded before this form mounted (the form is new after each post) was already used.
  const handled = useRef(fetcher.data);
  const [answering, setAnswering] = useState(replyTo);
  useEffect(() => {
    const loaded = fetcher.data;
    if (!takesQuotes || !loaded || loaded === handled.current) return;
    handled.current = loaded;
    const box = formRef.current?.elements.namedItem("body");
    if (!loaded.quote || !(box instanceof HTMLTextAreaElement)) return;
    box.value = withQuote(box.value, loaded.quote);
    // A warned post's words come with its warning, unless the member already chose one.
    const kind = formRef.current?.elements.namedItem("warningKind");
    const words = formRef.current?.elements.namedItem("warningText");
    if (loaded.quoteWarning?.kind && kind instanceof HTMLSelectElement && !kind.value) {
      kind.value = loaded.quoteWarning.kind;
      if (words instanceof HTMLInputElement && !words.value) words.value = loaded.quoteWarning.text ?? "";
    }
    setAnswering(loaded.replyTo);
    markDirty(); // so autosave keeps the quote too
    document.getElementById("reply-heading")?.scrollIntoView();
    box.focus({ preventScroll: true });
    box.setSelectionRange(box.value.length, box.value.length);
  }, [fetcher.data, takesQuotes, formRef, markDirty]);
  return answering;
}

/**
 * The one form for writing: new threads, replies and edits. "Preview" posts to the same
 * action with intent=preview, so it works without JavaScript and never loses the text.
 */
export function Composer({
  title,
  body = "",
  warning,
  data,
  bodyLabel,
  submitLabel,
  action,
  draftKey,
  draft,
  discardDraftLabel,
  replyTo,
  takesQuotes,
  focusFirst,
  extra,
}: Props) {
  const navigation = useNavigation();
  const busyIntent = navigation.state !== "idle" ? navigation.formData?.get("intent") : undefined;
  const errors = data?.errors ?? {};
  const hasTitle = title !== undefined;
  const autosave = useAutosave(draftKey, hasTitle ? TITLED_FIELDS : POST_FIELDS);
  const restored = draft && !data ? draft : null;
  const answering = useQuotes(!!takesQuotes, autosave.formRef, autosave.markDirty, replyTo);
  // What was sent, else the restored draft (whose "no warning" is a choice too), else the starting warning.
  const chosen =
    data?.values ??
    (restored ? { warningKind: restored.warningKind, warningText: restored.warningText } : { warningKind: warning?.kind, warningText: warning?.text });
  const warningKind = chosen.warningKind ?? "";
  const warningText = chosen.warningText ?? "";
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
      data-takes-quotes={takesQuotes ? "" : undefined}
    >
      <FormError message={errors.form} />
      {answering ? (
        <p className="hint">
          <input type="hidden" name="replyTo" value={answering.postId} />
          Answering post {answering.number} by {answering.author}; they will be notified.
        </p>
      ) : null}
      {restored ? (
        <p className="hint">
          Your draft from <Time value={restored.updatedAt} /> is back in the form below.
        </p>
      ) : null}
      {hasTitle ? (
        <TextField
          name="title"
          label="Title"
          defaultValue={data?.values?.title ?? restored?.title ?? title}
          error={errors.title}
          maxLength={TITLE_MAX}
          required
          autoComplete="off"
          // eslint-disable-next-line jsx-a11y/no-autofocus -- only right after the member chose to write
          autoFocus={focusFirst}
        />
      ) : null}
      <TextArea
        name="body"
        label={bodyLabel}
        defaultValue={data?.values?.body ?? restored?.body ?? body}
        error={errors.body}
        hint="Markdown works: **bold**, *italic*, lists, > quotes and [links](https://example.org). Share your own experience; this is not a place for medical advice."
        rows={10}
        maxLength={BODY_MAX}
        required
        // eslint-disable-next-line jsx-a11y/no-autofocus -- only right after the member chose to write
        autoFocus={focusFirst && !hasTitle}
      />
      {extra}
      {data?.preview !== undefined ? (
        <section className="preview" aria-labelledby="preview-heading">
          <h2 id="preview-heading">Preview</h2>
          <WarnedBody warning={isWarningKind(warningKind) ? { kind: warningKind, label: warningLabel(warningKind, warningText), display: "open" } : null}>
            <PostBody html={data.preview} />
          </WarnedBody>
        </section>
      ) : null}
      {/* After the preview, which a small screen must still show right below the text (reply-form.spec.ts). */}
      <WarningFields kind={warningKind} text={warningText} errors={errors} />
      {data?.dosingNudge ? <DosingNudge /> : null}
      <div className="actions">
        <button type="submit" name="intent" value="post" className="primary">
          {busyIntent === "post" ? "Posting…" : submitLabel}
        </button>
        <button type="submit" name="intent" value="preview" formNoValidate>
          {busyIntent === "preview" ? "Rendering preview…" : "Preview"}
        </button>
        {draftKey ? (
          <button type="submit" name="intent" value="draft" formNoValidate>
            {busyIntent === "draft" ? "Saving draft…" : "Save draft"}
          </button>
        ) : null}
        {draftKey && draft && discardDraftLabel ? (
          <button type="submit" name="intent" value="discard-draft" formNoValidate>
            {busyIntent === "discard-draft" ? "Discarding draft…" : discardDraftLabel}
          </button>
        ) : null}
      </div>
      {draftKey ? <DraftStatus result={autosave.result} data={data} submitLabel={submitLabel} /> : null}
    </Form>
  );
}
