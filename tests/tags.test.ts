// Tags for symptoms and treatments: the moderators' list, up to five per thread, a board's and
// search's filter, a page and a feed per tag — none of which shows a visitor a members-only thread.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { boards, moderationLog, threadTags } from "../db/schema.ts";
import { setBoardAccess } from "~/models/boards.server.ts";
import { createThread as postThread } from "~/models/posts.server.ts";
import { searchForum } from "~/models/search.server.ts";
import { addTag, listTags, removeTag, renameTag, retagThread, tagsOfThreads } from "~/models/tags.server.ts";
import * as board from "~/routes/boards.$slug._index.tsx";
import * as modTags from "~/routes/mod.tags.tsx";
import * as tagFeed from "~/routes/tags.$slug.feed.tsx";
import * as tagPage from "~/routes/tags.$slug._index.tsx";
import * as threadTagsRoute from "~/routes/threads.$threadId_.tags.tsx";
import { call, member, statusOf } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const HIDDEN = /zqtag/i;
let admin: M, moderator: M, author: M, other: M;
let tagged: number, untagged: number, kept: number;

async function thread(boardSlug: string, title: string, body: string, tags: string[], readers?: string) {
  const result = await postThread(author, boardSlug, { title, body, tags, readers });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.threadId;
}

const slugsOf = async (threadId: number) => ((await tagsOfThreads([threadId]))[threadId] ?? []).map((t) => t.slug);

beforeAll(async () => {
  [admin, moderator, author, other] = [await member("tgadmin", "admin"), await member("tgmod", "moderator"), await member("tgauthor"), await member("tgother")];
  await transaction((tx) => tx.insert(boards).values({ slug: "tg-choice", name: "Tag choice board", description: "For these tests.", position: 98 }));
  await setBoardAccess(as(admin), "tg-choice", "author-choice");
  tagged = await thread("tg-choice", "Baclofen and clonus at night", "Quillwort helps my clonus.", ["baclofen", "clonus"], "everyone");
  untagged = await thread("tg-choice", "Nothing tagged here", "Quillwort in a thread with no tags.", [], "everyone");
  kept = await thread("tg-choice", "Zqtag kept baclofen thread", "Zqtag quillwort for members.", ["baclofen"], "members");
});

describe("a thread's tags", () => {
  it("start from the seeded list and are kept with a new thread", async () => {
    expect((await listTags()).map((t) => t.name)).toEqual(expect.arrayContaining(["Baclofen", "Clonus", "Magnesium", "Night cramps", "Stretching"]));
    expect(await slugsOf(tagged)).toEqual(["baclofen", "clonus"]);
  });

  it("are at most five, and only ones on the list", async () => {
    const six = ["baclofen", "clonus", "magnesium", "stretching", "sleep", "heat"];
    expect(await postThread(author, "fibromyalgia", { title: "Six tags please", body: "Too many.", tags: six })).toEqual({
      ok: false,
      errors: { tags: "Choose at most 5 tags." },
    });
    expect(await postThread(author, "fibromyalgia", { title: "A made-up tag", body: "Not on the list.", tags: ["zzz-none"] })).toEqual({
      ok: false,
      errors: { tags: "One of those tags no longer exists. Choose again." },
    });
  });

  it("are changed by the author or a moderator, and a moderator's change is logged", async () => {
    expect(await statusOf(retagThread(as(other), untagged, ["sleep"]))).toBe(403);
    expect(await retagThread(as(author), untagged, ["sleep"])).toEqual({ ok: true });
    expect(await slugsOf(untagged)).toEqual(["sleep"]);
    expect(await retagThread(as(moderator), untagged, ["sleep", "heat"])).toEqual({ ok: true });
    expect(await slugsOf(untagged)).toEqual(["heat", "sleep"]);
    const logged = await db
      .select({ actorId: moderationLog.actorId })
      .from(moderationLog)
      .where(and(eq(moderationLog.action, "thread.tags"), eq(moderationLog.targetId, untagged)));
    expect(logged).toEqual([{ actorId: moderator.id }]);
    expect((await call(threadTagsRoute.loader, `/threads/${untagged}/tags`, { cookie: other.cookie, params: { threadId: String(untagged) } })).status).toBe(
      403,
    );
    const saved = await call(threadTagsRoute.action, `/threads/${untagged}/tags`, {
      cookie: author.cookie,
      params: { threadId: String(untagged) },
      form: { "tag-magnesium": "on" },
    });
    expect(saved.headers.get("Location")).toBe(`/threads/${untagged}`);
    expect(await slugsOf(untagged)).toEqual(["magnesium"]);
    await retagThread(as(author), untagged, []);
  });
});

describe("finding threads by tag", () => {
  it("filters a board, leaving a visitor without members-only threads", async () => {
    const ids = async (cookie?: string) =>
      (await (await call(board.loader, "/boards/tg-choice?tag=baclofen", { cookie, params: { slug: "tg-choice" } })).json()).threads.map(
        (t: { id: number }) => t.id,
      );
    expect(await ids()).toEqual([tagged]);
    expect((await ids(other.cookie)).sort()).toEqual([kept, tagged].sort());
    expect((await call(board.loader, "/boards/tg-choice?tag=nope", { params: { slug: "tg-choice" } })).status).toBe(404);
  });

  it("has a page across boards and a feed, both without members-only threads for visitors", async () => {
    const page = await (await call(tagPage.loader, "/tags/baclofen", { params: { slug: "baclofen" } })).json();
    expect(page.threads.map((t: { id: number }) => t.id)).toContain(tagged);
    expect(JSON.stringify(page)).not.toMatch(HIDDEN);
    const asMember = await (await call(tagPage.loader, "/tags/baclofen", { cookie: other.cookie, params: { slug: "baclofen" } })).json();
    expect(asMember.threads.map((t: { id: number }) => t.id)).toContain(kept);
    const atom = await (await call(tagFeed.loader, "/tags/baclofen/feed", { params: { slug: "baclofen" } })).text();
    expect(atom).toContain("Baclofen and clonus at night");
    expect(atom).not.toContain("Nothing tagged here");
    expect(atom).not.toMatch(HIDDEN);
  });

  it("narrows a search", async () => {
    const found = async (tagSlug: string | null) => {
      const outcome = await searchForum({ q: "quillwort", tagSlug });
      return outcome.status === "ok" ? outcome.threads.map((t) => t.threadId).sort() : [];
    };
    expect(await found(null)).toEqual([tagged, untagged].sort());
    expect(await found("clonus")).toEqual([tagged]);
    expect(await found("magnesium")).toEqual([]);
  });
});

describe("the moderators' list", () => {
  it("is theirs to add to, rename and remove from, each logged", async () => {
    expect((await call(modTags.loader, "/mod/tags", { cookie: other.cookie })).status).toBe(403);
    expect(await statusOf(addTag(as(other), "Cold water"))).toBe(403);
    expect(await addTag(as(moderator), "  Cold   water ")).toEqual({ ok: true, slug: "cold-water" });
    expect(await addTag(as(moderator), "cold water")).toEqual({ ok: false, error: "There is already a tag “cold water”." });
    expect(await renameTag(as(moderator), "cold-water", "Baclofen")).toEqual({ ok: false, error: "There is already a tag “Baclofen”." });
    expect(await renameTag(as(moderator), "cold-water", "Cold showers")).toEqual({ ok: true, slug: "cold-showers" });
    await retagThread(as(author), untagged, ["cold-showers"]);
    await removeTag(as(moderator), "cold-showers");
    expect(await slugsOf(untagged)).toEqual([]);
    expect(await db.select().from(threadTags).where(eq(threadTags.threadId, untagged))).toEqual([]);
    const reasons = (await db.select({ action: moderationLog.action, reason: moderationLog.reason }).from(moderationLog)).filter((r) =>
      r.action.startsWith("tag."),
    );
    expect(reasons).toEqual(
      expect.arrayContaining([
        { action: "tag.add", reason: "Cold water" },
        { action: "tag.rename", reason: "Cold water → Cold showers" },
        { action: "tag.remove", reason: "Cold showers" },
      ]),
    );
  });
});
