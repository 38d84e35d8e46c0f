import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
// xml-js comes with the `feed` package; its parser is sax in strict mode, so a malformed
// document throws.
import { xml2js } from "xml-js";
import { transaction } from "../db/client.ts";
import { articles, posts, threads } from "../db/schema.ts";
import * as boardFeed from "~/routes/boards.$slug.feed.tsx";
import * as articleFeed from "~/routes/articles.feed.tsx";
import { call, createThread, member } from "./helpers.ts";

type El = { name?: string; type: string; text?: string; attributes?: Record<string, string>; elements?: El[] };

function parse(xml: string) {
  const doc = xml2js(xml, { compact: false }) as El;
  return doc.elements!.find((e) => e.name === "feed")!;
}
const child = (el: El, name: string) => el.elements?.find((e) => e.name === name);
const text = (el: El | undefined) => el?.elements?.map((e) => e.text ?? "").join("") ?? "";
const entries = (feed: El) => feed.elements!.filter((e) => e.name === "entry");

async function fetchBoard(slug: string) {
  return call(boardFeed.loader, `/boards/${slug}/feed`, { params: { slug } });
}

describe("board Atom feed", () => {
  it("is well-formed Atom with the board's newest public threads, escaping whatever members type", async () => {
    const me = await member();
    const nasty = `Cramps & "spasms" ]]><script>alert(1)</script>\u0001`;
    const kept = await createThread({ id: me.id, role: "member" }, "neuropathy", { title: nasty, body: "Tingling **and** cramps" });
    const removed = await createThread({ id: me.id, role: "member" }, "neuropathy", { title: "Removed thread title", body: "x" });
    const hiddenBody = await createThread({ id: me.id, role: "member" }, "neuropathy", { title: "Opening post removed", body: "Secret body" });
    await transaction(async (tx) => {
      await tx.update(threads).set({ removedAt: new Date() }).where(eq(threads.id, removed.threadId));
      await tx.update(posts).set({ removedAt: new Date() }).where(eq(posts.id, hiddenBody.postId));
    });

    const res = await fetchBoard("neuropathy");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const xml = await res.text();
    const feed = parse(xml);
    expect(feed.attributes!.xmlns).toBe("http://www.w3.org/2005/Atom");
    expect(text(child(feed, "title"))).toBe("Neuropathy & nerve-related cramps — Unclench");
    expect(text(child(feed, "id"))).toBe("tag:localhost,2025:board:neuropathy");
    expect(child(feed, "updated")).toBeDefined();
    const self = feed.elements!.find((e) => e.name === "link" && e.attributes!.rel === "self")!;
    expect(self.attributes!.href).toBe("http://localhost/boards/neuropathy/feed");

    const list = entries(feed);
    expect(list.map((e) => text(child(e, "title")))).toEqual(["Opening post removed", nasty.replace("\u0001", "")]);
    const first = list[1]!;
    expect(child(first, "link")!.attributes!.href).toBe(`http://localhost/threads/${kept.threadId}`);
    expect(text(child(child(first, "author")!, "name"))).toBe(me.username);
    expect(text(child(first, "content"))).toContain("<strong>and</strong>");
    expect(child(list[0]!, "content")).toBeUndefined();
    expect(xml).not.toContain("Secret body");
    expect(xml).not.toContain("Removed thread title");
    expect(xml).not.toContain("<script>");
  });

  it("404s an unknown board", async () => {
    expect((await fetchBoard("no-such-board")).status).toBe(404);
  });
});

describe("articles Atom feed", () => {
  it("lists only published articles", async () => {
    const now = new Date();
    const base = {
      bodyMarkdown: "b",
      bodyHtml: "<p>b</p>",
      references: [],
      author: "Dr A",
      reviewer: "Dr B",
      lastReviewedOn: "2025-01-01",
      nextReviewDueOn: "2026-01-01",
      updatedAt: now,
    };
    await transaction((tx) =>
      tx.insert(articles).values([
        { ...base, slug: "feed-published", title: "Stretching & night cramps", summary: "What the trials say", status: "published", publishedAt: now },
        { ...base, slug: "feed-draft", title: "Draft article", summary: "Not yet", status: "draft" },
        { ...base, slug: "feed-archived", title: "Archived article", summary: "Old", status: "archived", publishedAt: now },
      ]),
    );
    const res = await call(articleFeed.loader, "/articles/feed");
    expect(res.headers.get("Content-Type")).toBe("application/atom+xml; charset=utf-8");
    const feed = parse(await res.text());
    const titles = entries(feed).map((e) => text(child(e, "title")));
    expect(titles).toContain("Stretching & night cramps");
    expect(titles).not.toContain("Draft article");
    expect(titles).not.toContain("Archived article");
    const entry = entries(feed).find((e) => text(child(e, "title")) === "Stretching & night cramps")!;
    expect(child(entry, "link")!.attributes!.href).toBe("http://localhost/articles/feed-published");
    expect(text(child(entry, "summary"))).toBe("What the trials say");
  });
});
