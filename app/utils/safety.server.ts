/**
 * Content checks used when a member posts. The phrase lists live in ./safety-phrases.ts
 * (browser-safe, so the composer can run them too); this module adds the server-only parts.
 */
import { renderMarkdown } from "./markdown.server.ts";

export { detectDosingAdvice, detectRisk } from "./safety-phrases.ts";

/**
 * Links as readers will see them: the markdown is rendered by the one renderer, so bare URLs,
 * www. addresses, autolinks, images (shown as links) and [text](url) all count once, while a
 * URL in `code` or an unsafe `javascript:` link (rendered as text) does not.
 */
export function countLinks(markdown: string): number {
  return renderMarkdown(markdown).match(/<a\s/g)?.length ?? 0;
}

/**
 * The sign-up honeypot: a text field people never see (and screen readers never announce) but
 * form-filling bots do. Any value in it means the form was not filled in by a person.
 */
export const HONEYPOT_FIELD = "leave_blank";

export function isHoneypotFilled(values: Record<string, string>) {
  return (values[HONEYPOT_FIELD] ?? "").trim() !== "";
}
