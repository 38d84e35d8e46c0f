import { eq, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { boards, drafts, follows, postRevisions, posts, reactions, reports, sessions, threads, users } from "../db/schema.ts";
import { DELETED_POST_REASON, deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { createReply, createThread } from "./helpers.ts";
import { restorePost } from "~/models/moderation-posts.server.ts";
import { restoreThread } from "~/models/moderation-threads.server.ts";
import * as threadRoute from "~/routes/threads.$threadId.tsx";
import { verifyLogin } from "~/models/users.server.ts";
import * as root from "~/root.tsx";
import * as deleteRoute from "~/routes/settings.delete-account.tsx";
import * as exportRoute from "~/routes/settings.export.tsx";
import { verifyPassword } from "~/utils/passwords.server.ts";
import { call, member } from "./helpers.ts";

const PASSWORD = "correct horse battery"; // tests/helpers.ts member()

async function board(slug: string) {
  const [row] = await db.select().from(boards).where(eq(boards.slug, slug)).limit(1);
  return row!;
}

describe("data export", () => {
  it("downloads the member's own data as a JSON attachment, and nobody else's", async () => {
    const ivy = await member("ivy");
    const jon = await member("jon");
    const { threadId, postId } = await createThread(ivy, "fibromyalgia", { title: "Heat pads at night", body: "A **heat pad** helps me." });
    const jonsReply = await createReply(jon, threadId, "Same here, jon's words");
    await transaction(async (tx) => {
      await tx.update(users).set({ bioVisibility: "members", joinedVisibility: "nobody" }).where(eq(users.id, ivy.id));
      await tx.insert(reactions).values({ postId: jonsReply.postId, kind: "helpful", userId: ivy.id });
      await tx.insert(reports).values({ postId: jonsReply.postId, reporterId: ivy.id, reason: "other", note: "Off topic?" });
      await tx.insert(drafts).values({ userId: ivy.id, key: `reply:${threadId}`, body: "half-written thoughts", updatedAt: new Date() });
      await tx.insert(follows).values({ userId: ivy.id, threadId }).onConflictDoNothing();
    });

    const res = await call(exportRoute.loader, "/settings/export", { cookie: ivy.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.headers.get("Content-Disposition")).toMatch(/^attachment; filename="unclench-ivy-\d{4}-\d\d-\d\d\.json"$/);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const data = await res.json();
    expect(data.profile).toMatchObject({ username: "ivy", email: "ivy@example.org", role: "member" });
    expect(data.settings).toMatchObject({
      theme: "system",
      textSize: "normal",
      guidelinesAcceptedAt: expect.any(String),
      profileVisibility: { bio: "members", conditions: "everyone", joined: "nobody" },
    });
    expect(data.settings).not.toHaveProperty("profileHidden");
    expect(data.posts).toEqual([expect.objectContaining({ id: postId, threadTitle: "Heat pads at night", bodyMarkdown: "A **heat pad** helps me." })]);
    expect(data.reactions).toEqual([expect.objectContaining({ postId: jonsReply.postId, kind: "helpful" })]);
    expect(data.reportsFiled).toEqual([expect.objectContaining({ postId: jonsReply.postId, reason: "other", note: "Off topic?" })]);
    expect(data.drafts).toEqual([expect.objectContaining({ body: "half-written thoughts" })]);
    expect(data.following).toEqual([expect.objectContaining({ threadId })]);
    expect(data.sessions).toEqual([expect.objectContaining({ device: "Unknown browser", signedInAt: expect.any(String) })]);
    const text = JSON.stringify(data);
    expect(text).not.toContain(ivy.cookie.split("=")[1]);
    expect(text).not.toContain("jon's words");
    expect(text).not.toContain("jon@example.org");
    expect(text).not.toContain("$argon2");
  });

  it("includes earlier versions of an edited post", async () => {
    const kim = await member();
    const { postId } = await createThread(kim, "neuropathy", { title: "Tingling feet", body: "first words" });
    const { editPost } = await import("~/models/posts.server.ts");
    await editPost(kim, postId, { body: "second words" });
    const data = await exportUserData(kim);
    expect(data.posts[0]).toMatchObject({ bodyMarkdown: "second words", earlierVersions: [expect.objectContaining({ bodyMarkdown: "first words" })] });
  });

  it("sends a visitor to log in", async () => {
    const res = await call(exportRoute.loader, "/settings/export");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toMatch(/^\/login\?redirectTo=%2Fsettings%2Fexport/);
  });
});

describe("account deletion", () => {
  it("refuses a wrong password and changes nothing", async () => {
    const lou = await member("lou");
    const res = await call(deleteRoute.action, "/settings/delete-account", { cookie: lou.cookie, form: { posts: "keep", password: "not my password" } });
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.errors.password).toMatch(/isn't right/);
    expect(data.values).toEqual({ posts: "keep" });
    expect(await db.select({ username: users.username, deletedAt: users.deletedAt }).from(users).where(eq(users.id, lou.id))).toEqual([
      { username: "lou", deletedAt: null },
    ]);
  });

  it("asks what to do with the posts when no choice was sent", async () => {
    const max = await member();
    const res = await call(deleteRoute.action, "/settings/delete-account", { cookie: max.cookie, form: { password: PASSWORD } });
    expect(res.status).toBe(400);
    expect((await res.json()).errors.posts).toMatch(/Choose what should happen/);
  });

  it("anonymises the member, ends every session and keeps their posts when asked", async () => {
    const nia = await member("nia");
    const other = await member();
    const { threadId, postId } = await createThread(nia, "ms-spasticity", { title: "Baclofen pump stories", body: "Nia's story" });
    await createReply(other, threadId, "Thanks for sharing");
    const before = await board("ms-spasticity");

    const res = await call(deleteRoute.action, "/settings/delete-account", { cookie: nia.cookie, form: { posts: "keep", password: PASSWORD } });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/settings/delete-account?done=1");
    expect(res.headers.get("Set-Cookie")).toMatch(/^unclench_session=;/);

    const [row] = await db.select().from(users).where(eq(users.id, nia.id));
    if (!row) throw new Error("nia's row is gone");
    expect(row.username).toBe(`deleted-member-${nia.id}`);
    expect(row.email).not.toContain("nia");
    expect(row.passwordHash).toBe("");
    expect(row.deletedAt).toBeInstanceOf(Date);
    expect(row).toMatchObject({ bioVisibility: "nobody", conditionsVisibility: "nobody", joinedVisibility: "nobody" });
    expect(await db.select().from(sessions).where(eq(sessions.userId, nia.id))).toEqual([]);
    const me = await (await call(root.loader, "/", { cookie: nia.cookie })).json();
    expect(me.user).toBeNull();

    // Nobody can log in to the emptied account, by any name.
    expect(await verifyPassword("", PASSWORD)).toBe(false);
    expect(await verifyLogin("nia", PASSWORD)).toBeNull();
    expect(await verifyLogin("nia@example.org", PASSWORD)).toBeNull();
    expect(await verifyLogin(`deleted-member-${nia.id}`, "")).toBeNull();
    expect(await verifyLogin(`deleted-member-${nia.id}`, PASSWORD)).toBeNull();

    const [post] = await db.select().from(posts).where(eq(posts.id, postId));
    expect(post).toMatchObject({ bodyMarkdown: "Nia's story", removedAt: null, authorId: nia.id });
    expect(await board("ms-spasticity")).toMatchObject({ postCount: before.postCount, threadCount: before.threadCount });

    const goodbye = await (await call(deleteRoute.loader, "/settings/delete-account?done=1")).json();
    expect(goodbye).toEqual({ done: true });
  });

  it("removes the posts when asked, keeping other members' replies and the counters true", async () => {
    const oz = await member("oz");
    const pat = await member("pat");
    const lonely = await createThread(oz, "night-leg-cramps", { title: "Only my words here", body: "oz alone" });
    const shared = await createThread(oz, "night-leg-cramps", { title: "Others replied here", body: "oz opening" });
    await createReply(pat, shared.threadId, "pat's reply");
    const ozReply = await createReply(oz, shared.threadId, "oz again");
    const patsThread = await createThread(pat, "night-leg-cramps", { title: "Pat's thread", body: "pat opening" });
    await createReply(oz, patsThread.threadId, "oz in pat's thread");
    await transaction((tx) => tx.insert(reactions).values({ postId: patsThread.postId, kind: "support", userId: oz.id }));
    expect(await board("night-leg-cramps")).toMatchObject({ threadCount: 3, postCount: 6 });

    const done = await deleteAccount(oz, { password: PASSWORD, keepPosts: false });
    expect(done).toEqual({ ok: true, username: `deleted-member-${oz.id}` });

    const ozPosts = await db.select().from(posts).where(eq(posts.authorId, oz.id));
    expect(ozPosts).toHaveLength(4);
    // Deleted as by their author (not "removed by moderators"), words and earlier versions erased.
    for (const p of ozPosts) expect(p).toMatchObject({ deletedAt: expect.any(Date), removedAt: null, bodyMarkdown: "", bodyHtml: "" });
    const ozIds = ozPosts.map((p) => p.id);
    expect(await db.select().from(postRevisions).where(inArray(postRevisions.postId, ozIds))).toEqual([]);
    const patsPosts = await db.select().from(posts).where(eq(posts.authorId, pat.id));
    expect(patsPosts.every((p) => p.removedAt === null)).toBe(true);

    const thread = async (id: number) => (await db.select().from(threads).where(eq(threads.id, id)))[0]!;
    expect(await thread(lonely.threadId)).toMatchObject({ removedAt: expect.any(Date), removalReason: DELETED_POST_REASON });
    // Members are told the author deleted it; no moderator can bring it back.
    const gone = await call(threadRoute.loader, `/threads/${lonely.threadId}`, { cookie: pat.cookie, params: { threadId: String(lonely.threadId) } });
    expect(gone.status).toBe(410);
    expect(await gone.text()).toBe("This thread was deleted by its author.");
    const mod = await member("oz-mod", "moderator");
    await expect(restoreThread(mod, lonely.threadId, "Removed by mistake")).rejects.toThrow();
    expect((await thread(lonely.threadId)).removedAt).toBeInstanceOf(Date);
    expect(await thread(shared.threadId)).toMatchObject({ removedAt: null, replyCount: 1 });
    expect(await thread(patsThread.threadId)).toMatchObject({ removedAt: null, replyCount: 0 });
    expect(ozReply.postId).toBeGreaterThan(0);
    // Visible now: "Others replied here" (pat's reply) and "Pat's thread" (pat's opening post).
    expect(await board("night-leg-cramps")).toMatchObject({ threadCount: 2, postCount: 2 });
    expect(await db.select().from(reactions).where(eq(reactions.userId, oz.id))).toEqual([]);
  });

  it("keeps posts an earlier version removed on a leaving member's behalf out of a moderator's reach", async () => {
    const lee = await member();
    const { postId } = await createThread(lee, "night-leg-cramps", { title: "Leaving soon", body: "lee's words" });
    // What account deletion wrote before it deleted posts instead: a removal by the author.
    await transaction((tx) =>
      tx.update(posts).set({ removedAt: new Date(), removedById: lee.id, removalReason: DELETED_POST_REASON }).where(eq(posts.id, postId)),
    );
    const mod = await member(undefined, "moderator");
    await expect(restorePost(mod, postId, "Removed by mistake")).rejects.toThrow();
    const [post] = await db.select().from(posts).where(eq(posts.id, postId));
    expect(post!.removedAt).toBeInstanceOf(Date);
  });

  it("still works when someone already took the name deleted-member-<id>", async () => {
    const quin = await member();
    // Sign-up refuses such names now (tests/reserved-names.test.ts); an older account may hold one.
    await transaction((tx) => tx.insert(users).values({ username: `deleted-member-${quin.id}`, email: `legacy-${quin.id}@example.org`, passwordHash: "" }));
    const done = await deleteAccount(quin, { password: PASSWORD, keepPosts: true });
    expect(done.ok && done.username).toMatch(new RegExp(`^deleted-member-${quin.id}-`));
  });

  it("shows the form to a member and sends a visitor to log in", async () => {
    const rae = await member();
    expect(await (await call(deleteRoute.loader, "/settings/delete-account", { cookie: rae.cookie })).json()).toEqual({ done: false });
    const visitor = await call(deleteRoute.loader, "/settings/delete-account");
    expect(visitor.headers.get("Location")).toBe("/login?redirectTo=%2Fsettings%2Fdelete-account");
  });
});
