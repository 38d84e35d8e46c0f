/**
 * The ONE place where user-authored markdown becomes HTML; the modules in ./markdown/ are its
 * parts and nothing else imports them.
 *
 * Pipeline: markdown --(marked, locked-down renderer)--> HTML --(sanitize-html,
 * strict allowlist)--> HTML. Either layer on its own is meant to be safe; the
 * second one is there so that a mistake (or a marked upgrade) in the first one
 * does not turn into stored XSS.
 *
 * Layer 1 (markdown/marked.server.ts):
 *  - raw HTML is rendered as escaped text, never as markup;
 *  - links survive only with a literal http://, https:// or mailto: prefix and
 *    always get rel="nofollow ugc noopener noreferrer"; titles are dropped
 *    (markdown/html.server.ts);
 *  - images are rendered as plain links (member privacy: no third-party
 *    requests / tracking pixels when someone reads a post);
 *  - headings are shifted down two levels;
 *  - `[k]` citations (articles only) via an inline extension;
 *  - guards against marked's deep recursion and quadratic scans
 *    (markdown/guards.server.ts).
 *
 * Layer 2 (markdown/sanitize.server.ts): tag/attribute allowlist, scheme
 * allowlist on the entity-decoded href, rel forced, `class` only "cite" on
 * same-page `#ref-k` anchors (k within the article's references, so never in a
 * post), `id` only "cite-k-n" on those, relative URLs otherwise dropped.
 */
import sanitizeHtml from "sanitize-html";
import { capContainerMarkers } from "./markdown/guards.server.ts";
import { escapeHtml } from "./markdown/html.server.ts";
import { createMarked } from "./markdown/marked.server.ts";
import { sanitizeOptions } from "./markdown/sanitize.server.ts";

export const MAX_MARKDOWN_LENGTH = 20_000;

function fallbackHtml(markdown: string): string {
  const body = escapeHtml(markdown).replace(/\r\n?/g, "\n").replace(/\n/g, "<br>");
  return body ? `<p>${body}</p>` : "";
}

/**
 * Renders member-authored markdown to sanitized HTML. Never throws; "" for "".
 * `referenceCount` (articles only): when n > 0, a literal `[k]` in text
 * (1 <= k <= n, not inside code or link text) becomes
 * `<sup><a class="cite" href="#ref-k" id="cite-k-m">[k]</a></sup>`, m counting
 * the citations of reference k from 1 in document order. Length is not
 * enforced here: callers validate against MAX_MARKDOWN_LENGTH.
 */
export function renderMarkdown(markdown: string, options?: { referenceCount?: number }): string {
  if (typeof markdown !== "string" || markdown.length === 0) return "";
  const rawCount = options?.referenceCount;
  const referenceCount = typeof rawCount === "number" && Number.isFinite(rawCount) && rawCount > 0 ? Math.floor(rawCount) : 0;
  // marked reads "\r\n" and "\r" as "\n" too: one key whether or not a form's text was normalised.
  const text = markdown.replace(/\r\n?/g, "\n");
  return render(text, referenceCount);
}

function render(markdown: string, referenceCount: number) {
  let html: string;
  try {
    const result = createMarked(referenceCount).parse(capContainerMarkers(markdown));
    html = typeof result === "string" ? result : fallbackHtml(markdown);
  } catch {
    // marked should not throw after the guards, but the contract is
    // "never throw": show the text, escaped, instead.
    html = fallbackHtml(markdown);
  }
  try {
    return sanitizeHtml(html, sanitizeOptions(referenceCount)).trim();
  } catch {
    return "";
  }
}
