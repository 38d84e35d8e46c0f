/**
 * The ONE place where user-authored markdown becomes HTML.
 *
 * Pipeline: markdown --(marked, locked-down renderer)--> HTML --(sanitize-html,
 * strict allowlist)--> HTML. Either layer on its own is meant to be safe; the
 * second one is there so that a mistake (or a marked upgrade) in the first one
 * does not turn into stored XSS.
 *
 * Layer 1 (marked):
 *  - raw HTML is rendered as escaped text, never as markup;
 *  - links survive only with a literal http://, https:// or mailto: prefix and
 *    always get rel="nofollow ugc noopener noreferrer"; titles are dropped;
 *  - images are rendered as plain links (member privacy: no third-party
 *    requests / tracking pixels when someone reads a post);
 *  - headings are shifted down two levels (see `renderer.heading`);
 *  - `[k]` citations (articles only) via an inline extension;
 *  - guards against marked's deep recursion and quadratic scans (see
 *    "Pathological input guards" below).
 *
 * Layer 2 (sanitize-html): tag/attribute allowlist, scheme allowlist on the
 * entity-decoded href, rel forced, `class` only "cite" on same-page `#ref-k`
 * anchors (k within the article's references, so never in a post), `id` only
 * "cite-k-n" on those, relative URLs otherwise dropped.
 */
import { Marked, Tokenizer } from "marked";
import type { RendererObject, TokenizerExtension, RendererExtension, TokenizerObject } from "marked";
import sanitizeHtml from "sanitize-html";

export const MAX_MARKDOWN_LENGTH = 20_000;

/** rel forced onto every outgoing link; a user-supplied rel is never kept. */
const LINK_REL = "nofollow ugc noopener noreferrer";

/**
 * Pathological input guards.
 *
 * marked (v18) recurses once per nesting level of block quotes / lists and of
 * emphasis / links, so `>>>>>…` or `- - - …` (a few thousand levels) blow the
 * stack ("Maximum call stack size exceeded"), and nested emphasis is also
 * quadratic. Nesting deeper than these limits is rendered as plain text.
 */
const MAX_BLOCK_DEPTH = 12;
const MAX_INLINE_DEPTH = 10;
/**
 * marked's emphasis / strikethrough / code-span tokenizers scan forward from
 * every opening delimiter looking for a closer. Inputs with thousands of
 * openers that never close (e.g. `1.*1.*1.*…`, `._a._a…`, `*a_*a_…`,
 * `.\```.\```…`) make that quadratic: seconds for 20 KB (cf.
 * markedjs/marked#4099, still present in 18.2). Each render gets a budget of
 * characters those scans may cover; once it is spent, remaining `*`, `_`,
 * `~`, `` ` `` are rendered literally. A normal post never comes close (a
 * successful match costs only its own length).
 */
const DELIMITER_SCAN_BUDGET = 400_000;
/**
 * marked's GFM inline-text rule has an e-mail look-ahead that re-scans the
 * whole following run of e-mail-ish characters every time a text token
 * starts, which is quadratic for `a_a_a_…`, `__a__a…`, `a*a*…`. Feeding the
 * text rule at most this many characters (cut at whitespace where possible,
 * so URLs and addresses are not split) bounds each scan.
 */
const TEXT_CHUNK = 256;

/**
 * Container markers (`>`, `-`, `+`, `*`, `1.`, `1)`) at the start of a line,
 * each optionally preceded by whitespace.
 */
const CONTAINER_MARKER = /([ \t]*)(>|[-+*](?=[ \t\r]|$)|\d{1,9}[.)](?=[ \t\r]|$))/y;
/** A thematic break (`- - -`, `***`, `_ _ _`) running to the end of the line. */
const HR_TAIL = /^(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})\r?$/;

/**
 * Escapes the container marker after the first MAX_BLOCK_DEPTH on a line, so
 * the rest of the line is text. Besides recursion depth this matters because
 * marked's list tokenizer peels nested markers off an item's first line one
 * at a time, re-running its hr rule on the remainder each time: a line of
 * 5 000 `- ` followed by lazy continuation lines is quadratic at every level.
 * Thematic breaks (`- - - - …`, `* * * …`) are left alone. Cost: linear.
 * (A code block line with more than MAX_BLOCK_DEPTH leading `- `/`> ` gains
 * a visible backslash; nobody writes that.)
 */
function capContainerMarkers(markdown: string): string {
  return markdown.replace(/^[^\n]*/gm, (line) => {
    CONTAINER_MARKER.lastIndex = 0;
    let count = 0;
    let match: RegExpExecArray | null;
    while ((match = CONTAINER_MARKER.exec(line)) !== null) {
      count++;
      if (count <= MAX_BLOCK_DEPTH) continue;
      const start = match.index + (match[1]?.length ?? 0);
      if (HR_TAIL.test(line.slice(start))) return line;
      const marker = match[2] ?? "";
      const at = /\d/.test(marker.charAt(0)) ? start + marker.length - 1 : start;
      return `${line.slice(0, at)}\\${line.slice(at)}`;
    }
    return line;
  });
}

interface RenderState {
  blockDepth: number;
  inlineDepth: number;
  scanBudget: number;
  /** Citations of each reference rendered so far: the n in the next `cite-k-n` id. */
  citations: Map<number, number>;
}

const HTML_ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => HTML_ESCAPES[ch] ?? ch);
}

/** Like escapeHtml but leaves existing character references (`&amp;`, `&#x61;`) alone. */
function escapeHtmlKeepEntities(text: string): string {
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
function safeHref(href: string, literal: boolean): string | null {
  if (!SAFE_HREF_PREFIX.test(href)) return null;
  let encoded: string;
  try {
    encoded = encodeURI(href).replace(/%25/g, "%");
  } catch {
    return null; // lone surrogates
  }
  return literal ? escapeHtml(encoded) : escapeHtmlKeepEntities(encoded);
}

function anchor(href: string, innerHtml: string): string {
  return `<a href="${href}" rel="${LINK_REL}">${innerHtml}</a>`;
}

const LHEADING_WINDOW = 32;
const NESTED_LIST_WINDOW = 4_000;
const LIST_START = /^ {0,3}(?:[*+-]|\d{1,9}[.)])(?:[ \t\r\n]|$)/;
const URL_START = /^(?:(?:https?|ftp):\/\/|www\.|mailto:|xmpp:|[A-Za-z0-9._+-]{1,256}@)/i;
const URL_TAIL_UNITS = 32;
const URL_TAIL_PUNCT = new Set(Array.from("?!.,:;*_'\"~)", (ch) => ch.charCodeAt(0)));

/**
 * Length of `url` after dropping all but the first URL_TAIL_UNITS of its
 * trailing run of "backpedal" units (a char of URL_TAIL_PUNCT or `&alnum;`).
 */
function urlLengthWithBoundedTail(url: string): number {
  const unitStarts: number[] = []; // from the end backwards
  let end = url.length;
  while (end > 0) {
    const ch = url.charCodeAt(end - 1);
    if (ch === 59 /* ; */) {
      let i = end - 2;
      while (i >= 0 && /[A-Za-z0-9]/.test(url.charAt(i))) i--;
      if (i >= 0 && i < end - 2 && url.charCodeAt(i) === 38 /* & */) {
        end = i;
        unitStarts.push(end);
        continue;
      }
    }
    if (!URL_TAIL_PUNCT.has(ch)) break;
    end -= 1;
    unitStarts.push(end);
  }
  const units = unitStarts.length;
  return units > URL_TAIL_UNITS ? unitStarts[units - 1 - URL_TAIL_UNITS]! : url.length;
}

/** ASCII chars marked's GFM e-mail look-ahead treats as part of an address. */
const EMAILISH = new Uint8Array(128);
for (const ch of "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.!#$%&'*+/=?_`{|}~-") {
  EMAILISH[ch.charCodeAt(0)] = 1;
}

function createMarked(state: RenderState, referenceCount: number): Marked {
  const withBlockDepth = <T>(run: () => T): T | undefined => {
    if (state.blockDepth >= MAX_BLOCK_DEPTH) return undefined;
    state.blockDepth++;
    try {
      return run();
    } finally {
      state.blockDepth--;
    }
  };
  const withInlineDepth = <T>(run: () => T): T | undefined => {
    if (state.inlineDepth >= MAX_INLINE_DEPTH) return undefined;
    state.inlineDepth++;
    try {
      return run();
    } finally {
      state.inlineDepth--;
    }
  };

  /**
   * Whether marked's emStrong will run its forward scan for this position
   * (mirrors its cheap early exits, so intra-word `snake_case` underscores
   * do not use up the budget).
   */
  function emStrongMayScan(tokenizer: Tokenizer, src: string, prevChar: string | undefined): boolean {
    const m = tokenizer.rules.inline.emStrongLDelim.exec(src);
    if (!m || !(m[1] || m[2] || m[3] || m[4])) return false;
    if (m[4] && prevChar && prevChar.match(tokenizer.rules.other.unicodeAlphaNumeric)) return false;
    return true;
  }

  const tokenizer: TokenizerObject = {
    blockquote(src) {
      return withBlockDepth(() => Tokenizer.prototype.blockquote.call(this, src));
    },
    list(src) {
      if (!LIST_START.test(src)) return undefined; // what marked's own rule requires
      // marked's list tokenizer walks every line an item spans (lazy
      // continuation lines included), re-splitting the rest of the source and
      // re-scanning the item's text so far for each line; every enclosing
      // level does it again. `1. 1. 1. … a` plus 10 000 unindented lines
      // costs ~10 ms per level, more with a long first line. A list nested
      // in a list or quote therefore only gets the next NESTED_LIST_WINDOW
      // chars (cut at a line end); a longer nested list continues as a new
      // list, its lazy lines beyond the window as text of the outer item.
      let input = src;
      if (state.blockDepth > 0 && src.length > NESTED_LIST_WINDOW) {
        let cut = src.lastIndexOf("\n", NESTED_LIST_WINDOW);
        if (cut <= 0) cut = src.indexOf("\n"); // a first line longer than the window
        if (cut > 0) input = src.slice(0, cut + 1);
      }
      return withBlockDepth(() => Tokenizer.prototype.list.call(this, input));
    },
    emStrong(src, maskedSrc, prevChar) {
      if (state.scanBudget <= 0) return undefined;
      if (!emStrongMayScan(this, src, prevChar)) return undefined;
      const token = withInlineDepth(() => Tokenizer.prototype.emStrong.call(this, src, maskedSrc, prevChar));
      state.scanBudget -= token ? token.raw.length : src.length;
      return token;
    },
    del(src, maskedSrc, prevChar) {
      if (state.scanBudget <= 0) return undefined;
      if (!this.rules.inline.delLDelim.test(src)) return undefined;
      const token = withInlineDepth(() => Tokenizer.prototype.del.call(this, src, maskedSrc, prevChar));
      state.scanBudget -= token ? token.raw.length : src.length;
      return token;
    },
    codespan(src) {
      // An unmatched backtick run makes marked scan to the end for a closer:
      // `.\```.\```…` is quadratic. Same budget as emphasis.
      if (src.charCodeAt(0) !== 96 /* ` */) return undefined;
      if (state.scanBudget <= 0) return undefined;
      const token = Tokenizer.prototype.codespan.call(this, src);
      state.scanBudget -= token ? token.raw.length : src.length;
      return token;
    },
    link(src) {
      return withInlineDepth(() => Tokenizer.prototype.link.call(this, src));
    },
    reflink(src, links) {
      return withInlineDepth(() => Tokenizer.prototype.reflink.call(this, src, links));
    },
    table(src) {
      // marked's GFM table rule matches header + delimiter + *all following
      // rows* before checking that header and delimiter agree, and on failure
      // the next line is tried again: `a\n-\n` x 5000 (setext headings) is
      // quadratic. Validate the two-line head first; rows cannot change that
      // verdict.
      const firstBreak = src.indexOf("\n");
      if (firstBreak === -1) return undefined; // no delimiter row
      const secondBreak = src.indexOf("\n", firstBreak + 1);
      if (secondBreak !== -1) {
        const queued = this.lexer.inlineQueue.length;
        const head = Tokenizer.prototype.table.call(this, src.slice(0, secondBreak));
        this.lexer.inlineQueue.length = queued; // drop the probe's inline work
        if (head === undefined) return undefined;
      }
      return Tokenizer.prototype.table.call(this, src);
    },
    lheading(src) {
      // Inside list items marked lexes lazy-continuation text one line at a
      // time, and before each line it tries the setext-heading rule, which
      // scans every following line for an `===`/`---` underline: `- a` plus
      // 10 000 lines of `b` is quadratic (~300 ms). A setext heading's text
      // is a few lines, so there only look LHEADING_WINDOW lines ahead.
      if (this.lexer.state.top) return Tokenizer.prototype.lheading.call(this, src);
      let end = -1;
      for (let line = 0; line < LHEADING_WINDOW; line++) {
        end = src.indexOf("\n", end + 1);
        if (end === -1) return Tokenizer.prototype.lheading.call(this, src);
      }
      return Tokenizer.prototype.lheading.call(this, src.slice(0, end + 1));
    },
    url(src) {
      // GFM bare-URL / e-mail autolinks. marked's rule runs its e-mail branch
      // over the whole following `[A-Za-z0-9._+-]` run at every position,
      // which is quadratic on e.g. `a__a__a__…`; only call it where a URL or
      // an address (local part <= 256 chars) can actually start.
      if (!URL_START.test(src)) return undefined;
      // It then strips trailing punctuation one character (or `&name;`) per
      // pass over the whole URL: quadratic for `http://a))))…`. Everything
      // after the first character of that tail is always stripped, so
      // handing marked a tail of at most URL_TAIL_UNITS units gives the same
      // token.
      const match = this.rules.inline.url.exec(src);
      if (match && match[2] !== "@") {
        const keep = urlLengthWithBoundedTail(match[0]);
        if (keep < match[0].length) return Tokenizer.prototype.url.call(this, src.slice(0, keep));
      }
      return Tokenizer.prototype.url.call(this, src);
    },
    tag(src) {
      // Raw HTML is shown as text, so a `<pre>` / `<script>` / `<a>` in the
      // source must not switch marked into "raw block" (unescaped text) or
      // "inside a link" mode for the markdown that follows it.
      const { inLink, inRawBlock } = this.lexer.state;
      const token = Tokenizer.prototype.tag.call(this, src);
      this.lexer.state.inLink = inLink;
      this.lexer.state.inRawBlock = inRawBlock;
      return token;
    },
  };

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

  // Bounds the input handed to marked's inline-text rule (see TEXT_CHUNK).
  // marked cuts the text candidate at the smallest index returned by any
  // inline extension's `start`; the tokenizer itself never matches.
  const textChunkGuard: TokenizerExtension = {
    name: "textChunkGuard",
    level: "inline",
    start(src) {
      if (src.length <= TEXT_CHUNK) return undefined;
      // Cut right before whitespace when possible (whitespace never belongs
      // to a URL or an e-mail address, so autolinks are unaffected), else
      // before a character that cannot be part of an e-mail address, else
      // (a pathological run) anywhere.
      let fallback = TEXT_CHUNK;
      for (let i = TEXT_CHUNK; i > TEXT_CHUNK / 2; i--) {
        const ch = src.charCodeAt(i);
        if (ch === 32 || ch === 9 || ch === 10) return i;
        if (fallback === TEXT_CHUNK && !(ch < 128 && EMAILISH[ch] === 1)) fallback = i;
      }
      return fallback;
    },
    tokenizer() {
      return undefined;
    },
  };

  const extensions: Array<TokenizerExtension | RendererExtension | (TokenizerExtension & RendererExtension)> = [textChunkGuard];

  if (referenceCount > 0) {
    const citation: TokenizerExtension & RendererExtension = {
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
    extensions.push(citation);
  }

  return new Marked({
    gfm: true,
    breaks: true,
    async: false,
    silent: false,
    tokenizer,
    renderer,
    extensions,
  });
}

/* ------------------------------------------------------------------------ */
/* Layer 2: sanitize-html                                                    */
/* ------------------------------------------------------------------------ */

const SANITIZE_DROP_TAG = "x-unclench-dropped"; // not allowed => tag removed, text kept
const CITE_HREF = /^#ref-([1-9]\d{0,5})$/;
const CITE_ID = /^cite-([1-9]\d{0,5})-[1-9]\d{0,5}$/;
/** Absolute http(s)/mailto URL after the HTML parser has decoded entities. */
const SAFE_DECODED_HREF = /^(?:https?:\/\/[^\s\x00-\x1f\x7f]|mailto:[^\s\x00-\x1f\x7f])/i;

/**
 * Per render, because a citation anchor is only allowed for a reference the article has:
 * with no references (every post) there are no `a.cite`, hence no ids at all.
 */
const sanitizeOptions = (referenceCount: number): sanitizeHtml.IOptions => ({
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
  // Backstop for anything that slipped past the depth guards above.
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
  const key = `${referenceCount}:${text}`;
  let html = recent.get(key);
  if (html === undefined) {
    html = render(text, referenceCount);
    if (recent.size >= RECENT_RENDERS) recent.delete(recent.keys().next().value!);
    recent.set(key, html);
  }
  return html;
}

/**
 * The last few renders. A post's action renders its text before it takes the write turn
 * (`readForm`'s `markdown` option), then the model renders it again inside: that second time is
 * a lookup here, so the turn every other writer waits for is not held while a long post renders.
 */
const recent = new Map<string, string>();
const RECENT_RENDERS = 16;

function render(markdown: string, referenceCount: number) {
  const state: RenderState = { blockDepth: 0, inlineDepth: 0, scanBudget: DELIMITER_SCAN_BUDGET, citations: new Map() };
  let html: string;
  try {
    const result = createMarked(state, referenceCount).parse(capContainerMarkers(markdown));
    html = typeof result === "string" ? result : fallbackHtml(markdown);
  } catch {
    // marked should not throw after the guards above, but the contract is
    // "never throw": show the text, escaped, instead.
    html = fallbackHtml(markdown);
  }
  try {
    return sanitizeHtml(html, sanitizeOptions(referenceCount)).trim();
  } catch {
    return "";
  }
}
