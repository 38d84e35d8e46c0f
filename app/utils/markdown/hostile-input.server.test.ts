import { describe, it, expect } from "vitest";
import { elements, expectSafe, hrefs, REL, SAFE_HREF } from "../../../tests/markdown-html.ts";
import { renderMarkdown } from "../markdown.server.ts";

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
