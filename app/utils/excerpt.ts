/**
 * A short plain-text preview of a post, shared by profiles, saved posts and notification mail. It
 * is never HTML: React escapes it on a page, and a mail's HTML part escapes it too.
 */
import type { WarningKind } from "../../db/schema.ts";
import { warnedExcerpt, warningLabel } from "./content-warnings.ts";
import { keepLinkText } from "./link-text.ts";

/** An excerpt in a mail is a glimpse, not the post: the link is where to read it. */
export const MAIL_EXCERPT_MAX = 160;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
// Block markers at a line's start: quotes, headings, list bullets and numbers.
const BLOCK_MARK = /^[ \t]*(?:(?:>[ \t]*)+|#{1,6}[ \t]+|[-*+][ \t]+|\d+[.)][ \t]+)/;
// Emphasis marks, but not the _ or * inside a word (snake_case, user_names).
const EMPHASIS = /(?<![\p{L}\p{N}])[*_]+|[*_]+(?![\p{L}\p{N}])/gu;

/**
 * Plain text from markdown, at most `max` characters (cut at a word, with "…"). One pass over the
 * lines, fenced code left out, every pattern linear; it stops reading once it has far more than it needs.
 */
export function plainExcerpt(markdown: string, max: number) {
  const kept: string[] = [];
  let length = 0;
  let fence: string | null = null;
  for (const line of markdown.split("\n")) {
    const opener = FENCE.exec(line)?.[1];
    if (fence) {
      if (opener && opener[0] === fence[0] && opener.length >= fence.length) fence = null;
      continue;
    }
    if (opener) {
      fence = opener;
      continue;
    }
    const text = line.replace(BLOCK_MARK, "");
    kept.push(text);
    length += text.length + 1;
    if (length > max * 8) break;
  }
  const text = keepLinkText(kept.join(" "), { images: true }).replace(/[`~]+/g, "").replace(EMPHASIS, "").replace(/\s+/g, " ").trim();
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A post's preview: only its warning's label when it has one, since its words stay behind it. */
export function postExcerpt(post: { bodyMarkdown: string; warningKind: WarningKind | null; warningText: string | null }, max: number) {
  return post.warningKind ? warnedExcerpt(warningLabel(post.warningKind, post.warningText)) : plainExcerpt(post.bodyMarkdown, max);
}
