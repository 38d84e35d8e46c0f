// Every scan of member text is linear, and every path checks the length first. Inputs here are
// ten times the size limit: a linear scan handles them in milliseconds, a quadratic one takes
// tens of seconds and fails the test's time limit. Each case also checks the output is right.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { drafts, pendingDrafts, posts } from "../db/schema.ts";
import { parseReferences } from "~/models/article-references.server.ts";
import { slugify } from "~/utils/schemas.server.ts";
import { replyDraftKey, threadDraftKey } from "~/models/drafts.server.ts";
import { extractMentions } from "~/models/notifications.server.ts";
import { getProfile } from "~/models/profiles.server.ts";
import { parseQuery, segments } from "~/models/search.server.ts";
import { quoteMarkdown } from "~/models/threads.server.ts";
import * as newThread from "~/routes/boards.$slug.new.tsx";
import * as saveRoute from "~/routes/drafts.save.tsx";
import * as editRoute from "~/routes/posts.$postId.edit.tsx";
import * as threadRoute from "~/routes/threads.$threadId.tsx";
import { BODY_MAX } from "~/utils/limits.ts";
import { keepLinkText } from "~/utils/link-text.ts";
import { renderMarkdown } from "~/utils/markdown.server.ts";
import { detectDosingAdvice, detectRisk, normalizeForMatching } from "~/utils/safety-phrases.ts";
import { countLinks } from "~/utils/safety.server.ts";
import { call, createReply, createThread, member } from "./helpers.ts";

const N = 10 * BODY_MAX; // 200,000 characters
const SLUG = "night-leg-cramps";
/** `unit` repeated to about `length` characters. */
const times = (unit: string, length = N) => unit.repeat(Math.floor(length / unit.length));

/** toBe for long strings: a mismatch is reported by where it starts, not by a page of text. */
function expectSame(actual: string, expected: string) {
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  expect({ length: actual.length, at, near: actual.slice(at, at + 60) }).toEqual({ length: expected.length, at: expected.length, near: "" });
}

describe("keepLinkText", () => {
  // A small seeded generator, so a failure can be reproduced.
  function* randomTexts(count: number) {
    let seed = 12345;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ["[", "]", "(", ")", "!", "a", "\n"];
    for (let i = 0; i < count; i++) {
      const length = Math.floor(next() * 24);
      yield Array.from({ length }, () => alphabet[Math.floor(next() * alphabet.length)]).join("");
    }
  }

  it("gives exactly what the link regexes it replaces gave", () => {
    for (const text of randomTexts(20_000)) {
      expect(keepLinkText(text), text).toBe(text.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1"));
      expect(keepLinkText(text, { images: true }), text).toBe(text.replace(/!?\[([^\]]*)\]\([^)]*\)/g, "$1"));
    }
  });

  it.each([
    ["[", times("["), times("[")],
    ["[](", times("[]("), times("[](")],
    ["a](", times("a]("), times("a](")],
    ["[a](b)", times("[a](b)"), times("a", N / 6)],
    ["[a]( then one )", `${times("[a](")})`, "a"],
    ["![", times("!["), times("![")],
  ])("is linear on %s repeated", (_name, text, expected) => {
    expectSame(keepLinkText(text), expected);
  });
});

describe("the safety checks", () => {
  it.each([
    ["[", times("["), times("[")],
    ["[](", times("[]("), times("[](")],
    ["[a", times("[a"), times("[a")],
    ["[a](b", times("[a](b"), times("[a](b")],
    ["![", times("!["), times("![")],
    ["*", times("*"), ""],
    ["_a", times("_a"), times("a", N / 2)],
    ["> quoted lines", times("> x\n"), ""],
    ["`", times("`"), times("'")],
    ["spaces and tabs", times(" \t"), " "],
  ])("normalizeForMatching is linear on %s", (_name, text, expected) => {
    expectSame(normalizeForMatching(text), expected);
  });

  it("still finds risk words after, or inside, a page of brackets", () => {
    expect(detectRisk(`${times("[")} I want to die`)).toBe(true);
    expect(detectRisk(`${times("[")}[I want to die](https://example.org)`)).toBe(true);
    expect(detectRisk(times("[]("))).toBe(false);
    expect(detectRisk(times("kill myself laughing ", N))).toBe(false);
  });

  it.each([
    ["brackets", times("["), false],
    ["digits", times("1"), false],
    ["non-breaking spaces after a number", `1${times("\u00a0")}mg`, false],
    ["a long run of leading words", `${times("just ")}take 2 tablets`, true],
    ["you should, many times", times("you should take 2 tablets. "), true],
    ["sentences", times("a. "), false],
  ])("detectDosingAdvice is linear on %s", (_name, text, expected) => {
    expect(detectDosingAdvice(text)).toBe(expected);
  });
});

// The renderer has its own guards (docs/decisions/003); these pin them at ten times the limit.
describe("renderMarkdown", { timeout: 15_000 }, () => {
  it.each([
    ["[", times("["), `<p>${times("[")}</p>`],
    ["*", times("*"), "<hr />"],
    ["a](", times("a]("), `<p>${times("a](")}</p>`],
    ["[](", times("[]("), `<p>${times("[](")}</p>`],
    ["<", times("<"), `<p>${"&lt;".repeat(N)}</p>`],
    ["`a", times("`a"), `<p>${"<code>a</code>a".repeat(N / 4)}</p>`],
    ["_a", times("_a"), `<p>${times("_a")}</p>`],
  ])("is linear on %s repeated", (_name, text, expected) => {
    expectSame(renderMarkdown(text), expected);
  });

  it("is linear on nested quotes and counts links once each", () => {
    const html = renderMarkdown(times(">"));
    expect(html.match(/<blockquote>/g)).toHaveLength(12);
    expect(countLinks(times("[a](https://example.org) "))).toBe(N / 25);
  });
});

describe("other scans of member text", () => {
  it("mentions, quotes, search and references stay linear", () => {
    expect(extractMentions(times("`a"))).toEqual([]);
    expect(extractMentions(`${times("``a")} @ada`)).toEqual(["ada"]);
    expect(extractMentions(times("@ab "))).toEqual([]);
    expect(quoteMarkdown({ number: 3, author: "ada", bodyMarkdown: times("[") })).toBe(`**ada** wrote in post 3:\n\n> ${"[".repeat(600)}…\n\n`);
    expect(parseQuery(times('"'))).toEqual([]);
    expect(parseQuery(`cramp${times("*")}`)).toEqual([{ fts: '"cramp"*', prefix: true }]);
    expect(
      segments(times("]("))
        .map((s) => s.text)
        .join(""),
    ).toBe("");
    expect(parseReferences(times("\n \n"))).toMatchObject({ ok: false });
    expect(parseReferences(times("\n \n", 20_000))).toEqual({ ok: true, references: [] });
    expect(slugify(times("-a"))).toBe(times("a-", 80).slice(0, 79));
  });

  it("a profile's post excerpts stay linear on a post full of brackets", async () => {
    const writer = await member();
    const { threadId } = await createThread(writer, SLUG, { title: "Brackets", body: "First." });
    const { postId } = await createReply(writer, threadId, "Soon a long one.");
    // Longer than any post can be, to show the cost of one scan; a real one is ten of these at 20,000.
    await transaction((tx) =>
      tx
        .update(posts)
        .set({ bodyMarkdown: times("![") })
        .where(eq(posts.id, postId)),
    );
    const profile = await getProfile(null, writer.username);
    expect(profile.recentPosts.find((p) => p.id === postId)?.excerpt).toBe(`${"![".repeat(110)}…`);
  });
});

describe("the composer checks the length before anything else", () => {
  const huge = times("[");

  it("Preview of a new thread answers 400 at once, with the text and no preview", async () => {
    const ada = await member();
    const res = await call(newThread.action, `/boards/${SLUG}/new`, {
      cookie: ada.cookie,
      params: { slug: SLUG },
      form: { intent: "preview", title: "Brackets", body: huge },
    });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.values).toEqual({ title: "Brackets", body: huge });
    expect(data.errors.body).toMatch(/too long.*20,000/);
    expect(data.preview).toBeUndefined();
    expect(await db.select().from(drafts).where(eq(drafts.userId, ada.id))).toEqual([]);
  });

  it("Save draft of a reply answers 400 with the text, and the draft keeps what a post may hold", async () => {
    const bo = await member();
    const { threadId } = await createThread(bo, SLUG, { title: "Long night", body: "Again." });
    const res = await call(threadRoute.action, `/threads/${threadId}`, {
      cookie: bo.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "draft", body: huge },
    });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.values.body).toBe(huge);
    expect(data.errors.body).toMatch(/too long/);
    const rows = await db.select({ key: drafts.key, body: drafts.body }).from(drafts).where(eq(drafts.userId, bo.id));
    expect(rows).toEqual([{ key: replyDraftKey(threadId), body: huge.slice(0, BODY_MAX) }]);
  });

  it("an edit, and autosave, answer 400 too", async () => {
    const cy = await member();
    const { postId } = await createThread(cy, SLUG, { title: "To be edited", body: "Short." });
    const edit = await call(editRoute.action, `/posts/${postId}/edit`, {
      cookie: cy.cookie,
      params: { postId: String(postId) },
      form: { intent: "preview", title: "To be edited", body: huge },
    });
    expect(edit.status).toBe(400);
    expect((await edit.json()).values.body).toBe(huge);
    const auto = await call(saveRoute.action, "/drafts/save", { cookie: cy.cookie, form: { key: threadDraftKey(SLUG), autosave: "1", body: huge } });
    expect(auto.status).toBe(400);
    expect((await auto.json()).error).toMatch(/^Not saved\. .*too long/);
    const plain = await call(saveRoute.action, "/drafts/save", { cookie: cy.cookie, form: { key: threadDraftKey(SLUG), body: huge } });
    expect(plain.status).toBe(400);
    expect((await plain.json()).values.body).toBe(huge);
    expect(await db.select().from(drafts).where(eq(drafts.userId, cy.id))).toEqual([]);
  });

  it("a visitor's too-long text is shown back to copy, and nothing is kept for them", async () => {
    const before = (await db.select().from(pendingDrafts)).length;
    const res = await call(newThread.action, `/boards/${SLUG}/new`, { params: { slug: SLUG }, form: { intent: "post", title: "Brackets", body: huge } });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.message).toMatch(/too long/);
    expect(data.notKept).toEqual({ title: "Brackets", body: huge });
    expect(data.login).toBe(`/login?${new URLSearchParams({ redirectTo: `/boards/${SLUG}/new` })}`);
    expect(await db.select().from(pendingDrafts)).toHaveLength(before);
  });
});
