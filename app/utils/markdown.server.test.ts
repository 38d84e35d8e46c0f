import { describe, it, expect } from "vitest";
import { marked } from "marked";
import { elements, expectSafe, hrefs, REL } from "../../tests/markdown-html.ts";
import { MAX_MARKDOWN_LENGTH, renderMarkdown } from "./markdown.server.ts";

describe("renderMarkdown: API", () => {
  it("exports the length limit the callers validate against", () => {
    expect(MAX_MARKDOWN_LENGTH).toBe(20_000);
  });

  it("returns an empty string for empty input", () => {
    expect(renderMarkdown("")).toBe("");
  });

  it("never throws, whatever the string", () => {
    const odd = [
      "\u0000",
      "\uD800",
      "\uDC00x\uD800",
      "\r\n\r",
      "\u2028\u2029",
      "\uFEFF# x",
      " ",
      "\t\t",
      "```",
      "<",
      "[",
      "![",
      "*",
      "\\",
      "|",
      "&",
      "&#0;",
      "&#x110000;",
      "<!--",
      "<![CDATA[",
    ];
    for (const input of odd) {
      let out = "";
      expect(() => {
        out = renderMarkdown(input, { referenceCount: 3 });
      }, JSON.stringify(input)).not.toThrow();
      expect(typeof out).toBe("string");
      expectSafe(out);
    }
  });

  it("returns an empty string for non-string input from untyped callers", () => {
    expect(renderMarkdown(undefined as unknown as string)).toBe("");
    expect(renderMarkdown(null as unknown as string)).toBe("");
    expect(renderMarkdown(42 as unknown as string)).toBe("");
  });

  it("never produces unsafe markup from random mixes of dangerous fragments", () => {
    const fragments = [
      "<script>",
      "</script>",
      "<img src=x onerror=alert(1)>",
      '<a href="javascript:alert(1)">',
      "</a>",
      "javascript:",
      "jav&#x61;script:",
      "&#106;",
      "data:text/html,",
      "vbscript:",
      "https://ok.example/",
      "mailto:a@b.c",
      "[",
      "]",
      "(",
      ")",
      "![",
      "](",
      "<",
      ">",
      '"',
      "'",
      "`",
      "```\n",
      "\n",
      "\n\n",
      "> ",
      "- ",
      "1. ",
      "# ",
      "|",
      "|-|",
      "*",
      "_",
      "~~",
      "\\",
      "&",
      "&amp;",
      "&quot;",
      " onmouseover=",
      "<svg/onload=alert(1)>",
      "<style>",
      "<iframe",
      "[1]",
      "[x]: javascript:alert(1)\n",
      "[x]",
      "www.a.b",
      "<https://a.b>",
      "<javascript:alert(1)>",
      "\t",
      "    ",
      "<!--",
      "-->",
      "<pre>",
      "<textarea>",
      "=",
    ];
    let seed = 20240611;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (let doc = 0; doc < 400; doc++) {
      let input = "";
      const length = 1 + Math.floor(next() * 60);
      for (let i = 0; i < length; i++) input += fragments[Math.floor(next() * fragments.length)];
      const out = renderMarkdown(input, { referenceCount: 2 });
      expect(out, JSON.stringify(input)).not.toMatch(/<(script|img|iframe|style|svg|textarea)\b/i);
      expectSafe(out);
    }
  });

  it("does not change the global marked instance", () => {
    renderMarkdown("# Heading <b>x</b> ![i](https://example.com/i.png)");
    const globalOut = marked.parse("<b>x</b> ![i](https://example.com/i.png)", { async: false });
    expect(globalOut).toContain("<b>x</b>");
    expect(globalOut).toContain("<img");
  });
});

describe("renderMarkdown: GFM features", () => {
  it("renders emphasis, strong and strikethrough", () => {
    expect(renderMarkdown("*em* and **strong** and ~~gone~~")).toBe("<p><em>em</em> and <strong>strong</strong> and <del>gone</del></p>");
  });

  it("turns single newlines into line breaks", () => {
    expect(renderMarkdown("first line\nsecond line")).toBe("<p>first line<br />second line</p>");
  });

  it("renders tables without inline style/align attributes", () => {
    const out = renderMarkdown("| Muscle | Stretch |\n|:--|--:|\n| calf | 30 s |");
    expect(out).toContain("<table>");
    expect(out).toMatch(/<th>Muscle<\/th>\s*<th>Stretch<\/th>/);
    expect(out).toMatch(/<td>calf<\/td>\s*<td>30 s<\/td>/);
    expect(out).not.toMatch(/\salign=|\sstyle=/);
    expectSafe(out);
  });

  it("renders unordered and ordered lists, keeping a start number", () => {
    const out = renderMarkdown("- magnesium\n- water\n\n3. stretch\n4. rest");
    expect(out).toMatch(/<ul>\s*<li>magnesium<\/li>\s*<li>water<\/li>\s*<\/ul>/);
    expect(out).toMatch(/<ol start="3">\s*<li>stretch<\/li>\s*<li>rest<\/li>\s*<\/ol>/);
  });

  it("renders task list items as text, not <input>", () => {
    const out = renderMarkdown("- [ ] ask GP\n- [x] book physio");
    expect(out).toContain("<li>[ ] ask GP</li>");
    expect(out).toContain("<li>[x] book physio</li>");
    expect(out).not.toContain("<input");
  });

  it("renders blockquotes", () => {
    expect(renderMarkdown("> it gets better")).toMatch(/^<blockquote>\s*<p>it gets better<\/p>\s*<\/blockquote>$/);
  });

  it("renders fenced and inline code with < and & escaped", () => {
    const out = renderMarkdown("```html\n<script>if (a < b && c) {}</script>\n```\n\nand `<b>&</b>`");
    expect(out).toContain("<pre><code>&lt;script&gt;if (a &lt; b &amp;&amp; c) {}&lt;/script&gt;\n</code></pre>");
    expect(out).toContain("<code>&lt;b&gt;&amp;&lt;/b&gt;</code>");
    expect(out).not.toMatch(/<script/i);
    expectSafe(out);
  });

  it("autolinks bare URLs, <https://…> and e-mail addresses", () => {
    const out = renderMarkdown("see https://example.org/a?b=1 or <https://example.com/x> or www.example.net, mail help@example.com");
    expect(out).toContain(`<a href="https://example.org/a?b=1" rel="${REL}">https://example.org/a?b=1</a>`);
    expect(out).toContain(`<a href="https://example.com/x" rel="${REL}">https://example.com/x</a>`);
    expect(out).toContain(`<a href="http://www.example.net" rel="${REL}">www.example.net</a>`);
    expect(out).toContain(`<a href="mailto:help@example.com" rel="${REL}">help@example.com</a>`);
    expectSafe(out);
  });

  it("keeps every autolink in a long paragraph", () => {
    const expected: string[] = [];
    const words = Array.from({ length: 1500 }, (_, i) => {
      if (i % 7 === 0) expected.push(`https://example.com/p${i}`);
      else if (i % 11 === 0) expected.push(`mailto:user${i}@example.org`);
      else if (i % 13 === 0) expected.push(`http://www.site${i}.net`);
      else return i % 5 === 0 ? "calf," : "word";
      return expected.at(-1)!.replace(/^mailto:|^http:\/\//, "");
    });
    const out = renderMarkdown(words.join(" "));
    expect(hrefs(out)).toEqual(expected);
  });

  it("autolinks addresses and URLs wherever they fall in a long run of text", () => {
    const tail = "abcdefghij.klmno@example.org and https://example.com/some_path/" + "a".repeat(40) + " end";
    for (let shift = 0; shift < 320; shift++) {
      const out = renderMarkdown(`${"x".repeat(shift)} ${"word ".repeat(60)}${tail}`);
      expect(hrefs(out), `shift ${shift}`).toEqual(["mailto:abcdefghij.klmno@example.org", `https://example.com/some_path/${"a".repeat(40)}`]);
    }
  });

  it("keeps headings below the page's own h1/h2", () => {
    const out = renderMarkdown("# One\n\n## Two\n\n### Three\n\n###### Six\n\nSetext\n===\n\nSetext two\n---");
    expect(out).not.toMatch(/<h[12][\s>]/i);
    expect(out).toContain("<h3>One</h3>");
    expect(out).toContain("<h4>Two</h4>");
    expect(out).toContain("<h5>Three</h5>");
    expect(out).toContain("<h6>Six</h6>");
    expect(out).toContain("<h3>Setext</h3>");
    expect(out).toContain("<h4>Setext two</h4>");
  });
});

describe("renderMarkdown: citations", () => {
  const cite = (k: number, n = 1) => `<sup><a class="cite" href="#ref-${k}" id="cite-${k}-${n}">[${k}]</a></sup>`;
  const ids = (html: string) => elements(html).flatMap((el) => (el.attrs["id"] === undefined ? [] : [el.attrs["id"]]));

  it("links [k] to #ref-k when 1 <= k <= referenceCount", () => {
    expect(renderMarkdown("Cramps are common [1], often at night [2][3].", { referenceCount: 3 })).toBe(
      `<p>Cramps are common ${cite(1)}, often at night ${cite(2)}${cite(3)}.</p>`,
    );
  });

  it("gives the n-th citation of reference k the id cite-k-n, in reading order", () => {
    const out = renderMarkdown("## Intro [2]\n\nFirst [1], again [1].\n\n- item [2]\n\n|a|b|\n|-|-|\n|[1]|[3]|\n\n> quote [1]", {
      referenceCount: 3,
    });
    expect(ids(out)).toEqual(["cite-2-1", "cite-1-1", "cite-1-2", "cite-2-2", "cite-1-3", "cite-3-1", "cite-1-4"]);
    expect(out).toContain(`First ${cite(1, 1)}, again ${cite(1, 2)}.`);
    expectSafe(out);
  });

  it("starts counting again for every render", () => {
    renderMarkdown("[1] [1]", { referenceCount: 1 });
    expect(ids(renderMarkdown("[1]", { referenceCount: 1 }))).toEqual(["cite-1-1"]);
  });

  it("lets no other id through in an article", () => {
    const inputs = [
      '<a class="cite" href="#ref-1" id="main">[1]</a>',
      '<h3 id="ref-2">x</h3> <p id="cite-1-9">y</p>',
      "## Heading {#custom-id}",
      '[x](https://example.com "t"){#cite-1-1} [y](#cite-1-1)',
      "[x][r]\n\n[r]: https://example.com id=cite-1-1",
    ];
    for (const input of inputs) {
      const out = renderMarkdown(input, { referenceCount: 2 });
      for (const el of elements(out)) {
        if (el.attrs["id"] !== undefined) expect(el.raw, JSON.stringify(input)).toMatch(/^<a class="cite" href="#ref-(\d+)" id="cite-\1-\d+">$/);
      }
      expect(ids(out).filter((id) => id !== "cite-1-1")).toEqual([]);
      expectSafe(out);
    }
  });

  it("leaves [k] beyond referenceCount, [0] and non-numbers as text", () => {
    expect(renderMarkdown("see [9] and [0] and [x] and [01]", { referenceCount: 3 })).toBe("<p>see [9] and [0] and [x] and [01]</p>");
  });

  it("does not touch [k] inside code spans or code blocks", () => {
    const out = renderMarkdown("`arr[1]` and\n\n```\nx[1] = 2\n```", { referenceCount: 3 });
    expect(out).toContain("<code>arr[1]</code>");
    expect(out).toContain("<pre><code>x[1] = 2\n</code></pre>");
    expect(out).not.toContain("cite");
  });

  it("is off for posts (no referenceCount)", () => {
    expect(renderMarkdown("as I said [1]")).toBe("<p>as I said [1]</p>");
    expect(renderMarkdown("as I said [1]", { referenceCount: 0 })).toBe("<p>as I said [1]</p>");
  });

  it("never gives a post body an id, whatever it tries", () => {
    const inputs = [
      "as I said [1] and [2][1]",
      '<a class="cite" href="#ref-1" id="cite-1-1">[1]</a>',
      '<sup><a class="cite" href="#ref-1" id="cite-1-1">[1]</a></sup>',
      '<span id="cite-1-1">x</span> <h3 id="main">y</h3>',
      "## Heading {#cite-1-1}",
      "[back](#cite-1-1) [ref](#ref-1) <#cite-1-1>",
      '[x](https://example.com "title" id="cite-1-1")',
      '[x](https://example.com/"id="cite-1-1)',
      "[1]: #cite-1-1\n\n[1]",
    ];
    for (const options of [undefined, { referenceCount: 0 }, { referenceCount: -1 }, { referenceCount: Number.NaN }]) {
      for (const input of inputs) {
        const out = renderMarkdown(input, options);
        // (an escaped `id="…"` in the text is fine: it is what the member typed)
        const marked = elements(out).filter((el) => el.attrs["id"] !== undefined || el.attrs["class"] !== undefined);
        expect(marked, JSON.stringify(input)).toEqual([]);
        expectSafe(out);
      }
    }
  });

  it("works in headings, lists, quotes and tables, but not inside link text", () => {
    const out = renderMarkdown("## Intro [1]\n\n- item [2]\n\n> quote [1]\n\n|a|\n|-|\n|[2]|\n\n[see [1]](https://example.com)", {
      referenceCount: 2,
    });
    expect(out.split('class="cite"').length - 1).toBe(4);
    expect(out).toContain(`<a href="https://example.com" rel="${REL}">see [1]</a>`);
    expectSafe(out);
  });

  it("does not let members forge other same-page links", () => {
    for (const input of ["[x](#ref-1)", "[x](#top)", "[x](<#ref-1>)", "<#ref-1>"]) {
      const out = renderMarkdown(input, { referenceCount: 3 });
      expect(elements(out).filter((el) => el.name === "a")).toEqual([]);
      expectSafe(out);
    }
    // raw HTML anchors stay text; only the genuine `[1]` in it becomes a citation
    const out = renderMarkdown('<a class="cite" href="#top" id="top">[1]</a>', { referenceCount: 3 });
    expect(elements(out).filter((el) => el.name === "a")).toEqual([
      { name: "a", attrs: { class: "cite", href: "#ref-1", id: "cite-1-1" }, raw: '<a class="cite" href="#ref-1" id="cite-1-1">' },
    ]);
    expectSafe(out);
  });
});
