// Blocking a member (decision 032): who may block whom, what each side then sees, and every way a
// block stops contact (replies, quotes, reactions, notifications), both ways, except for staff.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { blocks, mutes, notifications, users } from "../db/schema.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { BLOCKED_POST, BLOCKED_THREAD, blockMember, isBlockedEitherWay } from "~/models/blocks.server.ts";
import { muteMember } from "~/models/mutes.server.ts";
import { editPost } from "~/models/posts.server.ts";
import { addReaction, removeReaction } from "~/models/reactions.server.ts";
import { getQuotablePost } from "~/models/threads.server.ts";
import * as settingsBlocked from "~/routes/settings.blocked.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import * as profile from "~/routes/u.$username.tsx";
import { remixHandler } from "./document.ts";
import { call, createReply, createThread, member, statusOf } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const SLUG = "night-leg-cramps";

const handle = remixHandler({
  "routes/threads.$threadId": { path: "threads/:threadId", module: thread },
  "routes/u.$username": { path: "u/:username", module: profile },
  "routes/settings.blocked": { path: "settings/blocked", module: settingsBlocked },
});
/** A whole page, with apostrophes as a reader sees them. */
async function send(...args: Parameters<typeof handle>) {
  const page = await handle(...args);
  return { response: page.response, text: page.text.replaceAll("&#x27;", "'") };
}

const onProfile = (who: M | null, username: string, intent: string) =>
  call(profile.action, `/u/${username}`, { cookie: who?.cookie, params: { username }, form: { intent } });
const threadData = async (who: M | null, threadId: number, query = "") =>
  (await call(thread.loader, `/threads/${threadId}${query}`, { cookie: who?.cookie, params: { threadId: String(threadId) } })).json();
const postReply = (who: M, threadId: number, form: Record<string, string>, query = "") =>
  call(thread.action, `/threads/${threadId}${query}`, { cookie: who.cookie, params: { threadId: String(threadId) }, form: { intent: "post", ...form } });
const notified = async (who: M) => (await db.select().from(notifications).where(eq(notifications.userId, who.id))).map((n) => n.kind);

// blocker blocked pest; third is neither; mod and admin are staff.
let blocker: M, pest: M, third: M, mod: M, admin: M;
let blockerThread: { threadId: number; postId: number };
let pestThread: { threadId: number; postId: number };
let thirdThread: { threadId: number; postId: number };

beforeAll(async () => {
  [blocker, pest, third, mod, admin] = [
    await member("blkblocker"),
    await member("blkpest"),
    await member("blkthird"),
    await member("blkmod", "moderator"),
    await member("blkadmin", "admin"),
  ];
  blockerThread = await createThread(blocker, SLUG, { title: "My calves at night", body: "Quiet words from the blocker." });
  pestThread = await createThread(pest, SLUG, { title: "Loud opinions", body: "Words from the pest, zqpest." });
  thirdThread = await createThread(third, SLUG, { title: "A shared thread", body: "Anyone welcome." });
  expect((await onProfile(blocker, pest.username, "block")).headers.get("Location")).toBe(`/u/${pest.username}#block`);
  await createReply(blocker, thirdThread.threadId, "The blocker's reply in a shared thread.");
  await createReply(pest, thirdThread.threadId, "The pest's reply in a shared thread.");
});

describe("who may block whom", () => {
  it("records the block once, privately: only the blocker's profile view shows it", async () => {
    await onProfile(blocker, pest.username, "block");
    expect(await db.select().from(blocks).where(eq(blocks.userId, blocker.id))).toMatchObject([{ blockedUserId: pest.id }]);
    expect(
      (await (await call(profile.loader, `/u/${pest.username}`, { cookie: blocker.cookie, params: { username: pest.username } })).json()).profile,
    ).toMatchObject({ blockedByViewer: true });
    const seenByPest = await (await call(profile.loader, `/u/${blocker.username}`, { cookie: pest.cookie, params: { username: blocker.username } })).json();
    expect(seenByPest.profile.blockedByViewer).toBe(false);
    expect(await isBlockedEitherWay(pest.id, blocker.id)).toBe(true);
  });

  it("explains the block on the profile, and unblocks", async () => {
    const [me, other] = [await member(), await member()];
    const page = await send(`/u/${other.username}`, { cookie: me.cookie });
    expect(page.text).toContain(`Block ${other.username}`);
    expect(page.text).toContain("They aren't told.");
    await onProfile(me, other.username, "block");
    expect((await send(`/u/${other.username}`, { cookie: me.cookie })).text).toContain(`You have blocked ${other.username}.`);
    await onProfile(me, other.username, "unblock");
    expect(await db.select().from(blocks).where(eq(blocks.userId, me.id))).toEqual([]);
  });

  it("refuses blocking oneself, a moderator or an admin, with the reason on the page", async () => {
    const me = await member();
    expect((await onProfile(me, me.username, "block")).status).toBe(400);
    for (const staff of [mod, admin]) {
      const refused = await onProfile(me, staff.username, "block");
      expect(refused.status).toBe(400);
      expect(await refused.text()).toContain("must be able to reach every member");
      const page = await send(`/u/${staff.username}`, { cookie: me.cookie });
      expect(page.text).not.toContain(`Block ${staff.username}`);
      expect(page.text).toContain("Moderators and admins can't be blocked");
    }
    expect(await db.select().from(blocks).where(eq(blocks.userId, me.id))).toEqual([]);
  });

  it("lets staff block a member, and a muted member be blocked too", async () => {
    const [me, loud] = [await member(), await member()];
    await muteMember(as(me), loud.username);
    await onProfile(me, loud.username, "block");
    expect(await db.select().from(mutes).where(eq(mutes.userId, me.id))).toHaveLength(1);
    expect(await db.select().from(blocks).where(eq(blocks.userId, me.id))).toHaveLength(1);
    await onProfile(mod, loud.username, "block");
    expect(await isBlockedEitherWay(mod.id, loud.id)).toBe(true);
  });

  it("sends visitors to log in, shows them no Block, and refuses unknown intents and names", async () => {
    const res = await onProfile(null, pest.username, "block");
    expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/u/${pest.username}`)}`);
    expect((await send(`/u/${pest.username}`)).text).not.toContain("Block ");
    expect((await onProfile(third, pest.username, "shun")).status).toBe(400);
    expect(await statusOf(blockMember(as(third), "nobody_here"))).toBe(404);
  });
});

describe("what each side sees on a thread", () => {
  it("collapses the blocked member's posts for the blocker only", async () => {
    const seen = await threadData(blocker, thirdThread.threadId);
    const pestPost = seen.posts.find((p: { authorId: number }) => p.authorId === pest.id).id;
    expect(seen.blockedPostIds).toEqual([pestPost]);
    expect((await send(`/threads/${thirdThread.threadId}`, { cookie: blocker.cookie })).text).toContain("Post by a member you blocked");
    for (const viewer of [pest, third, mod, null]) {
      expect((await threadData(viewer, thirdThread.threadId)).blockedPostIds).toEqual([]);
      expect((await send(`/threads/${thirdThread.threadId}`, { cookie: viewer?.cookie })).text).not.toContain("member you blocked");
    }
  });

  it("offers neither side Reply, Quote or reactions on the other's posts, and names no one else", async () => {
    const forPest = await threadData(pest, thirdThread.threadId);
    const blockerPost = forPest.posts.find((p: { authorId: number }) => p.authorId === blocker.id).id;
    expect(forPest.noContactPostIds).toEqual([blockerPost]);
    const forBlocker = await threadData(blocker, thirdThread.threadId);
    expect(forBlocker.noContactPostIds).toEqual(forBlocker.blockedPostIds);
    const html = (await send(`/threads/${thirdThread.threadId}`, { cookie: pest.cookie })).text;
    expect(html).not.toContain(`replyTo=${blockerPost}`);
    expect(html).toContain("Post reply"); // the thread itself is open to both
    expect((await threadData(third, thirdThread.threadId)).noContactPostIds).toEqual([]);
    expect((await threadData(mod, thirdThread.threadId)).noContactPostIds).toEqual([]);
  });

  it("replaces the reply form with one neutral line in the other's thread, both ways", async () => {
    for (const [who, t] of [
      [pest, blockerThread],
      [blocker, pestThread],
    ] as const) {
      expect((await threadData(who, t.threadId)).replyRefusal).toBe(BLOCKED_THREAD);
      const { text } = await send(`/threads/${t.threadId}`, { cookie: who.cookie });
      expect(text).toContain(BLOCKED_THREAD);
      expect(text).not.toContain("Post reply");
    }
    for (const who of [third, mod, admin, null]) expect((await threadData(who, blockerThread.threadId)).replyRefusal).toBeNull();
  });
});

describe("replies and quotes", () => {
  it("refuses a reply in the other's thread with a 403 that keeps the text, both ways", async () => {
    for (const [who, t] of [
      [pest, blockerThread],
      [blocker, pestThread],
    ] as const) {
      const res = await postReply(who, t.threadId, { body: "Words I typed with care." });
      expect(res.status).toBe(403);
      const data = await res.json();
      expect(data.values.body).toBe("Words I typed with care.");
      expect(data.errors.form).toBe(BLOCKED_THREAD);
      expect((await threadData(who, t.threadId)).posts).toHaveLength(1);
    }
  });

  it("refuses answering or quoting the other's post elsewhere with a 400 that keeps the text, and offers no quote", async () => {
    const forPest = await threadData(pest, thirdThread.threadId, "?page=1");
    const blockerPost = forPest.posts.find((p: { authorId: number }) => p.authorId === blocker.id).id;
    const query = `?page=1&replyTo=${blockerPost}&quote=1`;
    const quoting = await threadData(pest, thirdThread.threadId, query);
    expect([quoting.quote, quoting.replyTo]).toEqual([null, null]);
    expect(await getQuotablePost(as(pest), thirdThread.threadId, blockerPost)).toBeNull();
    const res = await postReply(pest, thirdThread.threadId, { body: "> quoted\n\nMy answer.", replyTo: String(blockerPost) }, query);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ values: { body: "> quoted\n\nMy answer." }, errors: { form: BLOCKED_POST } });
    // Without the answer link, the same words go to the thread.
    expect((await postReply(pest, thirdThread.threadId, { body: "My answer, to everyone." })).status).toBe(302);
    expect(await notified(blocker)).toEqual([]);
  });

  it("never stops staff: a member blocked before promotion, or a moderator's own block", async () => {
    const [member1, member2] = [await member(), await member()];
    const own = await createThread(member1, SLUG, { title: "Mine", body: "My thread." });
    // A block made before the moderator was promoted (nobody can block staff now).
    await transaction((tx) => tx.insert(blocks).values({ userId: member1.id, blockedUserId: mod.id }));
    expect(await getQuotablePost(as(mod), own.threadId, own.postId)).not.toBeNull();
    expect((await postReply(mod, own.threadId, { body: "A moderator's note.", replyTo: String(own.postId) })).status).toBe(302);
    expect(await notified(member1)).toContain("quote");
    // The moderator blocks member2: member2 can't reply in the moderator's thread; the moderator still reaches them.
    await onProfile(mod, member2.username, "block");
    const modThread = await createThread(mod, SLUG, { title: "From the moderators", body: "Please read." });
    expect((await postReply(member2, modThread.threadId, { body: "Hello." })).status).toBe(403);
    const theirs = await createThread(member2, SLUG, { title: "Theirs", body: "Their thread." });
    expect((await postReply(mod, theirs.threadId, { body: `@${member2.username} please see the guidelines.` })).status).toBe(302);
  });
});

describe("notifications", () => {
  it("drops mentions both ways, in new posts and in edits", async () => {
    const before = { blocker: (await notified(blocker)).length, pest: (await notified(pest)).length };
    await createReply(pest, thirdThread.threadId, `Hey @${blocker.username}`);
    const own = await createReply(blocker, thirdThread.threadId, `Thinking of @${pest.username} and @${third.username}`);
    await editPost(as(blocker), own.postId, { body: `Thinking of @${pest.username}, @${third.username} and again @${pest.username}` });
    expect((await notified(blocker)).length).toBe(before.blocker);
    expect((await notified(pest)).length).toBe(before.pest);
    expect(await notified(third)).toContain("mention");
  });

  it("drops replies in a thread both follow, both ways, and keeps everyone else's", async () => {
    const shared = await createThread(third, SLUG, { title: "Both follow this", body: "Open to all." });
    await createReply(blocker, shared.threadId, "I follow this now.");
    await createReply(pest, shared.threadId, "So do I.");
    const rows = (who: M) =>
      db
        .select()
        .from(notifications)
        .where(and(eq(notifications.userId, who.id), eq(notifications.threadId, shared.threadId)));
    expect(await rows(blocker)).toEqual([]);
    // Replies group per thread (decision 037): third's one row names the latest replier.
    expect(await rows(third)).toMatchObject([{ kind: "reply", actorId: pest.id }]);
    await createReply(blocker, shared.threadId, "Another reply.");
    expect(await rows(pest)).toEqual([]);
  });
});

describe("reactions", () => {
  it("refuses reactions both ways; taking one back is always allowed; staff react anyway", async () => {
    const [a, b] = [await member(), await member()];
    const aPost = await createThread(a, SLUG, { title: "Reactable", body: "React to me." });
    const bPost = await createThread(b, SLUG, { title: "Mine too", body: "And me." });
    await addReaction(as(b), aPost.postId, "support");
    await blockMember(as(a), b.username);
    expect(await statusOf(addReaction(as(b), aPost.postId, "helpful"))).toBe(403);
    expect(await statusOf(addReaction(as(a), bPost.postId, "helpful"))).toBe(403);
    expect(await statusOf(removeReaction(as(b), aPost.postId, "support"))).toBe("no error");
    await blockMember(as(mod), b.username);
    expect(await statusOf(addReaction(as(mod), bPost.postId, "support"))).toBe("no error");
    const page = await threadData(b, aPost.threadId);
    expect(page.noContactPostIds).toEqual([aPost.postId]);
  });
});

describe("settings: blocked and muted members", () => {
  it("lists both, only to the member, and lifts each from its own button", async () => {
    const [me, blocked, muted] = [await member(), await member(), await member()];
    await blockMember(as(me), blocked.username);
    await muteMember(as(me), muted.username);
    const page = await send("/settings/blocked", { cookie: me.cookie });
    expect(page.response.status).toBe(200);
    expect(page.text).toContain(`Unblock ${blocked.username}`);
    expect(page.text).toContain(`Unmute ${muted.username}`);
    expect((await send("/settings/blocked", { cookie: blocked.cookie })).text).toContain("You haven't blocked anyone.");
    const act = (form: Record<string, string>) => call(settingsBlocked.action, "/settings/blocked", { cookie: me.cookie, form });
    expect((await act({ intent: "unblock", username: blocked.username })).headers.get("Location")).toBe("/settings/blocked?done=unblock");
    expect((await act({ intent: "unmute", username: muted.username })).headers.get("Location")).toBe("/settings/blocked?done=unmute");
    expect((await send("/settings/blocked?done=unblock", { cookie: me.cookie })).text).toContain("The block is lifted.");
    expect(await db.select().from(blocks).where(eq(blocks.userId, me.id))).toEqual([]);
    expect(await db.select().from(mutes).where(eq(mutes.userId, me.id))).toEqual([]);
  });

  it("refuses visitors, unknown intents, oversized and repeated fields, and unknown names", async () => {
    expect((await call(settingsBlocked.loader, "/settings/blocked")).headers.get("Location")).toMatch(/^\/login/);
    const act = (form: Record<string, string>) => call(settingsBlocked.action, "/settings/blocked", { cookie: third.cookie, form });
    expect((await act({ intent: "forget", username: pest.username })).status).toBe(400);
    expect((await act({ intent: "unblock", username: "x".repeat(10_000) })).status).toBe(400);
    expect((await act({ intent: "unblock", username: "no_such_member" })).status).toBe(404);
    const repeated = new Request("http://localhost/settings/blocked", {
      method: "POST",
      headers: { Cookie: third.cookie },
      body: new URLSearchParams([
        ["intent", "unblock"],
        ["intent", "unmute"],
        ["username", pest.username],
      ]),
    });
    expect(await statusOf(settingsBlocked.action({ request: repeated, params: {}, context: { nonce: "" } }))).toBe(400);
  });
});

describe("the member's data", () => {
  it("exports the member's blocks, never who blocked them", async () => {
    expect((await exportUserData(as(blocker))).blocked).toMatchObject([{ username: pest.username }]);
    expect((await exportUserData(as(pest))).blocked).toEqual([]);
  });

  it("deletes the member's own blocks with the account; others' blocks on them stay, and can be lifted", async () => {
    const [leaver, wary] = [await member(), await member()];
    await blockMember(as(leaver), third.username);
    await blockMember(as(wary), leaver.username);
    expect((await deleteAccount(as(leaver), { password: "correct horse battery", keepPosts: true })).ok).toBe(true);
    expect(await db.select().from(blocks).where(eq(blocks.userId, leaver.id))).toEqual([]);
    const [gone] = await db.select({ username: users.username }).from(users).where(eq(users.id, leaver.id));
    const page = await send("/settings/blocked", { cookie: wary.cookie });
    expect(page.text).toContain(`Unblock ${gone!.username}`);
    await call(settingsBlocked.action, "/settings/blocked", { cookie: wary.cookie, form: { intent: "unblock", username: gone!.username } });
    expect(await db.select().from(blocks).where(eq(blocks.userId, wary.id))).toEqual([]);
  });
});
