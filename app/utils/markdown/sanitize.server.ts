/**
 * Layer 2: sanitize-html's strict allowlist, a backstop for anything layer 1 (marked.server.ts)
 * gets wrong. `class` is only "cite" on same-page `#ref-k` anchors (k within the article's
 * references, so never in a post), `id` only "cite-k-n" on those; relative URLs are dropped.
 */
import sanitizeHtml from "sanitize-html";
import { LINK_REL } from "./html.server.ts";

const SANITIZE_DROP_TAG = "x-unclench-dropped"; // not allowed => tag removed, text kept
const CITE_HREF = /^#ref-([1-9]\d{0,5})$/;
const CITE_ID = /^cite-([1-9]\d{0,5})-[1-9]\d{0,5}$/;
/** Absolute http(s)/mailto URL after the HTML parser has decoded entities. */
const SAFE_DECODED_HREF = /^(?:https?:\/\/[^\s\x00-\x1f\x7f]|mailto:[^\s\x00-\x1f\x7f])/i;

/**
 * Per render, because a citation anchor is only allowed for a reference the article has:
 * with no references (every post) there are no `a.cite`, hence no ids at all.
 */
export const sanitizeOptions = (referenceCount: number): sanitizeHtml.IOptions => ({
  allowedTags: [
    "p",
    "br",
    "strong",
    "em",
    "del",
    "s",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "sup",
  ],
  allowedAttributes: {
    a: ["href", "rel", "class", "id"],
    ol: ["start"],
  },
  allowedClasses: { a: ["cite"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: {},
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  allowedStyles: {},
  parseStyleAttributes: false,
  disallowedTagsMode: "discard",
  enforceHtmlBoundary: false,
  allowVulnerableTags: false,
  // Backstop for anything that slipped past the depth guards (guards.server.ts).
  nestingLimit: 64,
  transformTags: {
    h1: "h3",
    h2: "h3",
    // Authoritative href check, on the entity-decoded value. Rebuilds the
    // attribute set from scratch so no user attribute (rel, target, style,
    // on*, id, title...) survives.
    a(_tagName, attribs): sanitizeHtml.Tag {
      const href = (attribs["href"] ?? "").trim();
      const k = attribs["class"] === "cite" ? CITE_HREF.exec(href)?.[1] : undefined;
      if (k !== undefined && Number(k) <= referenceCount) {
        // An id only of the form "cite-k-n", k being this anchor's own reference.
        const id = attribs["id"] ?? "";
        return { tagName: "a", attribs: CITE_ID.exec(id)?.[1] === k ? { class: "cite", href, id } : { class: "cite", href } };
      }
      if (SAFE_DECODED_HREF.test(href)) {
        return { tagName: "a", attribs: { href, rel: LINK_REL } };
      }
      return { tagName: SANITIZE_DROP_TAG, attribs: {} };
    },
  },
});
