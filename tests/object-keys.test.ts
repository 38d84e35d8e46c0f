import { describe, expect, it } from "vitest";
import { seedArticles } from "../db/seed-articles.ts";
import { actionLabel } from "~/components/log-filters.tsx";
import { parseReferences } from "~/models/article-references.server.ts";
import * as articlePage from "~/routes/articles.$slug.tsx";
import { readForm } from "~/utils/forms.server.ts";
import { call, member } from "./helpers.ts";

// Names that every plain object answers to. Sent as an intent, a field or a key, each must be
// treated as the unknown word it is: a clear 400 or plain text, never Object's own property.
const OBJECT_KEYS = ["__proto__", "constructor", "toString", "hasOwnProperty", "valueOf"];

describe("keys that plain objects already have", () => {
  it.each(OBJECT_KEYS)("answers the staff article form's intent=%s with 400", async (intent) => {
    const mod = await member(undefined, "moderator");
    const slug = seedArticles[0]!.slug;
    const res = await call(articlePage.action, `/articles/${slug}`, { cookie: mod.cookie, params: { slug }, form: { intent } });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("Choose publish, unpublish or archive.");
  });

  it.each(OBJECT_KEYS)("reads a form field named %s as a field", async (name) => {
    const request = new Request("http://localhost/x", {
      method: "POST",
      body: new URLSearchParams([
        [name, "typed"],
        ["body", "words"],
      ]),
    });
    const values = await readForm(request);
    expect(Object.keys(values).sort()).toEqual([name, "body"].sort());
    expect(values[name]).toBe("typed");
  });

  it.each(OBJECT_KEYS)("reports a reference line starting %s: as text, not a field", (key) => {
    const result = parseReferences(`${key}: something\nTitle: Stretching for night cramps\nURL: https://example.org/a`);
    expect(result.ok).toBe(false);
  });

  it.each(OBJECT_KEYS)("labels a moderation action code %s as words", (code) => {
    expect(typeof actionLabel(code)).toBe("string");
  });
});
