import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { notifications } from "../db/schema.ts";
import { replyDraftKey, saveDraft } from "~/models/drafts.server.ts";
import { removePost } from "~/models/moderation-posts.server.ts";
import { deletePost } from "~/models/posts.server.ts";
import { QUOTE_MAX } from "~/models/threads.server.ts";
import * as thread from "~/routes/threads.$threadId.tsx";
import { call, createReply, createThread, member } from "./helpers.ts";

const SLUG = "night-leg-cramps";

type Page = { quote: string | null; replyText: string | null; replyTo: { postId: number } | null; draft: { body: string } | null };

async function quoting(cookie: string, threadId: number, postId: number): Promise<Page> {
  const res = await call(thread.loader, `/threads/${threadId}?page=1&replyTo=${postId}&quote=1`, { cookie, params: { threadId: String(threadId) } });
  expect(res.status).toBe(200);
  return res.json();
}

async function setUp() {
  const alice = await member();
  const bob = await member();
  const { threadId, postId } = await createThread(alice, SLUG, {
    title: "Cramps at 3 a.m.",
    body: "Stretching my calves before bed helps.\n\nMagnesium did nothing for me.",
  });
  return { alice, bob, threadId, postId };
}

describe("quoting a post", () => {
  it("prefills the reply box with an attribution and the post as a blockquote, answering that post", async () => {
    const { alice, bob, threadId, postId } = await setUp();
    const page = await quoting(bob.cookie, threadId, postId);
    expect(page.replyTo).toMatchObject({ postId });
    expect(page.replyText).toBe(`**${alice.username}** wrote in post 1:\n\n> Stretching my calves before bed helps.\n>\n> Magnesium did nothing for me.\n\n`);

    const res = await call(thread.action, `/threads/${threadId}?page=1&replyTo=${postId}&quote=1`, {
      cookie: bob.cookie,
      params: { threadId: String(threadId) },
      form: { intent: "post", body: `${page.replyText}Same here.`, replyTo: String(postId) },
    });
    expect(res.status).toBe(302);
    const after = await (await call(thread.loader, `/threads/${threadId}`, { cookie: bob.cookie, params: { threadId: String(threadId) } })).json();
    expect(after.posts[1].bodyHtml).toContain("<blockquote>");
    expect(after.posts[1].bodyHtml).toContain("Magnesium did nothing for me.");
    const kinds = (await db.select().from(notifications).where(eq(notifications.userId, alice.id))).map((n) => n.kind);
    expect(kinds).toEqual(["quote"]);
  });

  it("offers no quote of a deleted or a removed post, or of a post in another thread", async () => {
    const { alice, bob, threadId } = await setUp();
    const mod = await member(undefined, "moderator");
    const deleted = await createReply(alice, threadId, "I take it back.");
    await deletePost(alice, deleted.postId);
    const removed = await createReply(alice, threadId, "Buy my miracle cream.");
    await removePost(mod, removed.postId, "spam");
    const other = await createThread(alice, SLUG, { title: "Another night", body: "Words from elsewhere." });
    for (const postId of [deleted.postId, removed.postId, other.postId]) {
      const page = await quoting(bob.cookie, threadId, postId);
      expect(page.quote).toBeNull();
      expect(page.replyText).toBeNull();
    }
  });

  it("adds the quote after a saved draft instead of replacing it, once", async () => {
    const { bob, threadId, postId } = await setUp();
    await saveDraft(bob, replyDraftKey(threadId), { body: "I was halfway through saying this.  " });
    const page = await quoting(bob.cookie, threadId, postId);
    expect(page.replyText).toBe(`I was halfway through saying this.\n\n${page.quote}`);
    // The draft itself is untouched until the member posts or the autosave runs.
    expect(page.draft?.body).toBe("I was halfway through saying this.  ");

    // The autosave kept the quote; opening the same link again doesn't add it twice.
    await saveDraft(bob, replyDraftKey(threadId), { body: `${page.replyText}My answer.` });
    expect((await quoting(bob.cookie, threadId, postId)).replyText).toBe(`${page.replyText}My answer.`);
  });

  it("quotes only the start of a long post, cut at a word", async () => {
    const alice = await member();
    const bob = await member();
    const body = `${"cramp ".repeat(150)}THE-END`;
    const { threadId, postId } = await createThread(alice, SLUG, { title: "A long night", body });
    const { quote } = await quoting(bob.cookie, threadId, postId);
    const quoted = quote!.split("\n")[2]!;
    expect(quoted).toMatch(/^> (cramp )+cramp…$/);
    expect(quoted.length).toBeLessThanOrEqual(QUOTE_MAX + 3);
    expect(quote).not.toContain("THE-END");
  });

  it("offers nothing to a visitor", async () => {
    const { threadId, postId } = await setUp();
    const res = await call(thread.loader, `/threads/${threadId}?page=1&replyTo=${postId}&quote=1`, { params: { threadId: String(threadId) } });
    expect((await res.json()).replyText).toBeNull();
  });
});
