import { describe, it, expect } from "vitest";
import { expectSafe } from "../../../tests/markdown-html.ts";
import { MAX_MARKDOWN_LENGTH, renderMarkdown } from "../markdown.server.ts";

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
      // The bound is CPU time; wall-clock time on a busy machine can be many times that.
    }, 30_000);
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
