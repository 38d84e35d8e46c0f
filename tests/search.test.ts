import { count, eq, like } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { articleBoards, articles, boards, posts, threads } from "../db/schema.ts";
import { buildFtsQuery, QUERY_MAX, searchForum, segments, type SearchOutcome, type Segment } from "~/models/search.server.ts";
import { deletePost, editPost } from "~/models/posts.server.ts";
import { createReply, createThread } from "./helpers.ts";
import * as searchRoute from "~/routes/search.tsx";
import { call, member } from "./helpers.ts";

// Made-up words keep these tests independent of the seeded articles and of each other.
type Author = { id: number; role: "member" };
let alice: Author;
let bob: Author;

beforeAll(async () => {
  alice = { id: (await member("searchalice")).id, role: "member" };
  bob = { id: (await member("searchbob")).id, role: "member" };
});

function ok(outcome: SearchOutcome) {
  if (outcome.status !== "ok") throw new Error(`expected results, got ${outcome.status}`);
  return outcome;
}
const text = (parts: Segment[]) => parts.map((p) => p.text).join("");
const hits = (parts: Segment[]) => parts.filter((p) => p.hit).map((p) => p.text.toLowerCase());
const titles = (outcome: SearchOutcome) => ok(outcome).threads.map((t) => text(t.title));
const search = (q: string, board?: string, page?: number) => searchForum({ q, boardSlug: board, page });

describe("query parsing", () => {
  it("quotes every term, keeps phrases and prefixes, and drops FTS syntax and punctuation", () => {
    expect(buildFtsQuery("night cramps")).toBe('"night" "cramps"');
    expect(buildFtsQuery('"leg cramps" worse')).toBe('"leg cramps" "worse"');
    expect(buildFtsQuery("magnes* baclofen")).toBe('"magnes"* "baclofen"');
    expect(buildFtsQuery('"calf stret"*')).toBe('"calf stret"*');
    expect(buildFtsQuery("cramps NEAR( spasms OR tingling NOT pain AND -stiff")).toBe('"cramps" "spasms" "tingling" "pain" "stiff"');
    expect(buildFtsQuery("don't")).toBe('"don t"');
    expect(buildFtsQuery('body_markdown:cramp {title} ^start col:"x"')).toBe('"body markdown cramp" "title" "start" "col x"');
    // An unbalanced quote is punctuation, not the start of a phrase.
    expect(buildFtsQuery('"calf pain')).toBe('"calf" "pain"');
    // A one- or two-letter prefix would match most of the index: it is searched as a word.
    expect(buildFtsQuery("ab* c*")).toBe('"ab" "c"');
  });

  it("returns nothing to search for empty, blank or all-punctuation input", () => {
    for (const q of ["", "   ", '"', '""', "*", "-", "NEAR(", "AND OR NOT", "(((", "!!! ??? ...", '"*"', "\u0000\u0002"]) {
      expect(buildFtsQuery(q), JSON.stringify(q)).toBeNull();
    }
  });

  it("uses only the first 200 characters and at most 12 terms", () => {
    const long = `${"a".repeat(QUERY_MAX - 1)} unseenword`;
    expect(buildFtsQuery(long)).toBe(`"${"a".repeat(QUERY_MAX - 1)}"`);
    const many = Array.from({ length: 30 }, (_, i) => `word${i}`).join(" ");
    expect(buildFtsQuery(many)!.split(" ")).toHaveLength(12);
  });
});

describe("hostile queries", () => {
  it("never throw, and answer with results or a friendly empty outcome", async () => {
    const nasty = [
      '"',
      '""',
      '"""',
      "NEAR(",
      "NEAR(cramp spasm, 2)",
      "*",
      "-",
      "-cramp",
      "cramp*",
      "c*",
      "^cramp",
      "cramp:",
      "title:cramp",
      "{body_markdown}: cramp",
      "(cramp OR",
      "cramp AND",
      "'; DROP TABLE posts; --",
      "<script>alert(1)</script>",
      "\u0000",
      "💪🦵 cramp",
      "تشنج العضلات",
      "x".repeat(1000),
      '"a'.repeat(500),
      "NEAR( ".repeat(200),
      "a* ".repeat(400),
      // PostgreSQL's tsquery syntax, and its quoting: none of it may reach to_tsquery as syntax.
      "cramp:*",
      "cra:* & !leg | (calf <-> night) <2> x",
      "'cramp' '' \\' \\\\ cramp\\",
      "crampé* naïve:A \\x00 \u200b",
      "x".repeat(10_000),
    ];
    for (const q of nasty) {
      const outcome = await search(q);
      expect(["ok", "empty"], JSON.stringify(q)).toContain(outcome.status);
    }
    expect((await search("x".repeat(1000))).truncated).toBe(true);
  });
});

describe("ranking", () => {
  it("puts a title match above a passing mention, and a focused post above a long rambling one", async () => {
    const rambling = await createThread(alice, "fibromyalgia", {
      title: "A long week of appointments",
      body: `Saw the physio on Monday. ${"Lots of waiting rooms and forms to fill in. ".repeat(30)} Someone mentioned quellitude once.`,
    });
    const focused = await createThread(bob, "fibromyalgia", {
      title: "Weekly check-in",
      body: "Quellitude helps me. Quellitude every evening, quellitude before bed.",
    });
    const titled = await createThread(alice, "fibromyalgia", { title: "Quellitude for cramps?", body: "Has anyone tried it for cramps?" });
    const outcome = ok(await search("quellitude"));
    expect(outcome.ranking).toBe("relevance");
    expect(outcome.threads.map((t) => t.threadId)).toEqual([titled.threadId, focused.threadId, rambling.threadId]);
    expect(hits(outcome.threads[0]!.title)).toEqual(["quellitude"]);
    expect(hits(outcome.threads[1]!.snippet)).toContain("quellitude");
  });

  it("shows one result per thread, linked to its best-matching post", async () => {
    const { threadId } = await createThread(alice, "neuropathy", { title: "Tingling feet", body: "Just a brambleweft mention." });
    const reply = await createReply(bob, threadId, "Brambleweft, brambleweft: brambleweft is all I think about.");
    const outcome = ok(await search("brambleweft"));
    expect(outcome.threads).toHaveLength(1);
    expect(outcome.threads[0]!.href).toBe(`/threads/${threadId}?page=1#post-${reply.postId}`);
    expect(outcome.threads[0]!.postNumber).toBe(2);
    expect(outcome.threads[0]!.author).toBe("searchbob");
    expect(outcome.threads[0]!.boardName).toBe("Neuropathy & nerve-related cramps");
  });

  it("links a post on a later page of its thread to that page", async () => {
    const { threadId } = await createThread(alice, "introductions", { title: "Long-running hello thread", body: "Hello all." });
    let last = { postId: 0, number: 0 };
    for (let i = 2; i <= 52; i++) last = await createReply(bob, threadId, i === 52 ? "Finally: zephyrcramp." : `Reply number ${i}.`);
    expect(last.number).toBe(52);
    expect(ok(await search("zephyrcramp")).threads[0]!.href).toBe(`/threads/${threadId}?page=2#post-${last.postId}`);
  });

  it("without bm25 (very common words), ranks title matches first, then threads where more posts match", async () => {
    const one = await createThread(alice, "medications", { title: "Side effects list", body: "Mentions glimmerdose once." });
    const many = await createThread(alice, "medications", { title: "Dose diary", body: "glimmerdose morning" });
    await createReply(bob, many.threadId, "glimmerdose evening");
    await createReply(alice, many.threadId, "glimmerdose again");
    const titled = await createThread(bob, "medications", { title: "Glimmerdose questions", body: "Any experiences?" });
    const newest = await createThread(bob, "medications", { title: "Another", body: "glimmerdose too" });
    const outcome = ok(await searchForum({ q: "glimmerdose" }, { rankBudget: 0 }));
    expect(outcome.ranking).toBe("recent");
    expect(outcome.threads.map((t) => t.threadId)).toEqual([titled.threadId, many.threadId, newest.threadId, one.threadId]);
  });

  // 450 replies, each its own unit of work: on PostgreSQL a busy machine needs more than vitest's 5 s.
  it("judges a word common from either end of the forum's history, before paying for bm25", async () => {
    // A word in many early posts and in none of the later ones: looking only at the newest end,
    // its 100th-newest match is far back, so it seemed rare and bm25 counted every match.
    const { threadId } = await createThread(alice, "introductions", { title: "Early days", body: "Hello." });
    for (let i = 0; i < 150; i++) await createReply(bob, threadId, `Oldword vellichor, entry ${i}.`);
    for (let i = 0; i < 300; i++) await createReply(alice, threadId, `Later chatter, entry ${i}.`);
    const [matches] = await db.select({ n: count() }).from(posts).where(like(posts.bodyMarkdown, "%vellichor%"));
    expect(matches!.n).toBe(150);
    // A budget above what the newest end alone estimates, below what the oldest end shows.
    expect(ok(await searchForum({ q: "vellichor" }, { rankBudget: 300 })).ranking).toBe("recent");
    // A word that really is rare is still ranked by relevance under the same budget.
    await createReply(bob, threadId, "Only once: petrichoral.");
    expect(ok(await searchForum({ q: "petrichoral" }, { rankBudget: 300 })).ranking).toBe("relevance");
  }, 30_000);

  it("ranks only the newest matches when there are very many, and says so", async () => {
    for (let i = 0; i < 5; i++) await createThread(alice, "night-leg-cramps", { title: `Night number ${i}`, body: `frostcalf night ${i}` });
    const outcome = ok(await searchForum({ q: "frostcalf" }, { window: 3 }));
    expect(outcome.capped).toBe(true);
    expect(outcome.threads.map((t) => text(t.title))).toEqual(["Night number 4", "Night number 3", "Night number 2"]);
    expect(ok(await search("frostcalf")).capped).toBe(false);
  });

  it("walks fewer of the newest matches for a word too common to rank by relevance", async () => {
    for (let i = 0; i < 5; i++) await createThread(alice, "night-leg-cramps", { title: `Evening ${i}`, body: `hushcalf evening ${i}` });
    const common = ok(await searchForum({ q: "hushcalf" }, { rankBudget: 0, recentWindow: 3 }));
    expect(common.ranking).toBe("recent");
    expect(common.capped).toBe(true);
    expect(common.threads.map((t) => text(t.title))).toEqual(["Evening 4", "Evening 3", "Evening 2"]);
    const ranked = ok(await searchForum({ q: "hushcalf" }, { recentWindow: 3 }));
    expect(ranked.ranking).toBe("relevance");
    expect(ranked.capped).toBe(false);
    expect(ranked.threads).toHaveLength(5);
  });
});

describe("matching", () => {
  it("matches word forms, quoted phrases and prefixes", async () => {
    await createThread(alice, "night-leg-cramps", { title: "Wakeful nights", body: "My left calf was cramping at dawn. Tried magnesiumoxide." });
    await createThread(alice, "night-leg-cramps", { title: "Morning routine", body: "Dawn my calf felt left out, cramps later." });
    expect(titles(await search("cramps dawn"))).toEqual(expect.arrayContaining(["Wakeful nights", "Morning routine"]));
    expect(titles(await search('"left calf" dawn'))).toEqual(["Wakeful nights"]);
    expect(titles(await search("magnesiumox*"))).toEqual(["Wakeful nights"]);
    expect(hits(ok(await search("magnesiumox*")).threads[0]!.snippet)).toEqual(["magnesiumoxide"]);
  });

  it("splits words at every punctuation mark and ignores accents, as typed or as written", async () => {
    await createThread(alice, "medications", {
      title: "Naïve question",
      body: "Tried zorbaclo/quintazine, see zorbaclo.example.org and the zorba_notes page. Cafés helped, a self-care day too.",
    });
    for (const q of ["quintazine", "example", "notes", "zorba", "cafe", "café", "naive", "care", '"self care"', "zorbaclo quintazine"]) {
      expect(titles(await search(q)), q).toEqual(["Naïve question"]);
    }
  });

  it("requires every word (AND)", async () => {
    await createThread(alice, "ms-spasticity", { title: "Baclofen pump", body: "The quorvex trial and the plimsoll study." });
    expect(titles(await search("quorvex plimsoll"))).toEqual(["Baclofen pump"]);
    expect(ok(await search("quorvex nowhereword")).total).toBe(0);
  });
});

describe("visibility", () => {
  it("never shows removed or deleted posts, removed threads, or unpublished articles — and follows edits and restores", async () => {
    const removedPost = await createThread(alice, "fibromyalgia", { title: "Ordinary title one", body: "vexillum removed post" });
    const deleted = await createThread(alice, "fibromyalgia", { title: "Ordinary title two", body: "vexillum deleted post" });
    const removedThread = await createThread(alice, "fibromyalgia", { title: "Vexillum thread", body: "vexillum in a removed thread" });
    const edited = await createThread(alice, "fibromyalgia", { title: "Ordinary title three", body: "vexillum before the edit" });
    const kept = await createThread(alice, "fibromyalgia", { title: "Ordinary title four", body: "vexillum stays" });
    expect(ok(await search("vexillum")).total).toBe(5);

    await transaction((tx) => tx.update(posts).set({ removedAt: new Date() }).where(eq(posts.id, removedPost.postId)));
    await deletePost(alice, deleted.postId);
    await transaction((tx) => tx.update(threads).set({ removedAt: new Date() }).where(eq(threads.id, removedThread.threadId)));
    await editPost(alice, edited.postId, { body: "now about something else: quintessa" });
    expect(ok(await search("vexillum")).threads.map((t) => t.threadId)).toEqual([kept.threadId]);
    expect(ok(await search("quintessa")).threads.map((t) => t.threadId)).toEqual([edited.threadId]);

    // Restoring puts them back in the index, and so in the results.
    await transaction(async (tx) => {
      await tx.update(threads).set({ removedAt: null }).where(eq(threads.id, removedThread.threadId));
      await tx.update(posts).set({ removedAt: null }).where(eq(posts.id, removedPost.postId));
    });
    expect(
      ok(await search("vexillum"))
        .threads.map((t) => t.threadId)
        .sort(),
    ).toEqual([removedPost.threadId, removedThread.threadId, kept.threadId].sort());
  });

  it("keeps a thread found by its title when its opening post was deleted, without that post's words", async () => {
    const { threadId, postId } = await createThread(alice, "introductions", { title: "Tessellate greetings", body: "secret words here" });
    await deletePost(alice, postId);
    const [result] = ok(await search("tessellate")).threads;
    expect(result!.threadId).toBe(threadId);
    expect(result!.snippet).toEqual([]);
    expect(ok(await search("secret words")).threads.map((t) => t.threadId)).not.toContain(threadId);
  });

  it("follows title edits", async () => {
    const { threadId, postId } = await createThread(alice, "introductions", { title: "Old name obsidianfox", body: "Body text" });
    await editPost(alice, postId, { body: "Body text", title: "New name garnetowl" });
    expect(ok(await search("obsidianfox")).total).toBe(0);
    expect(ok(await search("garnetowl")).threads[0]!.threadId).toBe(threadId);
  });

  it("finds published articles only, with the title and summary highlighted", async () => {
    const base = {
      bodyHtml: "<p>x</p>",
      references: [],
      author: "Editorial team",
      reviewer: "Reviewer",
      lastReviewedOn: "2026-01-01",
      nextReviewDueOn: "2027-01-01",
      updatedAt: new Date(),
    };
    await transaction((tx) =>
      tx.insert(articles).values([
        {
          ...base,
          slug: "lumenwort-guide",
          title: "Lumenwort explained",
          summary: "What lumenwort is, and what it is not.",
          bodyMarkdown: "All about lumenwort.",
          status: "published",
          publishedAt: new Date(),
        },
        {
          ...base,
          slug: "lumenwort-deep",
          title: "A long read",
          summary: "Evidence, plainly put.",
          bodyMarkdown: "Deep in the text, lumenwort.",
          status: "published",
          publishedAt: new Date(),
        },
        { ...base, slug: "lumenwort-draft", title: "Lumenwort draft", summary: "Not yet.", bodyMarkdown: "Draft lumenwort.", status: "draft" },
        { ...base, slug: "lumenwort-old", title: "Lumenwort archive", summary: "Old.", bodyMarkdown: "Old lumenwort.", status: "archived" },
      ]),
    );
    const outcome = ok(await search("lumenwort"));
    expect(outcome.articles.map((a) => a.href)).toEqual(["/articles/lumenwort-guide", "/articles/lumenwort-deep"]);
    const [guide, deep] = outcome.articles;
    expect(hits(guide!.title)).toEqual(["lumenwort"]);
    expect(guide!.snippet).toEqual([
      { text: "What ", hit: false },
      { text: "lumenwort", hit: true },
      { text: " is, and what it is not.", hit: false },
    ]);
    // Found by a word in its body alone: still described by its summary.
    expect(deep!.snippet).toEqual([{ text: "Evidence, plainly put.", hit: false }]);
    // Articles head the first page only.
    expect(ok(await search("lumenwort", undefined, 2)).articles).toEqual([]);
  });
});

describe("board filter and pages", () => {
  it("keeps threads and articles of the chosen board only", async () => {
    const ms = await createThread(alice, "ms-spasticity", { title: "Spastic hands", body: "cobaltine helps" });
    await createThread(alice, "fibromyalgia", { title: "Fibro hands", body: "cobaltine too" });
    const fibro = (await db.select({ id: boards.id }).from(boards).where(eq(boards.slug, "fibromyalgia")))[0]!;
    await transaction(async (tx) => {
      const [article] = await tx
        .insert(articles)
        .values({
          slug: "cobaltine",
          title: "Cobaltine",
          summary: "s",
          bodyMarkdown: "b",
          bodyHtml: "b",
          references: [],
          author: "a",
          reviewer: "r",
          lastReviewedOn: "2026-01-01",
          nextReviewDueOn: "2027-01-01",
          status: "published",
          updatedAt: new Date(),
        })
        .returning({ id: articles.id });
      await tx.insert(articleBoards).values({ articleId: article!.id, boardId: fibro.id });
    });

    const inMs = ok(await search("cobaltine", "ms-spasticity"));
    expect(inMs.threads.map((t) => t.threadId)).toEqual([ms.threadId]);
    expect(inMs.articles).toEqual([]);
    expect(ok(await search("cobaltine", "fibromyalgia")).articles.map((a) => a.href)).toEqual(["/articles/cobaltine"]);
    expect(ok(await search("cobaltine")).total).toBe(2);
  });

  it("pages 20 results at a time without repeats", async () => {
    for (let i = 0; i < 45; i++) await createThread(bob, "introductions", { title: `Hello number ${i}`, body: `pagewort ${i}` });
    const pages = await Promise.all([1, 2, 3].map(async (page) => ok(await search("pagewort", undefined, page))));
    expect(pages.map((p) => p.threads.length)).toEqual([20, 20, 5]);
    expect(pages[0]!.pageCount).toBe(3);
    expect(new Set(pages.flatMap((p) => p.threads.map((t) => t.threadId))).size).toBe(45);
    expect(ok(await search("pagewort", undefined, 4)).threads).toEqual([]);
  });
});

describe("snippets", () => {
  it("are plain text pieces: markup typed by a member stays text, hits are marked", async () => {
    await createThread(alice, "introductions", {
      title: "Markup_test **title**",
      body: '<img src=x onerror="alert(1)"> **bold** _soft_ [a link](https://example.org) snake_case scriptwort <b>end</b>',
    });
    const [result] = ok(await search("scriptwort")).threads;
    const snippet = result!.snippet;
    expect(text(snippet)).toContain('<img src=x onerror="alert(1)">');
    expect(text(snippet)).toContain("bold soft a link snake_case scriptwort <b>end</b>");
    // A title is plain text, shown exactly as written.
    expect(text(result!.title)).toBe("Markup_test **title**");
    expect(snippet.filter((p) => p.hit)).toEqual([{ text: "scriptwort", hit: true }]);
  });

  it("split FTS marks into segments", () => {
    expect(segments("a \u0002b\u0003 c \u0002d\u0003")).toEqual([
      { text: "a ", hit: false },
      { text: "b", hit: true },
      { text: " c ", hit: false },
      { text: "d", hit: true },
    ]);
  });
});

describe("search page loader", () => {
  it("answers an empty or punctuation-only query with a friendly 200", async () => {
    for (const q of ["", "%22", "NEAR(", "***"]) {
      const res = await call(searchRoute.loader, `/search?q=${q}`);
      expect(res.status).toBe(200);
      expect((await res.json()).outcome.status).toBe("empty");
    }
  });

  it("answers a 1,000-character query with a 200 and says it was shortened", async () => {
    const res = await call(searchRoute.loader, `/search?q=${encodeURIComponent('NEAR( "cramp* -'.repeat(70).slice(0, 1000))}`);
    expect(res.status).toBe(200);
    expect((await res.json()).outcome.truncated).toBe(true);
  });

  it("returns results for a board and keeps the words", async () => {
    await createThread(alice, "medications", { title: "Loaderwort thread", body: "loaderwort" });
    const res = await call(searchRoute.loader, "/search?q=loaderwort&board=medications");
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.q).toBe("loaderwort");
    expect(data.outcome.threads[0].title).toEqual([
      { text: "Loaderwort", hit: true },
      { text: " thread", hit: false },
    ]);
  });

  it("refuses an unknown board with a message beside the field, keeping the words", async () => {
    const res = await call(searchRoute.loader, "/search?q=cramps&board=nope");
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.boardError).toBe("Choose a board from the list.");
    expect(data.q).toBe("cramps");
  });

  it("refuses a page that is not a number with a 400", async () => {
    expect((await call(searchRoute.loader, "/search?q=cramps&page=abc")).status).toBe(400);
  });
});
