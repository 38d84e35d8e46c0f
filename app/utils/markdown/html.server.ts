/** Escaping, and the one shape an outgoing link takes in rendered markdown. */

/** rel forced onto every outgoing link; a user-supplied rel is never kept. */
export const LINK_REL = "nofollow ugc noopener noreferrer";

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Like escapeHtml but leaves existing character references (`&amp;`, `&#x61;`) alone. */
export function escapeHtmlKeepEntities(text: string): string {
  return text.replace(/[<>"']|&(?!(?:#\d{1,7}|#[Xx][a-fA-F0-9]{1,6}|\w+);)/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Literal-prefix check on the markdown-level URL (before any entity decoding). */
const SAFE_HREF_PREFIX = /^(?:https?:\/\/[^\s]|mailto:[^\s])/i;

/**
 * Returns the attribute-ready (escaped) href, or null if the link must be
 * rendered as text. `literal` is true for autolinks, whose text is not
 * entity-decoded by marked; other hrefs may contain character references that
 * the HTML parser will decode, so those are kept (the scheme prefix is checked
 * literally, so a reference can never form or disguise the scheme; the
 * sanitizer re-checks the decoded value anyway).
 */
export function safeHref(href: string, literal: boolean): string | null {
  if (!SAFE_HREF_PREFIX.test(href)) return null;
  let encoded: string;
  try {
    encoded = encodeURI(href).replace(/%25/g, "%");
  } catch {
    return null; // lone surrogates
  }
  return literal ? escapeHtml(encoded) : escapeHtmlKeepEntities(encoded);
}

export function anchor(href: string, innerHtml: string): string {
  return `<a href="${href}" rel="${LINK_REL}">${innerHtml}</a>`;
}
