import type { ReactNode } from "react";
import { WARNING_TEXT_MAX } from "~/utils/limits.ts";
import { warningKindOptions, type WarningView } from "~/utils/content-warnings.ts";
import { TextField } from "./fields.tsx";

/**
 * A warned post's words behind their label (docs/decisions/028). <details> opens without
 * JavaScript, by keyboard (Enter or Space on the summary), and is announced as expandable; the
 * words stay in the page's HTML, as PostBody needs (docs/decisions/008). "Always show" renders it
 * open, the label still above. Without a warning, the words as they are.
 */
export function WarnedBody({ warning, children }: { warning: WarningView | null | undefined; children: ReactNode }) {
  if (!warning) return <>{children}</>;
  // A stand-in already asked before opening (display "hidden"): the words show at once inside it.
  const open = warning.display !== "collapsed";
  return (
    <details className="content-warning" open={open}>
      <summary>
        <span>
          Content warning: {warning.label}
          <span className="cw-show"> — show post</span>
          <span className="cw-hide"> — hide post</span>
        </span>
      </summary>
      {children}
    </details>
  );
}

/** A post whose kind of warning the viewer chose to hide: one line in its place, so the thread has no gap. */
export function WarningStandIn({ label, children }: { label: string; children: ReactNode }) {
  return (
    <details className="warning-stand-in">
      <summary>
        <span>
          A post with a content warning you chose to hide: {label}
          <span className="cw-show"> (show it)</span>
          <span className="cw-hide"> (hide it)</span>
        </span>
      </summary>
      {children}
    </details>
  );
}

/** The composer's content warning: a kind, and the author's own words for "Other". Both always shown (no JavaScript needed). */
export function WarningFields({
  kind,
  text,
  errors,
  legend = "Content warning (optional)",
  hint = "Readers see the label, and open your post if they choose. The title is always shown.",
}: {
  kind: string;
  text: string;
  errors: Record<string, string>;
  legend?: string;
  hint?: string;
}) {
  return (
    <fieldset className="warning-fields">
      <legend>{legend}</legend>
      <p className="hint" id="warningKind-hint">
        {hint}
      </p>
      <div className="field">
        <label htmlFor="warningKind">Warn readers about</label>
        {errors.warningKind ? (
          <p className="field-error" id="warningKind-error">
            {errors.warningKind}
          </p>
        ) : null}
        <select
          id="warningKind"
          name="warningKind"
          defaultValue={warningKindOptions.some((o) => o.value === kind) ? kind : ""}
          aria-describedby={errors.warningKind ? "warningKind-hint warningKind-error" : "warningKind-hint"}
          aria-invalid={errors.warningKind ? true : undefined}
        >
          {warningKindOptions.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <TextField
        name="warningText"
        label="Your own words for the warning"
        hint={`Only with “Other – in my own words”. At most ${WARNING_TEXT_MAX} characters.`}
        defaultValue={text}
        error={errors.warningText}
        maxLength={WARNING_TEXT_MAX}
        autoComplete="off"
      />
    </fieldset>
  );
}
