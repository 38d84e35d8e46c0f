// An article's references: the editor's text box read and written, and the `[k]` citations
// in the body that point at them. Pure functions, no database.
import type { ArticleReference } from "../../db/schema.ts";
import { renderMarkdown } from "../utils/markdown.server.ts";

export const REFERENCES_TEXT_MAX = 20_000;
export const REFERENCES_MAX = 60;

/**
 * Article HTML: the same safe pipeline as posts, with `[k]` citations. renderMarkdown puts a
 * post's `#` at h3 because a thread page owns h1/h2; an article body sits directly under the
 * article's h1, so its headings move up two levels (h3/h4 → h2, h5 → h3, h6 → h4) to keep the
 * page outline in order. The sanitizer only ever emits bare `<hN>` tags and escapes every `<`
 * in text, so this exact-tag rewrite cannot touch user text.
 */
export function renderArticleBody(markdown: string, referenceCount: number) {
  return renderMarkdown(markdown, { referenceCount }).replace(/<(\/?)h([3-6])>/g, (_m, close: string, level: string) => {
    const shifted = Math.max(2, Number(level) - 2);
    return `<${close}h${shifted}>`;
  });
}

/**
 * The ids of each reference's citations in the body, in reading order (index k-1 for
 * reference k): the reference list's "back to citation" links. Read from the stored HTML
 * instead of kept in a column of their own, so they can never disagree with the body they
 * point into; one regex pass over a body of a few kilobytes costs far less than the page's
 * queries. Only renderMarkdown's citations can match: every `<` a writer types is escaped.
 * A body stored before citations had ids yields none, so no links to missing targets.
 */
export function citationIds(bodyHtml: string, referenceCount: number) {
  const ids: string[][] = Array.from({ length: referenceCount }, () => []);
  for (const match of bodyHtml.matchAll(/<a class="cite" href="#ref-(\d+)" id="(cite-\1-\d+)">/g)) {
    ids[Number(match[1]) - 1]?.push(match[2]!);
  }
  return ids;
}

/** The history page shows several versions at once, where the same citation ids would clash. */
export const withoutCitationIds = (bodyHtml: string) => bodyHtml.replace(/(<a class="cite" href="#ref-\d+") id="cite-\d+-\d+">/g, "$1>");

const REFERENCE_KEYS = ["authors", "title", "source", "year", "doi", "pmid", "url"] as const;
type ReferenceKey = (typeof REFERENCE_KEYS)[number];
const KEY_ALIASES: Record<string, ReferenceKey> = {
  author: "authors",
  authors: "authors",
  title: "title",
  source: "source",
  journal: "source",
  publisher: "source",
  year: "year",
  doi: "doi",
  pmid: "pmid",
  pubmed: "pmid",
  url: "url",
  link: "url",
};

/** The editor's references box: one `name: value` per line, a blank line between references. */
export function formatReferences(references: ArticleReference[]) {
  return references
    .map((ref) =>
      REFERENCE_KEYS.filter((key) => ref[key] !== undefined && ref[key] !== "")
        .map((key) => `${key}: ${ref[key]}`)
        .join("\n"),
    )
    .join("\n\n");
}

export function parseReferences(text: string): { ok: true; references: ArticleReference[] } | { ok: false; error: string } {
  if (text.length > REFERENCES_TEXT_MAX) return { ok: false, error: `The references are at most ${REFERENCES_TEXT_MAX.toLocaleString("en")} characters.` };
  const blocks = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n/)
    .map((block) => block.trim())
    .filter(Boolean);
  if (blocks.length > REFERENCES_MAX) return { ok: false, error: `An article can have at most ${REFERENCES_MAX} references.` };
  const references: ArticleReference[] = [];
  for (const [index, block] of blocks.entries()) {
    const n = index + 1;
    const fields: Partial<Record<ReferenceKey, string>> = {};
    let last: ReferenceKey | null = null;
    for (const rawLine of block.split("\n")) {
      const line = rawLine.trim();
      const match = /^([A-Za-z]+)\s*:\s*(.*)$/.exec(line);
      const alias = match?.[1]!.toLowerCase();
      // Own keys only: "constructor:" in a reference is a typo to report, not Object's property.
      const key = alias && Object.hasOwn(KEY_ALIASES, alias) ? KEY_ALIASES[alias] : undefined;
      if (match && key) {
        if (fields[key] !== undefined) return { ok: false, error: `Reference ${n} has “${key}” twice.` };
        fields[key] = match[2]!.trim();
        last = key;
      } else if (last) {
        // A long value pasted over several lines continues the previous field.
        fields[last] = `${fields[last]} ${line}`.trim();
      } else {
        return { ok: false, error: `Reference ${n}: start each line with a name and a colon, like “title: …”.` };
      }
    }
    const ref = checkReference(fields, n);
    if (typeof ref === "string") return { ok: false, error: ref };
    references.push(ref);
  }
  return { ok: true, references };
}

function checkReference(fields: Partial<Record<ReferenceKey, string>>, n: number): ArticleReference | string {
  for (const key of ["authors", "title", "source", "year"] as const) {
    if (!fields[key]) return `Reference ${n} needs a line “${key}: …”.`;
  }
  for (const key of ["authors", "title", "source"] as const) {
    if (fields[key]!.length > 500) return `Reference ${n}: the ${key} are too long (500 characters at most).`;
  }
  const yearText = fields.year!;
  const year = Number(yearText);
  if (!/^\d{4}$/.test(yearText) || year < 1800 || year > new Date().getUTCFullYear() + 1) {
    return `Reference ${n}: the year should be four digits, like 2021.`;
  }
  const ref: ArticleReference = { authors: fields.authors!, title: fields.title!, source: fields.source!, year };
  if (fields.doi) {
    const doi = fields.doi.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, "");
    if (!/^10\.\d{4,9}\/\S{1,300}$/.test(doi)) return `Reference ${n}: a DOI looks like 10.1212/WNL.0b013e3181d0ccca.`;
    ref.doi = doi;
  }
  if (fields.pmid) {
    const pmid = fields.pmid.replace(/^pmid:?\s*/i, "");
    if (!/^[1-9]\d{0,9}$/.test(pmid)) return `Reference ${n}: a PubMed ID is a number, like 20177124.`;
    ref.pmid = pmid;
  }
  if (fields.url) {
    if (!isHttpsUrl(fields.url)) return `Reference ${n}: the link must be a full address starting with https://.`;
    ref.url = fields.url;
  }
  if (!ref.doi && !ref.pmid && !ref.url) return `Reference ${n} needs a DOI, a PubMed ID (pmid) or an https:// link (url).`;
  return ref;
}

function isHttpsUrl(value: string) {
  if (value.length > 2000 || /\s/.test(value)) return false;
  try {
    const url = new URL(value);
    return url.protocol === "https:" && !!url.hostname;
  } catch {
    return false;
  }
}
