import { describe, expect, it } from "vitest";
import { withoutRenderedBodies } from "./hydration.server.ts";

// What Remix embeds: JSON with <, >, &, U+2028 and U+2029 escaped (createServerHandoffString).
const embed = (value: unknown) => JSON.stringify(value).replace(/[&<>\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);

describe("withoutRenderedBodies", () => {
  it("leaves out rendered bodies, keeps the nulls that hide a post, and everything else", () => {
    const handoff = embed({
      state: {
        loaderData: {
          "routes/threads.$threadId": {
            posts: [
              { id: 1, bodyHtml: "<p>Heat helps</p>", author: "fern" },
              { id: 2, bodyHtml: null, removalReason: "spam" },
            ],
          },
        },
      },
    });
    const result = withoutRenderedBodies(handoff)!;
    expect(JSON.parse(result)).toEqual({
      state: {
        loaderData: {
          "routes/threads.$threadId": {
            posts: [
              { id: 1, author: "fern" },
              { id: 2, bodyHtml: null, removalReason: "spam" },
            ],
          },
        },
      },
    });
  });

  it("escapes what is left as Remix does, so no text can end the script element", () => {
    const title = "</script><script>alert(1)</script> & \u2028";
    const result = withoutRenderedBodies(embed({ thread: { title }, posts: [{ bodyHtml: "<p>x</p>" }] }))!;
    expect(result).not.toMatch(/[<>&\u2028\u2029]/);
    expect(result).toContain("\\u003c/script\\u003e");
    expect(JSON.parse(result).thread.title).toBe(title);
  });

  it("returns a page without rendered bodies as it was", () => {
    const handoff = embed({ state: { loaderData: { root: { user: null } } } });
    expect(withoutRenderedBodies(handoff)).toBe(handoff);
    expect(withoutRenderedBodies(undefined)).toBeUndefined();
  });
});
