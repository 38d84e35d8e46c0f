/** A small, strict reader for the sanitizer's (regular) output format, for the markdown tests. */
import { expect } from "vitest";

export const REL = "nofollow ugc noopener noreferrer";

interface Element {
  name: string;
  attrs: Record<string, string>;
  raw: string;
}

const OPEN_TAG = /<([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
const CLOSE_TAG = /<\/([a-zA-Z][a-zA-Z0-9-]*)\s*>/g;
const ATTR = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

function decodeEntities(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === "#") {
      const code = ref[1] === "x" || ref[1] === "X" ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return Number.isFinite(code) && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    const named: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", colon: ":", tab: "\t", newline: "\n" };
    return named[ref.toLowerCase()] ?? whole;
  });
}

export function elements(html: string): Element[] {
  const found: Element[] = [];
  for (const match of html.matchAll(OPEN_TAG)) {
    const attrs: Record<string, string> = {};
    for (const a of (match[2] ?? "").matchAll(ATTR)) {
      attrs[a[1]!.toLowerCase()] = decodeEntities(a[2] ?? a[3] ?? a[4] ?? "");
    }
    found.push({ name: match[1]!.toLowerCase(), attrs, raw: match[0] });
  }
  return found;
}

const ALLOWED_TAGS = new Set([
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
]);
const ALLOWED_ATTRS: Record<string, string[]> = { a: ["href", "rel", "class", "id"], ol: ["start"] };
export const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

/**
 * Invariants every rendering must satisfy, whatever the input:
 * every `<` starts an allowlisted tag, attributes are allowlisted, links are
 * http(s)/mailto with the forced rel, or a same-page citation anchor whose only
 * possible id is "cite-k-n" for its own reference k.
 */
export function expectSafe(html: string): void {
  const stripped = html.replace(OPEN_TAG, "").replace(CLOSE_TAG, "");
  expect(stripped, "stray '<' that a browser could parse as markup").not.toContain("<");
  for (const el of elements(html)) {
    expect(ALLOWED_TAGS.has(el.name), `tag <${el.name}> not allowed: ${el.raw}`).toBe(true);
    for (const attr of Object.keys(el.attrs)) {
      expect(ALLOWED_ATTRS[el.name] ?? [], `attribute ${attr} on <${el.name}>: ${el.raw}`).toContain(attr);
    }
    if (el.name === "a") {
      const href = el.attrs["href"];
      expect(href, `<a> without href: ${el.raw}`).toBeDefined();
      if (el.attrs["class"] !== undefined) {
        expect(el.attrs["class"]).toBe("cite");
        expect(href).toMatch(/^#ref-\d+$/);
        if (el.attrs["id"] !== undefined) expect(el.attrs["id"]).toMatch(new RegExp(`^cite-${href!.slice(5)}-[1-9]\\d*$`));
      } else {
        expect(href).toMatch(SAFE_HREF);
        expect(el.attrs["rel"]).toBe(REL);
        expect(el.attrs["id"], `id on a plain link: ${el.raw}`).toBeUndefined();
      }
    }
  }
}

export function hrefs(html: string): string[] {
  return elements(html)
    .filter((el) => el.name === "a" && el.attrs["href"] !== undefined)
    .map((el) => el.attrs["href"]!);
}
