import { and, eq } from "drizzle-orm";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { articleBoards, articleRevisions, articles, boards, evidenceNotes, moderationLog, posts, threadArticles } from "../db/schema.ts";
import { seed } from "../db/seed.ts";
import { seedArticles } from "../db/seed-articles.ts";
import { ReferenceList } from "~/components/article-references.tsx";
import { ReviewLine } from "~/components/article-review-line.tsx";
import { createArticle } from "~/models/article-editing.server.ts";
import { listPinnedArticles } from "~/models/article-pins.server.ts";
import { citationIds, parseReferences } from "~/models/article-references.server.ts";
import { listRelatedArticles } from "~/models/article-related.server.ts";
import { isReviewOverdue, todayUtc } from "~/models/articles.server.ts";
import { getEvidenceNotes } from "~/models/evidence-notes.server.ts";
import * as articlePage from "~/routes/articles.$slug.tsx";
import * as editArticle from "~/routes/articles.$slug_.edit.tsx";
import * as articleHistory from "~/routes/articles.$slug_.history.tsx";
import * as articleIndex from "~/routes/articles._index.tsx";
import * as newArticle from "~/routes/articles.new.tsx";
import * as newThread from "~/routes/boards.$slug.new.tsx";
import * as evidence from "~/routes/posts.$postId.evidence.tsx";
import * as related from "~/routes/threads.$threadId_.related.tsx";
import { call, member } from "./helpers.ts";

const REFS = `authors: Katzberg HD, Khan AH, So YT.
title: Assessment: symptomatic treatment for muscle cramps
source: Neurology
year: 2010
doi: 10.1212/WNL.0b013e3181d0ccca
pmid: 20177124

authors: NICE
title: Multiple sclerosis in adults: management
source: NICE
year: 2022
url: https://www.nice.org.uk/guidance/ng220`;

let counter = 0;
function articleForm(overrides: Record<string, string> = {}) {
  counter += 1;
  return {
    intent: "save",
    title: `Calf stretches that help ${counter}`,
    slug: "",
    summary: "A short guide to stretches for night cramps.",
    body: "## Why stretch\n\nStretching may help [1], though evidence is mixed [2]. Not a citation: [3].",
    references: REFS,
    author: "Unclench editorial team",
    reviewer: "Dr A. Patel, consultant neurologist",
    lastReviewedOn: "2026-01-10",
    nextReviewDueOn: "2027-01-10",
    status: "published",
    ...overrides,
  };
}

async function create(cookie: string, overrides: Record<string, string> = {}) {
  const res = await call(newArticle.action, "/articles/new", { cookie, form: articleForm(overrides) });
  expect(res.status).toBe(302);
  return res.headers.get("Location")!.replace("/articles/", "");
}

const articleRow = async (slug: string) => (await db.select().from(articles).where(eq(articles.slug, slug)))[0]!;
const boardId = async (slug: string) => (await db.select().from(boards).where(eq(boards.slug, slug)))[0]!.id;
const pinnedOn = async (boardSlug: string) => listPinnedArticles(await boardId(boardSlug));
const logActions = async (targetType: "article" | "thread" | "evidence_note", targetId: number) =>
  (
    await db
      .select({ action: moderationLog.action })
      .from(moderationLog)
      .where(and(eq(moderationLog.targetType, targetType), eq(moderationLog.targetId, targetId)))
  ).map((r) => r.action);

async function startThread(cookie: string) {
  const res = await call(newThread.action, "/boards/night-leg-cramps/new", {
    cookie,
    params: { slug: "night-leg-cramps" },
    form: { intent: "post", title: "Quinine for cramps?", body: "My uncle swears by **tonic water**." },
  });
  const threadId = Number(res.headers.get("Location")!.split("/").pop());
  const [post] = await db.select().from(posts).where(eq(posts.threadId, threadId)).limit(1);
  return { threadId, postId: post!.id };
}

describe("seeded articles", () => {
  it("are present, published and pinned to their boards after a fresh start", async () => {
    for (const seedArticle of seedArticles) {
      const row = await articleRow(seedArticle.slug);
      expect(row.status).toBe("published");
      expect(row.references).toHaveLength(seedArticle.references.length);
      // The first citation in every seed article became a link to its reference.
      expect(row.bodyHtml).toContain('<a class="cite" href="#ref-1" id="cite-1-1">[1]</a>');
      for (const board of seedArticle.boardSlugs) {
        expect((await pinnedOn(board)).map((a) => a.slug)).toContain(seedArticle.slug);
      }
    }
    const index = await (await call(articleIndex.loader, "/articles")).json();
    expect(index.articles.length).toBeGreaterThanOrEqual(6);
  });

  it("seeding again adds nothing and never overwrites an article a moderator edited", async () => {
    const mod = await member("seedmod", "moderator");
    const slug = seedArticles[0]!.slug;
    const form = await (await call(editArticle.loader, `/articles/${slug}/edit`, { cookie: mod.cookie, params: { slug } })).json();
    const res = await call(editArticle.action, `/articles/${slug}/edit`, {
      cookie: mod.cookie,
      params: { slug },
      form: { ...form.values, intent: "save", summary: "Edited by a moderator." },
    });
    expect(res.status).toBe(302);
    const before = (await db.select().from(articles)).length;
    const pinsBefore = (await db.select().from(articleBoards)).length;
    await seed();
    expect(await db.select().from(articles)).toHaveLength(before);
    expect(await db.select().from(articleBoards)).toHaveLength(pinsBefore);
    expect((await articleRow(slug)).summary).toBe("Edited by a moderator.");
  });

  it("re-renders HTML stored by an older renderer on start, so old articles get back-links", async () => {
    const slug = seedArticles[0]!.slug;
    const current = (await articleRow(slug)).bodyHtml;
    expect(current).toMatch(/id="cite-1-1"/);
    const stale = current.replace(/ id="cite-\d+-\d+"/g, "");
    await transaction((tx) => tx.update(articles).set({ bodyHtml: stale }).where(eq(articles.slug, slug)));
    await seed();
    expect((await articleRow(slug)).bodyHtml).toBe(current);
  });
});

describe("permissions", () => {
  it("a member cannot create, edit, publish, pin, reorder, link or add evidence notes (403)", async () => {
    const alice = await member("plainmember");
    const mod = await member("permmod", "moderator");
    const slug = await create(mod.cookie, { status: "draft" });
    const { threadId, postId } = await startThread(alice.cookie);
    const cookie = alice.cookie;
    const attempts: Response[] = [
      await call(newArticle.loader, "/articles/new", { cookie }),
      await call(newArticle.action, "/articles/new", { cookie, form: articleForm() }),
      await call(editArticle.loader, `/articles/${slug}/edit`, { cookie, params: { slug } }),
      await call(editArticle.action, `/articles/${slug}/edit`, { cookie, params: { slug }, form: articleForm({ "pin-fibromyalgia": "on" }) }),
      await call(articlePage.action, `/articles/${slug}`, { cookie, params: { slug }, form: { intent: "publish" } }),
      await call(articleHistory.loader, `/articles/${slug}/history`, { cookie, params: { slug } }),
      await call(articleIndex.action, "/articles", { cookie, form: { intent: "up", article: slug, board: "fibromyalgia" } }),
      await call(related.loader, `/threads/${threadId}/related`, { cookie, params: { threadId: String(threadId) } }),
      await call(related.action, `/threads/${threadId}/related`, {
        cookie,
        params: { threadId: String(threadId) },
        form: { intent: "link", article: seedArticles[0]!.slug },
      }),
      await call(evidence.loader, `/posts/${postId}/evidence`, { cookie, params: { postId: String(postId) } }),
      await call(evidence.action, `/posts/${postId}/evidence`, {
        cookie,
        params: { postId: String(postId) },
        form: { intent: "save", body: "See https://doi.org/10.1/x", article: "" },
      }),
    ];
    expect(attempts.map((r) => r.status)).toEqual(attempts.map(() => 403));
    expect((await articleRow(slug)).status).toBe("draft");
    expect(await db.select().from(threadArticles).where(eq(threadArticles.threadId, threadId))).toEqual([]);
    expect(await db.select().from(evidenceNotes).where(eq(evidenceNotes.postId, postId))).toHaveLength(0);
    // The model is the gate too, not just the route.
    await expect(createArticle({ id: alice.id, role: "member" }, { ...articleForm(), references: [], pins: [] } as never)).rejects.toBeInstanceOf(Response);
  });

  it("sends a visitor to log in, and hides drafts from members and visitors", async () => {
    const mod = await member("draftmod", "moderator");
    const alice = await member("draftreader");
    const slug = await create(mod.cookie, { status: "draft" });
    const visitor = await call(newArticle.loader, "/articles/new");
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toMatch(/^\/login/);
    expect((await call(articlePage.loader, `/articles/${slug}`, { params: { slug } })).status).toBe(404);
    expect((await call(articlePage.loader, `/articles/${slug}`, { cookie: alice.cookie, params: { slug } })).status).toBe(404);
    const staffView = await call(articlePage.loader, `/articles/${slug}`, { cookie: mod.cookie, params: { slug } });
    expect(staffView.status).toBe(200);
    expect((await staffView.json()).article.status).toBe("draft");
    const index = await (await call(articleIndex.loader, "/articles")).json();
    expect(index.articles.map((a: { slug: string }) => a.slug)).not.toContain(slug);
  });
});

describe("writing an article", () => {
  it("previews on the server without saving", async () => {
    const mod = await member("previewmod", "moderator");
    const res = await call(newArticle.action, "/articles/new", { cookie: mod.cookie, form: articleForm({ intent: "preview", title: "Preview only title" }) });
    expect(res.status).toBe(200);
    const data = await res.json();
    expect(data.preview.bodyHtml).toContain('<a class="cite" href="#ref-2" id="cite-2-1">[2]</a>');
    expect(data.preview.references).toHaveLength(2);
    expect(data.values.title).toBe("Preview only title");
    expect(await db.select().from(articles).where(eq(articles.title, "Preview only title"))).toHaveLength(0);
  });

  it("saves the article with citation links, references, pins and a log entry", async () => {
    const mod = await member("writermod", "moderator");
    const slug = await create(mod.cookie, { title: "Magnesium and night cramps", "pin-night-leg-cramps": "on", "order-night-leg-cramps": "1" });
    expect(slug).toBe("magnesium-and-night-cramps");
    const row = await articleRow(slug);
    expect(row.bodyHtml).toContain('<a class="cite" href="#ref-1" id="cite-1-1">[1]</a>');
    expect(row.bodyHtml).toContain('<a class="cite" href="#ref-2" id="cite-2-1">[2]</a>');
    // [3] has no reference, so it stays text.
    expect(row.bodyHtml).toContain("Not a citation: [3].");
    // "## Why stretch" sits under the article's h1 as an h2.
    expect(row.bodyHtml).toContain("<h2>Why stretch</h2>");
    expect(row.references[0]).toEqual({
      authors: "Katzberg HD, Khan AH, So YT.",
      title: "Assessment: symptomatic treatment for muscle cramps",
      source: "Neurology",
      year: 2010,
      doi: "10.1212/WNL.0b013e3181d0ccca",
      pmid: "20177124",
    });
    expect((await pinnedOn("night-leg-cramps"))[0]).toMatchObject({ slug, title: "Magnesium and night cramps", lastReviewedOn: "2026-01-10" });
    expect(await logActions("article", row.id)).toEqual(["article.create", "article.publish", "article.pin"]);
  });

  it("explains each bad field, keeps what was typed and saves nothing", async () => {
    const mod = await member("badformmod", "moderator");
    const long = "x".repeat(301);
    const badRefs = "authors: Someone\ntitle: Something\nsource: Journal\nyear: 20x1";
    const res = await call(newArticle.action, "/articles/new", {
      cookie: mod.cookie,
      form: articleForm({
        title: "Too long a summary here",
        summary: long,
        references: badRefs,
        nextReviewDueOn: "2025-01-01",
        "pin-fibromyalgia": "on",
        "order-fibromyalgia": "0",
      }),
    });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.errors.summary).toMatch(/at most 300/);
    expect(data.errors.references).toMatch(/Reference 1: the year/);
    expect(data.errors.nextReviewDueOn).toMatch(/after the last review/);
    expect(data.errors["order-fibromyalgia"]).toMatch(/whole number/);
    expect(data.values.summary).toBe(long);
    expect(data.values.references).toBe(badRefs);
    expect(await db.select().from(articles).where(eq(articles.title, "Too long a summary here"))).toHaveLength(0);
  });

  it("refuses a taken address and the reserved one", async () => {
    const mod = await member("slugmod", "moderator");
    const slug = await create(mod.cookie);
    const taken = await call(newArticle.action, "/articles/new", { cookie: mod.cookie, form: articleForm({ slug }) });
    expect(taken.status).toBe(400);
    expect((await taken.json()).errors.slug).toMatch(/already uses/);
    const reserved = await call(newArticle.action, "/articles/new", { cookie: mod.cookie, form: articleForm({ slug: "new" }) });
    expect(reserved.status).toBe(400);
  });

  it.each([
    ["no identifier", "authors: A\ntitle: T\nsource: S\nyear: 2020", /needs a DOI, a PubMed ID/],
    ["an http link", "authors: A\ntitle: T\nsource: S\nyear: 2020\nurl: http://example.org", /https:\/\//],
    ["a javascript link", "authors: A\ntitle: T\nsource: S\nyear: 2020\nurl: javascript:alert(1)", /https:\/\//],
    ["a bad DOI", "authors: A\ntitle: T\nsource: S\nyear: 2020\ndoi: nope", /DOI looks like/],
    ["a stray line", "hello there", /start each line/],
  ])("rejects a reference with %s", (_name, text, message) => {
    const result = parseReferences(text);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe("editing, publishing and pinning", () => {
  it("keeps the earlier version as a revision and shows it in the history", async () => {
    const mod = await member("editmod", "moderator");
    const slug = await create(mod.cookie, { title: "First title for edit" });
    const form = await (await call(editArticle.loader, `/articles/${slug}/edit`, { cookie: mod.cookie, params: { slug } })).json();
    expect(form.values.references).toContain("doi: 10.1212/WNL.0b013e3181d0ccca");
    const res = await call(editArticle.action, `/articles/${slug}/edit`, {
      cookie: mod.cookie,
      params: { slug },
      form: { ...form.values, intent: "save", title: "Second title for edit" },
    });
    expect(res.status).toBe(302);
    const row = await articleRow(slug);
    expect(row.title).toBe("Second title for edit");
    const revisions = await db.select().from(articleRevisions).where(eq(articleRevisions.articleId, row.id));
    expect(revisions).toHaveLength(1);
    expect((revisions[0]!.snapshot as { title: string }).title).toBe("First title for edit");
    const history = await (await call(articleHistory.loader, `/articles/${slug}/history`, { cookie: mod.cookie, params: { slug } })).json();
    expect(history.revisions.map((r: { title: string; editor: string }) => [r.title, r.editor])).toEqual([["First title for edit", "editmod"]]);
    expect(await logActions("article", row.id)).toContain("article.edit");
  });

  it("unpublishes, archives and publishes from the article page, each logged", async () => {
    const mod = await member("statusmod", "moderator");
    const slug = await create(mod.cookie);
    const params = { slug };
    for (const intent of ["unpublish", "archive", "publish"]) {
      const res = await call(articlePage.action, `/articles/${slug}`, { cookie: mod.cookie, params, form: { intent } });
      expect(res.status).toBe(302);
    }
    const row = await articleRow(slug);
    expect(row.status).toBe("published");
    expect(await logActions("article", row.id)).toEqual(["article.create", "article.publish", "article.unpublish", "article.archive", "article.publish"]);
    const bad = await call(articlePage.action, `/articles/${slug}`, { cookie: mod.cookie, params, form: { intent: "delete" } });
    expect(bad.status).toBe(400);
  });

  it("reorders pinned articles on a board and unpins them", async () => {
    const mod = await member("pinmod", "moderator");
    const board = "fibromyalgia";
    const a = await create(mod.cookie, { title: "Pinned article alpha", [`pin-${board}`]: "on" });
    const b = await create(mod.cookie, { title: "Pinned article beta", [`pin-${board}`]: "on", [`order-${board}`]: "1" });
    const order = async () => (await pinnedOn(board)).map((x) => x.slug);
    expect((await order()).slice(0, 1)).toEqual([b]);
    expect(await order()).toContain(a);
    const before = await order();
    const res = await call(articleIndex.action, "/articles", { cookie: mod.cookie, form: { intent: "down", article: b, board } });
    expect(res.status).toBe(302);
    expect((await order())[1]).toBe(b);
    expect(await order()).toHaveLength(before.length);
    expect(await logActions("article", (await articleRow(b)).id)).toContain("article.reorder");

    // Saving the editor without the board's box ticked unpins it.
    const form = await (await call(editArticle.loader, `/articles/${b}/edit`, { cookie: mod.cookie, params: { slug: b } })).json();
    const { [`pin-${board}`]: _pin, ...rest } = form.values;
    await call(editArticle.action, `/articles/${b}/edit`, { cookie: mod.cookie, params: { slug: b }, form: { ...rest, intent: "save" } });
    expect(await order()).not.toContain(b);
    expect(await logActions("article", (await articleRow(b)).id)).toContain("article.unpin");
    // A pure pin change is not a new version.
    expect(
      await db
        .select()
        .from(articleRevisions)
        .where(eq(articleRevisions.articleId, (await articleRow(b)).id)),
    ).toHaveLength(0);
  });

  it("filters /articles by board and 404s an unknown board", async () => {
    const data = await (await call(articleIndex.loader, "/articles?board=neuropathy")).json();
    expect(data.board.slug).toBe("neuropathy");
    expect(data.articles.map((a: { slug: string }) => a.slug)).toEqual(["nerve-related-cramps"]);
    expect((await call(articleIndex.loader, "/articles?board=nope")).status).toBe(404);
  });
});

describe("rendering", () => {
  it("shows the article with references, the review line and the boards it belongs to", async () => {
    const slug = "night-and-leg-cramps";
    const data = await (await call(articlePage.loader, `/articles/${slug}`, { params: { slug } })).json();
    expect(data.article.boards).toEqual([{ slug: "night-leg-cramps", name: "Night & leg cramps" }]);
    expect(data.article.reviewOverdue).toBe(false);
    expect(data.article.bodyHtml).toContain('href="#ref-1"');
    expect(data.canEdit).toBe(false);
  });

  it("tells the reference list where each reference is cited, and the history page keeps no citation ids", async () => {
    const mod = await member("backlinkmod", "moderator");
    const slug = await create(mod.cookie, { title: "Cited twice", body: "First [1], then [2], then [1] again." });
    const data = await (await call(articlePage.loader, `/articles/${slug}`, { params: { slug } })).json();
    expect(data.article.citations).toEqual([["cite-1-1", "cite-1-2"], ["cite-2-1"]]);
    for (const [k, ids] of [
      [1, ["cite-1-1", "cite-1-2"]],
      [2, ["cite-2-1"]],
    ] as const) {
      for (const id of ids) expect(data.article.bodyHtml).toContain(`<a class="cite" href="#ref-${k}" id="${id}">`);
    }
    // Several versions share the history page: the same ids would clash there.
    const history = await (await call(articleHistory.loader, `/articles/${slug}/history`, { cookie: mod.cookie, params: { slug } })).json();
    expect(history.article.bodyHtml).toContain('<a class="cite" href="#ref-1">[1]</a>');
    expect(history.article.bodyHtml).not.toContain("id=");
  });

  it("reads no citations from a body stored before citations had ids", () => {
    expect(citationIds('<p>Old <sup><a class="cite" href="#ref-1">[1]</a></sup></p>', 2)).toEqual([[], []]);
    // and nothing a writer typed (escaped) counts
    expect(citationIds('<p>&lt;a class="cite" href="#ref-1" id="cite-1-1"&gt;</p>', 1)).toEqual([[]]);
  });

  it("renders a numbered reference list whose items are the citation targets, with DOI, PubMed and https links", () => {
    const html = renderToStaticMarkup(
      createElement(ReferenceList, {
        references: [
          { authors: "Katzberg HD.", title: "Cramps", source: "Neurology", year: 2010, doi: "10.1212/WNL.0b013e3181d0ccca", pmid: "20177124" },
          { authors: "NICE", title: "MS", source: "NICE", year: 2022, url: "https://www.nice.org.uk/guidance/ng220" },
          { authors: "Bad", title: "Link", source: "X", year: 2020, url: "javascript:alert(1)" },
        ],
      }),
    );
    expect(html).toContain("<ol>");
    expect(html).toContain('<li id="ref-1">');
    expect(html).toContain('<li id="ref-2">');
    expect(html).toContain('href="https://doi.org/10.1212/WNL.0b013e3181d0ccca"');
    expect(html).toContain('href="https://pubmed.ncbi.nlm.nih.gov/20177124/"');
    expect(html).toContain('href="https://www.nice.org.uk/guidance/ng220"');
    expect(html).not.toContain("javascript:");
  });

  it("links each reference back to where it is cited, and only where the list has anchors", () => {
    const references = [
      { authors: "Katzberg HD.", title: "Cramps", source: "Neurology", year: 2010 },
      { authors: "NICE", title: "MS", source: "NICE", year: 2022 },
      { authors: "Uncited", title: "Other", source: "X", year: 2020 },
    ];
    const citations = [["cite-1-1"], ["cite-2-1", "cite-2-2"], []];
    const html = renderToStaticMarkup(createElement(ReferenceList, { references, citations }));
    expect(html).toContain('<a href="#cite-1-1" class="target-link" aria-label="Back to citation of reference 1">');
    expect(html).toContain('<a href="#cite-2-1" class="target-link" aria-label="Back to citation 1 of reference 2">1</a>');
    expect(html).toContain('<a href="#cite-2-2" class="target-link" aria-label="Back to citation 2 of reference 2">2</a>');
    const third = html.slice(html.indexOf('<li id="ref-3">'));
    expect(third).not.toContain("Back to citation");
    const history = renderToStaticMarkup(createElement(ReferenceList, { references, citations, anchors: false }));
    expect(history).not.toContain("#cite-");
  });

  it("shows 'Last reviewed … by …' and the Review overdue badge only once the due date has passed", () => {
    const today = todayUtc();
    const yesterday = todayUtc(new Date(Date.now() - 86_400_000));
    expect(isReviewOverdue(today)).toBe(false);
    expect(isReviewOverdue(yesterday)).toBe(true);
    const due = renderToStaticMarkup(
      createElement(ReviewLine, { lastReviewedOn: "2025-11-01", nextReviewDueOn: yesterday, reviewer: "Dr B. Okafor, GP", overdue: true }),
    );
    expect(due).toContain("Review overdue");
    expect(due.replace(/<[^>]+>/g, "")).toContain("Last reviewed 1 November 2025 by Dr B. Okafor, GP.");
    const fine = renderToStaticMarkup(
      createElement(ReviewLine, { lastReviewedOn: "2025-11-01", nextReviewDueOn: today, reviewer: "Dr B. Okafor, GP", overdue: false }),
    );
    expect(fine).not.toContain("Review overdue");
  });

  it("marks an article overdue on its page and in the board list once its due date has passed", async () => {
    const mod = await member("overduemod", "moderator");
    const slug = await create(mod.cookie, {
      title: "Overdue for review",
      lastReviewedOn: "2020-01-01",
      nextReviewDueOn: "2021-01-01",
      "pin-medications": "on",
    });
    const data = await (await call(articlePage.loader, `/articles/${slug}`, { params: { slug } })).json();
    expect(data.article.reviewOverdue).toBe(true);
    expect((await pinnedOn("medications")).find((a) => a.slug === slug)?.reviewOverdue).toBe(true);
  });
});

describe("related reading", () => {
  it("links an article to a thread, lists the thread on the article, and unlinks it, all logged", async () => {
    const mod = await member("relatedmod", "moderator");
    const alice = await member("relatedmember");
    const { threadId } = await startThread(alice.cookie);
    const slug = "night-and-leg-cramps";
    const params = { threadId: String(threadId) };
    const res = await call(related.action, `/threads/${threadId}/related`, { cookie: mod.cookie, params, form: { intent: "link", article: slug } });
    expect(res.status).toBe(302);
    expect(await listRelatedArticles(threadId)).toEqual([{ slug, title: (await articleRow(slug)).title }]);
    const page = await (await call(articlePage.loader, `/articles/${slug}`, { params: { slug } })).json();
    expect(page.article.threads.map((t: { id: number }) => t.id)).toContain(threadId);
    const editor = await (await call(related.loader, `/threads/${threadId}/related`, { cookie: mod.cookie, params })).json();
    expect(editor.available.map((a: { slug: string }) => a.slug)).not.toContain(slug);

    const draft = await create(mod.cookie, { status: "draft" });
    const refused = await call(related.action, `/threads/${threadId}/related`, { cookie: mod.cookie, params, form: { intent: "link", article: draft } });
    expect(refused.status).toBe(400);

    await call(related.action, `/threads/${threadId}/related`, { cookie: mod.cookie, params, form: { intent: "unlink", article: slug } });
    expect(await listRelatedArticles(threadId)).toEqual([]);
    expect(await logActions("thread", threadId)).toEqual(["thread.link_article", "thread.unlink_article"]);
  });
});

describe("evidence notes", () => {
  it("adds, edits and removes a note under a post without touching the post, each logged", async () => {
    const mod = await member("evidencemod", "moderator");
    const alice = await member("evidencemember");
    const { threadId, postId } = await startThread(alice.cookie);
    const params = { postId: String(postId) };
    const postRow = async () => (await db.select().from(posts).where(eq(posts.id, postId)))[0];
    const postBefore = await postRow();

    const add = await call(evidence.action, `/posts/${postId}/evidence`, {
      cookie: mod.cookie,
      params,
      form: { intent: "save", body: "Quinine is **no longer advised** for routine cramps.", article: "night-and-leg-cramps" },
    });
    expect(add.status).toBe(302);
    expect(add.headers.get("Location")).toBe(`/threads/${threadId}?page=1#post-${postId}`);
    const notes = await getEvidenceNotes([postId]);
    expect(notes[postId]).toMatchObject({ moderator: "evidencemod", updatedAt: null });
    expect(notes[postId]!.bodyHtml).toContain("<strong>no longer advised</strong>");
    expect(notes[postId]!.bodyHtml).toContain('href="http://localhost/articles/night-and-leg-cramps"');

    const edit = await call(evidence.action, `/posts/${postId}/evidence`, {
      cookie: mod.cookie,
      params,
      form: { intent: "save", body: "Updated: see https://doi.org/10.1212/WNL.0b013e3181d0ccca", article: "" },
    });
    expect(edit.status).toBe(302);
    const edited = (await getEvidenceNotes([postId]))[postId]!;
    expect(edited.bodyHtml).toContain('href="https://doi.org/10.1212/WNL.0b013e3181d0ccca"');
    expect(edited.updatedAt).not.toBeNull();
    expect(await db.select().from(evidenceNotes).where(eq(evidenceNotes.postId, postId))).toHaveLength(1);

    const remove = await call(evidence.action, `/posts/${postId}/evidence`, { cookie: mod.cookie, params, form: { intent: "remove" } });
    expect(remove.status).toBe(302);
    expect(await getEvidenceNotes([postId])).toEqual({});

    expect(await postRow()).toEqual(postBefore);
    const log = await db.select().from(moderationLog).where(eq(moderationLog.targetType, "evidence_note"));
    expect(log.map((l) => l.action)).toEqual(["evidence_note.add", "evidence_note.edit", "evidence_note.remove"]);
    expect(log.every((l) => l.subjectUserId === alice.id && l.actorId === mod.id)).toBe(true);
  });

  it("asks for a link to an article or a reference, keeping the typed note", async () => {
    const mod = await member("nolinkmod", "moderator");
    const alice = await member("nolinkmember");
    const { postId } = await startThread(alice.cookie);
    const res = await call(evidence.action, `/posts/${postId}/evidence`, {
      cookie: mod.cookie,
      params: { postId: String(postId) },
      form: { intent: "save", body: "This is not quite right.", article: "" },
    });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.errors.body).toMatch(/Link an article/);
    expect(data.values.body).toBe("This is not quite right.");
    expect(await getEvidenceNotes([postId])).toEqual({});
  });

  it("previews the note without saving and 404s for a missing post", async () => {
    const mod = await member("previewnotemod", "moderator");
    const alice = await member("previewnotemember");
    const { postId } = await startThread(alice.cookie);
    const res = await call(evidence.action, `/posts/${postId}/evidence`, {
      cookie: mod.cookie,
      params: { postId: String(postId) },
      form: { intent: "preview", body: "See *this*", article: "night-and-leg-cramps" },
    });
    expect(res.status).toBe(200);
    expect((await res.json()).preview).toContain("<em>this</em>");
    expect(await getEvidenceNotes([postId])).toEqual({});
    expect((await call(evidence.loader, "/posts/999999/evidence", { cookie: mod.cookie, params: { postId: "999999" } })).status).toBe(404);
  });
});
