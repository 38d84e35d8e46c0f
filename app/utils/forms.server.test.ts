import type sanitizeHtml from "sanitize-html";
import { beforeEach, describe, expect, it, vi } from "vitest";

// Every render ends in one sanitize-html call: counting them tells a render from a lookup.
vi.mock("sanitize-html", async (actual) => {
  const real = ((await actual()) as { default: typeof sanitizeHtml }).default;
  return { default: Object.assign(vi.fn(real), real) };
});
vi.mock("./write-turn.server.ts", () => ({ takeWriteTurn: vi.fn(async () => {}) }));

// The database's setup loaded the real modules; these copies see the mocks.
vi.resetModules();
const { readForm } = await import("./forms.server.ts");
const { renderMarkdown } = await import("./markdown.server.ts");
const { takeWriteTurn } = await import("./write-turn.server.ts");
const renders = vi.mocked((await import("sanitize-html")).default);
const post = (fields: Record<string, string>) => new Request("http://localhost/threads/1", { method: "POST", body: new URLSearchParams(fields) });

describe("readForm", () => {
  beforeEach(() => {
    renders.mockClear();
    vi.mocked(takeWriteTurn).mockClear();
  });

  it("renders a post's text before it takes the write turn, so the model's render inside is a lookup", async () => {
    let rendersBeforeTurn = -1;
    vi.mocked(takeWriteTurn).mockImplementationOnce(async () => {
      rendersBeforeTurn = renders.mock.calls.length;
    });
    // A browser sends a textarea's line breaks as CRLF; the schema hands the model LF.
    const values = await readForm(post({ body: "Calf **cramps** at 3am.\r\n\r\n- stretch\r\n- water", intent: "post" }), { markdown: ["body"] });
    expect(values.body).toBe("Calf **cramps** at 3am.\r\n\r\n- stretch\r\n- water");
    expect(rendersBeforeTurn).toBe(1);

    const html = renderMarkdown("Calf **cramps** at 3am.\n\n- stretch\n- water");
    expect(html).toBe("<p>Calf <strong>cramps</strong> at 3am.</p>\n<ul>\n<li>stretch</li>\n<li>water</li>\n</ul>");
    expect(renders).toHaveBeenCalledTimes(1);
  });

  it("renders nothing early unless asked, and never a text too long to post", async () => {
    await readForm(post({ body: "Only *read* here." }));
    await readForm(post({ body: `${"a".repeat(20_001)}` }), { markdown: ["body"] });
    expect(takeWriteTurn).toHaveBeenCalledTimes(2);
    expect(renders).not.toHaveBeenCalled();
  });
});
