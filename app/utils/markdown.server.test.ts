import { describe, it, expect } from "vitest";
import { marked } from "marked";
import { MAX_MARKDOWN_LENGTH, renderMarkdown } from "./markdown.server.ts";

const REL = "nofollow ugc noopener noreferrer";

/* ------------------------------------------------------------------------ */
/* A small, strict reader for the sanitizer's (regular) output format.       */
/* ------------------------------------------------------------------------ */

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

function elements(html: string): Element[] {
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
const SAFE_HREF = /^(?:https?:\/\/|mailto:)/i;

/**
 * Invariants every rendering must satisfy, whatever the input:
 * every `<` starts an allowlisted tag, attributes are allowlisted, links are
 * http(s)/mailto with the forced rel, or a same-page citation anchor whose only
 * possible id is "cite-k-n" for its own reference k.
 */
function expectSafe(html: string): void {
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

function hrefs(html: string): string[] {
  return elements(html)
    .filter((el) => el.name === "a" && el.attrs["href"] !== undefined)
    .map((el) => el.attrs["href"]!);
}

/* ------------------------------------------------------------------------ */

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

describe("renderMarkdown: raw HTML is text, never markup", () => {
  const payloads = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<img/src/onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<iframe src="https://evil.example"></iframe>',
    "<style>body{display:none}</style>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    '<form action="javascript:alert(1)"><button>x</button></form>',
    "<details open ontoggle=alert(1)>",
    '<div style="position:fixed;inset:0">x</div>',
    "<h1>big</h1>",
    "<input autofocus onfocus=alert(1)>",
    "<!-- <script>alert(1)</script> -->",
    "<pre>\n<img src=x onerror=alert(1)>\n</pre>",
    "text <pre> then <img/src=x/onerror=alert(1)> and <scr<script>ipt>alert(1)</script>",
    '<a href="https://example.com" rel="follow" target="_blank" style="color:red" onclick="alert(1)" id="x" class="cite">x</a>',
  ];

  for (const payload of payloads) {
    for (const [label, input] of [
      ["block", payload],
      ["inline", `hello ${payload} world`],
      ["in a list", `- ${payload}`],
      ["in a quote", `> ${payload}`],
    ] as const) {
      it(`${label}: ${payload}`, () => {
        const out = renderMarkdown(input);
        expect(out).not.toMatch(/<(script|img|iframe|style|svg|math|object|embed|form|input|details|div|h1)\b/i);
        // no attribute of any element is an event handler / style / id / target
        for (const el of elements(out)) {
          for (const attr of Object.keys(el.attrs)) {
            expect(attr).not.toMatch(/^(on|style$|id$|target$|xlink)/i);
          }
        }
        expect(hrefs(out).filter((h) => !SAFE_HREF.test(h))).toEqual([]);
        // the member sees what they typed
        expect(out).toContain("&lt;");
        expectSafe(out);
      });
    }
  }

  it("shows raw HTML as its literal text", () => {
    expect(renderMarkdown("<script>alert(1)</script>")).toBe("<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
    expect(renderMarkdown("a <b>bold</b> claim")).toBe("<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>");
  });

  it("keeps escaping text that follows a raw <pre> or <script> tag", () => {
    expect(renderMarkdown("x <pre> 1 < 2 and 3 <b 4 &amp; *em*")).toBe("<p>x &lt;pre&gt; 1 &lt; 2 and 3 &lt;b 4 &amp; <em>em</em></p>");
    expect(renderMarkdown("x <script> 1 < 2 <i")).toBe("<p>x &lt;script&gt; 1 &lt; 2 &lt;i</p>");
  });

  it("still autolinks after a raw <a> tag", () => {
    expect(renderMarkdown('x <a href="https://x.example"> https://y.example')).toBe(
      `<p>x &lt;a href="https://x.example"&gt; <a href="https://y.example" rel="${REL}">https://y.example</a></p>`,
    );
  });

  it("still renders markdown after a raw <pre> or <a> tag", () => {
    // (a line that *starts* with <pre> is an HTML block: all of it is shown as text)
    const out = renderMarkdown('text <pre> *one* <a href="https://x.example"> *two* https://y.example');
    expect(out).toContain("<em>one</em>");
    expect(out).toContain("<em>two</em>");
    expect(out).toContain(`<a href="https://y.example" rel="${REL}">`);
    expectSafe(out);
  });
});

describe("renderMarkdown: link schemes", () => {
  const evil = [
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    '[x](javascript:alert(1) "title")',
    "[x](<javascript:alert(1)>)",
    "[x]( javascript:alert(1))",
    "[x](<java\tscript:alert(1)>)",
    "[x](<java\nscript:alert(1)>)",
    "[x](<java script:alert(1)>)",
    "[x](\u0001javascript:alert(1))",
    "[x](jav&#x61;script:alert(1))",
    "[x](jav&#X61;script:alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#0000106;avascript:alert(1))",
    "[x](javascript&colon;alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](java&Tab;script:alert(1))",
    "[x](jav%61script:alert(1))",
    "[x](\\javascript:alert(1))",
    "[x](javascript\\:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](//evil.example/path)",
    "[x](/relative/path)",
    "[x](#ref-1)",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x]\n\n[x]: data:text/html,hi",
    "<javascript:alert(1)>",
    "<JAVASCRIPT:alert(1)>",
    "<vbscript:msgbox(1)>",
    "<data:text/html,<script>alert(1)</script>>",
    "javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![](javascript:alert(1))",
    "[![x](javascript:alert(1))](javascript:alert(2))",
  ];

  for (const input of evil) {
    it(`no dangerous href for ${JSON.stringify(input)}`, () => {
      const out = renderMarkdown(input);
      expect(hrefs(out)).toEqual([]);
      expect(out).not.toMatch(/\shref=/i);
      expectSafe(out);
    });
  }

  it("keeps the link text when it drops the link", () => {
    expect(renderMarkdown("[my text](javascript:alert(1))")).toBe("<p>my text</p>");
    expect(renderMarkdown("[my text](jav&#x61;script:alert(1))")).toBe("<p>my text</p>");
  });

  it("keeps http, https and mailto links with exactly the forced rel", () => {
    const out = renderMarkdown('[a](https://example.com/a?b=1&c=2 "Title") [b](http://example.org) [c](mailto:someone@example.com) [d](HTTPS://EXAMPLE.COM)');
    expect(out).toBe(
      `<p><a href="https://example.com/a?b=1&amp;c=2" rel="${REL}">a</a> ` +
        `<a href="http://example.org" rel="${REL}">b</a> ` +
        `<a href="mailto:someone@example.com" rel="${REL}">c</a> ` +
        `<a href="HTTPS://EXAMPLE.COM" rel="${REL}">d</a></p>`,
    );
  });

  it("does not let a URL break out of the href attribute", () => {
    const out = renderMarkdown('[x](https://example.com/"onmouseover="alert(1)) <https://example.com/"onclick="alert(1)>');
    for (const el of elements(out)) {
      expect(Object.keys(el.attrs).sort()).toEqual(el.name === "a" ? ["href", "rel"] : []);
    }
    expectSafe(out);
  });

  it("resolves reference-style links to the same scheme rules", () => {
    const out = renderMarkdown("[good][g] and [bad][b]\n\n[g]: https://example.com\n[b]: javascript:alert(1)");
    expect(hrefs(out)).toEqual(["https://example.com"]);
    expect(out).toContain("bad");
  });
});

describe("renderMarkdown: images are never embedded", () => {
  it("turns an image into a link labelled with its alt text", () => {
    expect(renderMarkdown("![my calf cramp](https://example.com/calf.png)")).toBe(
      `<p><a href="https://example.com/calf.png" rel="${REL}">my calf cramp</a></p>`,
    );
  });

  it("labels the link with the URL when alt text is empty", () => {
    expect(renderMarkdown("![](https://example.com/calf.png)")).toBe(
      `<p><a href="https://example.com/calf.png" rel="${REL}">https://example.com/calf.png</a></p>`,
    );
  });

  it("applies the scheme rules to image URLs", () => {
    expect(renderMarkdown("![pic](javascript:alert(1))")).toBe("<p>pic</p>");
    expect(renderMarkdown("![pic](data:image/png;base64,AAAA)")).toBe("<p>pic</p>");
  });

  it("never emits <img>, including reference images and images in links", () => {
    const out = renderMarkdown(
      "![a][i] [![b](https://example.com/b.png)](https://example.com) <img src=https://example.com/c.png>\n\n[i]: https://example.com/a.png",
    );
    expect(out).not.toMatch(/<img\b/i);
    expect(hrefs(out)).toContain("https://example.com/a.png");
    expectSafe(out);
  });

  it("escapes markup in alt text", () => {
    const out = renderMarkdown('![<img src=x onerror=alert(1)> & "q"](https://example.com/x.png)');
    expect(out).not.toMatch(/<img\b/i);
    expect(out).toContain("&lt;img src=x onerror=alert(1)&gt; &amp;");
    expectSafe(out);
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

describe("renderMarkdown: pathological input", () => {
  const N = MAX_MARKDOWN_LENGTH;
  const fill = (unit: string) => unit.repeat(Math.ceil(N / unit.length)).slice(0, N);
  const cases: Record<string, string> = {
    "deep blockquote >>>": fill(">"),
    "deep blockquote > > >": fill("> "),
    "deep list - - -": fill("- ") + "x",
    "deep list * * *": fill("* ") + "x",
    "deep ordered list": fill("1. "),
    "deep mixed bullets - *": fill("- * "),
    "deep list ending in _": fill("- ").slice(0, N - 1) + "_",
    "mixed > - 1.": fill("> - 1. "),
    "indented nested list": Array.from({ length: 140 }, (_, i) => `${" ".repeat(i * 2)}- x`)
      .join("\n")
      .slice(0, N),
    "*[[[[": "*" + "[".repeat(N - 1),
    "*[[ repeated": fill("*[["),
    "[[[[": fill("["),
    "![![![": fill("!["),
    "nested images": "![".repeat(N / 6) + "a" + "](b)".repeat(N / 8),
    "[a]( repeated": fill("[a]("),
    "****": fill("*"),
    ____: fill("_"),
    "````": fill("`"),
    "<<<<": fill("<"),
    "~~~~ inline": fill("~a"),
    "nested emphasis": ("*a ".repeat(N / 6) + "b*".repeat(N / 6)).slice(0, N),
    "nested strong": ("**a ".repeat(N / 8) + "b**".repeat(N / 8)).slice(0, N),
    "unclosed emphasis 1.*": fill("1.*"),
    "unclosed emphasis ._a": fill("._a"),
    "unclosed emphasis *a_": fill("*a_"),
    "marked#4099 '- *'": fill("- *"),
    "marked#4099 '*x *x '": fill("*x *x "),
    "intra-word underscores _a": fill("_a"),
    "intra-word underscores a__": fill("a__"),
    "escaped brackets \\[": fill("\\["),
    "[\\ runs": fill("[\\"),
    "setext headings a/-": fill("a\n-\n"),
    "list item + lazy lines": "- a\n" + fill("b\n"),
    "nested list item + lazy lines": "- - - - a\n" + fill("b\n"),
    "12 nested ordered items + lazy lines": "1. ".repeat(12) + "a\n" + fill("b\n"),
    "backtick runs that never close": fill(".\\```"),
    "citations followed by (": fill("([1]"),
    "5000 mixed markers + lazy lines": "- * ".repeat(N / 8) + "&x;\n".repeat(N / 8),
    "hr-like marker line + lazy lines": "- * ".repeat(N / 8) + "_\n" + "&x;\n".repeat(N / 8),
    "5000 markers + lazy lines": "-   ".repeat(N / 8) + "&x;\n".repeat(N / 8),
    "5000 + markers + lazy lines": "   +".repeat(N / 8) + "<\n1".repeat(N / 6),
    "table-like heads a|b|c/--": fill("a|b|c\n--\n"),
    "wide table": "|".repeat(5000) + "\n" + "|-".repeat(5000) + "\n" + "|x".repeat(2500),
    "long table": "|a|b|\n|-|-|\n" + fill("|x|y|\n").slice(12),
    "raw <pre> block of newlines": "<pre>" + "\n".repeat(N - 11) + "x</pre>",
    "url backpedal )))": "http://a" + ")".repeat(N - 8),
    "url backpedal &x;": "http://a" + "&x;".repeat(N / 3),
    "e-mail-ish run": fill("a."),
    citations: fill("[1]"),
    "html open tags": fill("<a "),
    entities: fill("&#"),
  };

  // One hard bound, generous on purpose: it guards against super-linear
  // blow-ups (seconds), not against normal variance. It is measured as the
  // CPU time this process spends in the render (not wall-clock), so other
  // work on a busy CI box cannot fail it, and as the best of up to three runs
  // after a warm-up; a genuinely slow (quadratic) path fails every run.
  const BOUND_MS = 200;
  const cpuMs = (run: () => void): number => {
    const before = process.cpuUsage();
    run();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };

  for (const [name, raw] of Object.entries(cases)) {
    const input = raw.slice(0, N);
    it(`renders ${name} (${input.length} chars) in < ${BOUND_MS} ms`, () => {
      expect(input.length).toBeGreaterThan(N / 2);
      renderMarkdown(input, { referenceCount: 5 }); // warm-up
      let best = Infinity;
      let out = "";
      for (let run = 0; run < 3 && best >= BOUND_MS; run++) {
        best = Math.min(
          best,
          cpuMs(() => {
            out = renderMarkdown(input, { referenceCount: 5 });
          }),
        );
      }
      expect(best).toBeLessThan(BOUND_MS);
      expectSafe(out);
    });
  }

  it("renders over-deep nesting as text instead of failing", () => {
    const out = renderMarkdown(">".repeat(5000) + " deep");
    const depth = out.split("<blockquote>").length - 1;
    expect(depth).toBeGreaterThan(3);
    expect(depth).toBeLessThanOrEqual(16);
    expect(out).toContain("deep");
    expect(out).toContain("&gt;");
  });

  it("caps nesting on a single line but leaves long thematic breaks alone", () => {
    const out = renderMarkdown(`${"- ".repeat(20)}x`);
    expect(out.split("<ul>").length - 1).toBeLessThanOrEqual(16);
    expect(out).toContain("- - - x");
    expect(renderMarkdown("- ".repeat(30))).toBe("<hr />");
    expect(renderMarkdown("* ".repeat(30))).toBe("<hr />");
    expect(renderMarkdown(`> ${"- ".repeat(30)}`)).toBe("<blockquote>\n<hr />\n</blockquote>");
  });

  it("keeps every item of a very long nested list", () => {
    const items = Array.from({ length: 600 }, (_, i) => `  ${i + 1}. item number ${i + 1}`);
    const out = renderMarkdown(`- top\n${items.join("\n")}\n- next top`);
    for (let i = 1; i <= 600; i++) expect(out).toContain(`<li>item number ${i}</li>`);
    // a nested list longer than the lexer window continues as a new <ol> with the right start
    for (const ol of out.match(/<ol start="(\d+)">\s*<li>item number (\d+)</g) ?? []) {
      const [, start, first] = /start="(\d+)">\s*<li>item number (\d+)/.exec(ol)!;
      expect(start).toBe(first);
    }
  });

  it("still finds setext headings inside list items", () => {
    expect(renderMarkdown("- Title\n  ---")).toMatch(/^<ul>\s*<li><h4>Title<\/h4>\s*<\/li>\s*<\/ul>$/);
    expect(renderMarkdown("- a\nb\n===")).toMatch(/^<ul>\s*<li><h3>a<br \/>b<\/h3>\s*<\/li>\s*<\/ul>$/);
  });

  it("still renders emphasis normally in a long, ordinary post", () => {
    const paragraph = "Night cramps in my *calf* again, tried **magnesium** and ~~quinine~~ stretching.\n\n";
    const input = paragraph.repeat(Math.floor(N / paragraph.length));
    const out = renderMarkdown(input);
    const count = Math.floor(N / paragraph.length);
    expect(out.split("<em>calf</em>").length - 1).toBe(count);
    expect(out.split("<strong>magnesium</strong>").length - 1).toBe(count);
    expect(out.split("<del>quinine</del>").length - 1).toBe(count);
  });
});
