/**
 * Layer 1: a marked instance per render, with a locked-down renderer, the guarded tokenizers
 * (guards.server.ts) and, for articles, the `[k]` citation extension.
 */
import { Marked } from "marked";
import type { RendererObject, TokenizerExtension, RendererExtension } from "marked";
import { DELIMITER_SCAN_BUDGET, guardedTokenizer, textChunkGuard, type GuardState } from "./guards.server.ts";
import { anchor, escapeHtml, escapeHtmlKeepEntities, safeHref } from "./html.server.ts";

interface RenderState extends GuardState {
  /** Citations of each reference rendered so far: the n in the next `cite-k-n` id. */
  citations: Map<number, number>;
}

const renderer: RendererObject = {
  // Raw HTML (block or inline) is shown as the text the member typed.
  html({ text, block }) {
    if (block) {
      // (trimmed by hand: /\n+$/ is quadratic on a long run of newlines)
      let end = text.length;
      while (end > 0 && text.charCodeAt(end - 1) === 10) end--;
      const body = escapeHtml(text.slice(0, end)).replace(/\n/g, "<br>");
      return body ? `<p>${body}</p>\n` : "";
    }
    return escapeHtml(text);
  },
  // Page chrome owns h1/h2: `#` renders as h3, `##` as h4, `###`+ as h5/h6.
  // Shifting (rather than collapsing h1/h2 into h3) keeps the relative
  // outline of a long post intact; only levels 4-6 collapse into h6.
  heading({ tokens, depth }) {
    const level = Math.min(depth + 2, 6);
    return `<h${level}>${this.parser.parseInline(tokens)}</h${level}>\n`;
  },
  link({ href, tokens, text, autolink }) {
    const inner = autolink ? escapeHtml(text) : this.parser.parseInline(tokens);
    const safe = safeHref(href, autolink === true);
    return safe === null ? inner : anchor(safe, inner);
  },
  // Images are never embedded: a plain link whose text is the alt text
  // (or the URL when the alt text is empty).
  image({ href, tokens, text }) {
    const alt = (tokens ? this.parser.parseInline(tokens, this.parser.textRenderer) : text).trim();
    const inner = escapeHtmlKeepEntities(alt || href);
    const safe = safeHref(href, false);
    return safe === null ? inner : anchor(safe, inner);
  },
  // Task-list checkboxes would be <input> elements: keep what was typed.
  checkbox({ checked }) {
    return checked ? "[x] " : "[ ] ";
  },
  text(token) {
    if ("tokens" in token && token.tokens) return this.parser.parseInline(token.tokens);
    // `escaped` is only set for text marked considers already-safe HTML
    // (after a raw <pre>/<script>); never trust that here.
    if ("escaped" in token && token.escaped) return escapeHtml(token.text);
    return false; // default rendering (escapes)
  },
};

/** `[k]` for 1 <= k <= referenceCount, outside code and link text, as a numbered back-linkable anchor. */
function citationExtension(state: RenderState, referenceCount: number): TokenizerExtension & RendererExtension {
  return {
    name: "citation",
    level: "inline",
    // No `start` needed: marked's text rule already stops before every `[`.
    tokenizer(src) {
      if (this.lexer.state.inLink) return undefined; // no <a> inside <a>
      const match = /^\[([1-9]\d{0,5})\]/.exec(src);
      if (!match) return undefined;
      const k = Number(match[1]);
      if (k > referenceCount) return undefined;
      // `[1](https://…)` is an explicit markdown link: let it win. (Bounded
      // look-ahead: an unbounded one is quadratic on `([1]([1]([1]…`.)
      if (src.charAt(match[0].length) === "(" && /^\([^)\s]{1,512}\)/.test(src.slice(match[0].length))) {
        return undefined;
      }
      return { type: "citation", raw: match[0], k };
    },
    renderer(token) {
      const k = Number(token["k"]);
      const n = (state.citations.get(k) ?? 0) + 1;
      state.citations.set(k, n);
      // The id is where the reference list's "back to citation" link returns to.
      return `<sup><a class="cite" href="#ref-${k}" id="cite-${k}-${n}">[${k}]</a></sup>`;
    },
  };
}

/** A fresh instance per render: the guards' counters and the citation numbers start at zero. */
export function createMarked(referenceCount: number): Marked {
  const state: RenderState = { blockDepth: 0, inlineDepth: 0, scanBudget: DELIMITER_SCAN_BUDGET, citations: new Map() };
  const extensions: Array<TokenizerExtension | RendererExtension | (TokenizerExtension & RendererExtension)> = [textChunkGuard];
  if (referenceCount > 0) extensions.push(citationExtension(state, referenceCount));
  return new Marked({
    gfm: true,
    breaks: true,
    async: false,
    silent: false,
    tokenizer: guardedTokenizer(state),
    renderer,
    extensions,
  });
}
