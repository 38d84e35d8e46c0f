import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { mutes, posts, threads, users } from "../db/schema.ts";
import * as profile from "~/routes/u.$username.tsx";
import * as profileSettings from "~/routes/settings.profile.tsx";
import { call, createThread, createReply, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

function view(username: string, cookie?: string) {
  return call(profile.loader, `/u/${username}`, { cookie, params: { username } });
}

describe("profiles", () => {
  it("shows name, join date, bio, conditions, counts and recent posts, leaving out removed and deleted ones", async () => {
    const me = await member();
    await call(profileSettings.action, "/settings/profile", {
      cookie: me.cookie,
      form: {
        bio: "Hello from **Leeds**",
        "condition-ms-spasticity": "on",
        bioVisibility: "everyone",
        conditionsVisibility: "everyone",
        joinedVisibility: "everyone",
      },
    });
    const kept = await createThread(as(me), "ms-spasticity", { title: "Morning stiffness routine", body: "Slow stretches _before_ getting up." });
    await createReply(as(me), kept.threadId, "Update: still working.");
    const removedReply = await createReply(as(me), kept.threadId, "Something a moderator removed");
    const deletedReply = await createReply(as(me), kept.threadId, "Something I deleted");
    const gone = await createThread(as(me), "ms-spasticity", { title: "A removed thread", body: "Never shown" });
    await transaction(async (tx) => {
      await tx.update(posts).set({ removedAt: new Date() }).where(eq(posts.id, removedReply.postId));
      await tx.update(posts).set({ deletedAt: new Date() }).where(eq(posts.id, deletedReply.postId));
      await tx.update(threads).set({ removedAt: new Date() }).where(eq(threads.id, gone.threadId));
    });

    const { profile: p } = await (await view(me.username.toUpperCase())).json();
    expect(p).toMatchObject({
      username: me.username,
      bioHtml: expect.stringContaining("<strong>Leeds</strong>"),
      conditions: [{ slug: "ms-spasticity", name: "MS spasticity & spasms" }],
      threadCount: 1,
      postCount: 2,
      isSelf: false,
    });
    expect(new Date(p.joinedAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(p.recentPosts.map((r: { excerpt: string }) => r.excerpt)).toEqual(["Update: still working.", "Slow stretches before getting up."]);
    expect(p.recentPosts[0].href).toMatch(new RegExp(`^/threads/${kept.threadId}\\?page=1#post-\\d+$`));
    expect(JSON.stringify(p)).not.toMatch(/removed|deleted|Never shown/i);
  });

  // Who sees bio, conditions and join date: tests/profile-privacy.test.ts.

  it("404s unknown, deleted and malformed names", async () => {
    const gone = await member();
    await transaction((tx) => tx.update(users).set({ deletedAt: new Date() }).where(eq(users.id, gone.id)));
    expect((await view("nobody_at_all")).status).toBe(404);
    expect((await view(gone.username)).status).toBe(404);
    expect((await view("bad name!")).status).toBe(404);
  });
});

describe("muting", () => {
  it("mutes and unmutes from the profile, privately, and never oneself", async () => {
    const [me, loud] = [await member(), await member()];
    const mute = (intent: string, who = loud.username, cookie = me.cookie) =>
      call(profile.action, `/u/${who}`, { cookie, params: { username: who }, form: { intent } });
    const res = await mute("mute");
    expect(res.headers.get("Location")).toBe(`/u/${loud.username}#mute`);
    await mute("mute");
    expect(await db.select().from(mutes).where(eq(mutes.userId, me.id))).toMatchObject([{ mutedUserId: loud.id }]);
    expect((await (await view(loud.username, me.cookie)).json()).profile.mutedByViewer).toBe(true);
    // The muted member sees nothing about it.
    expect((await (await view(me.username, loud.cookie)).json()).profile.mutedByViewer).toBe(false);
    await mute("unmute");
    expect(await db.select().from(mutes).where(eq(mutes.userId, me.id))).toEqual([]);
    expect((await mute("mute", me.username)).status).toBe(400);
    expect((await mute("silence")).status).toBe(400);
  });

  it("sends visitors to log in", async () => {
    const loud = await member();
    const res = await call(profile.action, `/u/${loud.username}`, { params: { username: loud.username }, form: { intent: "mute" } });
    expect(res.headers.get("Location")).toBe(`/login?redirectTo=${encodeURIComponent(`/u/${loud.username}`)}`);
  });
});
