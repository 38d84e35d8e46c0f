/**
 * `[text](url)` → `text`, exactly as `.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")` would (with
 * `images`, as `/!?\[…/`), in one left-to-right pass. That regex retries from every `[` and scans
 * ahead each time, which is quadratic on text with many `[` and no `](`. Here a `[` that fails
 * moves the scan past the `]` it met (every `[` before that `]` fails the same way), and a `)`
 * that is missing is looked for once. Browser-safe: the composer's safety checks use it too.
 */
export function keepLinkText(text: string, { images = false } = {}): string {
  let out = "";
  let copied = 0; // text before this index is already in `out`
  let noCloseParen = false;
  let open = text.indexOf("[");
  while (open !== -1) {
    const close = text.indexOf("]", open + 1);
    if (close === -1) break; // no `]` after this `[`, so none after any later one either
    let end = -1;
    if (!noCloseParen && text.charCodeAt(close + 1) === 40 /* ( */) {
      end = text.indexOf(")", close + 2);
      if (end === -1) noCloseParen = true;
    }
    if (end === -1) {
      open = text.indexOf("[", close + 1);
      continue;
    }
    const start = images && open > copied && text.charCodeAt(open - 1) === 33 /* ! */ ? open - 1 : open;
    out += text.slice(copied, start) + text.slice(open + 1, close);
    copied = end + 1;
    open = text.indexOf("[", copied);
  }
  return copied === 0 ? text : out + text.slice(copied);
}
