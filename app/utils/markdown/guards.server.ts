/**
 * Pathological input guards: marked's deep recursion and quadratic scans (docs/decisions/003).
 *
 * marked (v18) recurses once per nesting level of block quotes / lists and of
 * emphasis / links, so `>>>>>…` or `- - - …` (a few thousand levels) blow the
 * stack ("Maximum call stack size exceeded"), and nested emphasis is also
 * quadratic. Nesting deeper than these limits is rendered as plain text.
 */
import { Tokenizer } from "marked";
import type { TokenizerExtension, TokenizerObject } from "marked";

const MAX_BLOCK_DEPTH = 12;
const MAX_INLINE_DEPTH = 10;
/**
 * marked's emphasis / strikethrough / code-span tokenizers scan forward from
 * every opening delimiter looking for a closer. Inputs with thousands of
 * openers that never close (e.g. `1.*1.*1.*…`, `._a._a…`, `*a_*a_…`,
 * `.\```.\```…`) make that quadratic (markedjs/marked#4099). Each render gets
 * a budget of characters those scans may cover; once it is spent, remaining
 * `*`, `_`, `~`, `` ` `` are rendered literally. A normal post never comes
 * close (a successful match costs only its own length).
 */
export const DELIMITER_SCAN_BUDGET = 400_000;
/**
 * marked's GFM inline-text rule has an e-mail look-ahead that re-scans the
 * whole following run of e-mail-ish characters every time a text token
 * starts, which is quadratic for `a_a_a_…`, `__a__a…`, `a*a*…`. Feeding the
 * text rule at most this many characters (cut at whitespace where possible,
 * so URLs and addresses are not split) bounds each scan.
 */
const TEXT_CHUNK = 256;

/** What the guards count during one render. */
export interface GuardState {
  blockDepth: number;
  inlineDepth: number;
  scanBudget: number;
}

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
export function capContainerMarkers(markdown: string): string {
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

/** marked's own tokenizers, wrapped so that no input makes them recurse too deep or scan quadratically. */
export function guardedTokenizer(state: GuardState): TokenizerObject {
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

  return {
    blockquote(src) {
      return withBlockDepth(() => Tokenizer.prototype.blockquote.call(this, src));
    },
    list(src) {
      if (!LIST_START.test(src)) return undefined; // what marked's own rule requires
      // marked's list tokenizer walks every line an item spans (lazy
      // continuation lines included), re-splitting the rest of the source and
      // re-scanning the item's text so far for each line; every enclosing
      // level does it again. A list nested in a list or quote therefore only
      // gets the next NESTED_LIST_WINDOW chars (cut at a line end); a longer
      // nested list continues as a new list, its lazy lines beyond the window
      // as text of the outer item.
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
      // thousands of lines of `b` is quadratic. A setext heading's text is a
      // few lines, so there only look LHEADING_WINDOW lines ahead.
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
}

/**
 * Bounds the input handed to marked's inline-text rule (see TEXT_CHUNK).
 * marked cuts the text candidate at the smallest index returned by any
 * inline extension's `start`; the tokenizer itself never matches.
 */
export const textChunkGuard: TokenizerExtension = {
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
