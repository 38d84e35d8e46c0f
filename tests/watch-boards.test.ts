// Watching a board: the button's action, the Settings list, who a new thread notifies (never its
// author, nobody across a mute or a block), the data export and account deletion.
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { boardWatches, notifications } from "../db/schema.ts";
import { deleteAccount } from "~/models/account.server.ts";
import { exportUserData } from "~/models/account-export.server.ts";
import { blockMember } from "~/models/blocks.server.ts";
import { removeThread } from "~/models/moderation-threads.server.ts";
import { muteMember } from "~/models/mutes.server.ts";
import { getUnreadCount } from "~/models/notifications.server.ts";
import * as boardPage from "~/routes/boards.$slug._index.tsx";
import * as watchRoute from "~/routes/boards.$slug.watch.tsx";
import * as notificationsRoute from "~/routes/notifications.tsx";
import * as watchingRoute from "~/routes/settings.watching.tsx";
import { call, createReply, createThread, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });

function watch(m: M, slug = "fibromyalgia", intent = "watch") {
  return call(watchRoute.action, `/boards/${slug}/watch`, { cookie: m.cookie, params: { slug }, form: { intent } });
}

async function listed(m: M) {
  const data = await (await call(notificationsRoute.loader, "/notifications", { cookie: m.cookie })).json();
  return data.items as { kind: string; actor: string; threadTitle: string; boardName: string; href: string }[];
}

describe("the Watch this board button", () => {
  it("watches and stops watching, back at the button, and the board page says which", async () => {
    const kim = await member();
    const before = await (await call(boardPage.loader, "/boards/fibromyalgia", { cookie: kim.cookie, params: { slug: "fibromyalgia" } })).json();
    expect(before.watching).toBe(false);
    const res = await watch(kim);
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/boards/fibromyalgia#watch");
    await watch(kim); // twice is still one watch
    expect(await db.select().from(boardWatches).where(eq(boardWatches.userId, kim.id))).toHaveLength(1);
    const after = await (await call(boardPage.loader, "/boards/fibromyalgia", { cookie: kim.cookie, params: { slug: "fibromyalgia" } })).json();
    expect(after.watching).toBe(true);
    await watch(kim, "fibromyalgia", "unwatch");
    expect(await db.select().from(boardWatches).where(eq(boardWatches.userId, kim.id))).toEqual([]);
  });

  it("sends a visitor to log in, and answers a bad board or intent with 404 and 400", async () => {
    const visitor = await call(watchRoute.action, "/boards/fibromyalgia/watch", { params: { slug: "fibromyalgia" }, form: { intent: "watch" } });
    expect(visitor.headers.get("Location")).toBe("/login?redirectTo=%2Fboards%2Ffibromyalgia");
    const page = await (await call(boardPage.loader, "/boards/fibromyalgia", { params: { slug: "fibromyalgia" } })).json();
    expect(page.watching).toBeNull();
    const kim = await member();
    expect((await watch(kim, "no-such-board")).status).toBe(404);
    expect((await watch(kim, "fibromyalgia", "explode")).status).toBe(400);
  });
});

describe("a new thread in a watched board", () => {
  it("notifies watchers once, never its author, and not about a reply", async () => {
    const [ann, bo, cy] = [await member(), await member(), await member()];
    await watch(ann);
    await watch(bo);
    const { threadId } = await createThread(as(bo), "fibromyalgia", { title: "Fog on bad days", body: "How do you cope?" });
    await createThread(as(cy), "night-leg-cramps", { title: "Not watched here", body: "Elsewhere." });
    expect(await listed(ann)).toMatchObject([
      {
        kind: "thread",
        actor: bo.username,
        threadTitle: "Fog on bad days",
        boardName: "Fibromyalgia",
        href: expect.stringContaining(`/threads/${threadId}?page=1#post-`),
      },
    ]);
    expect(await db.select().from(notifications).where(eq(notifications.userId, bo.id))).toEqual([]);
    // A reply in the thread is not a new thread: watching a board is not following its threads.
    await createReply(as(cy), threadId, "Pacing helps me.");
    expect(await getUnreadCount(ann.id)).toBe(1);
  });

  it("respects mutes and blocks either way, and hides the notice once the thread is removed", async () => {
    const [author, muter, blocker, blocked, plain, mod] = [
      await member(),
      await member(),
      await member(),
      await member(),
      await member(),
      await member("watch_mod", "moderator"),
    ];
    for (const m of [muter, blocker, blocked, plain]) await watch(m);
    await muteMember(as(muter), author.username);
    await blockMember(as(blocker), author.username);
    await blockMember(as(author), blocked.username);
    const { threadId } = await createThread(as(author), "fibromyalgia", { title: "Quiet please", body: "Text." });
    for (const m of [muter, blocker, blocked]) expect(await getUnreadCount(m.id)).toBe(0);
    expect(await getUnreadCount(plain.id)).toBe(1);
    await removeThread(as(mod), threadId, "spam");
    expect(await getUnreadCount(plain.id)).toBe(0);
    expect(await listed(plain)).toEqual([]);
  });

  it("names the board in the message, and a mention of a watcher is a mention", async () => {
    const [author, watcher] = [await member(), await member()];
    await watch(watcher);
    await createThread(as(author), "fibromyalgia", { title: "Asking you", body: `@${watcher.username} what do you think?` });
    expect((await listed(watcher)).map((n) => n.kind)).toEqual(["mention"]);
  });
});

describe("Settings: boards you watch", () => {
  it("lists watched boards by name and stops watching one", async () => {
    const kim = await member();
    await watch(kim, "night-leg-cramps");
    await watch(kim, "fibromyalgia");
    const data = await (await call(watchingRoute.loader, "/settings/watching", { cookie: kim.cookie })).json();
    expect(data.boards.map((b: { name: string }) => b.name)).toEqual(["Fibromyalgia", "Night & leg cramps"].sort());
    const res = await call(watchingRoute.action, "/settings/watching", { cookie: kim.cookie, form: { intent: "unwatch", board: "fibromyalgia" } });
    expect(res.headers.get("Location")).toBe("/settings/watching?stopped=fibromyalgia");
    const left = await (await call(watchingRoute.loader, "/settings/watching", { cookie: kim.cookie })).json();
    expect(left.boards.map((b: { slug: string }) => b.slug)).toEqual(["night-leg-cramps"]);
    expect((await call(watchingRoute.action, "/settings/watching", { cookie: kim.cookie, form: { intent: "watch" } })).status).toBe(400);
  });

  it("is in the data export, and account deletion removes the watches", async () => {
    const kim = await member();
    await watch(kim);
    const data = await exportUserData(kim);
    expect(data.watchedBoards).toMatchObject([{ slug: "fibromyalgia", name: "Fibromyalgia" }]);
    await deleteAccount(kim, { password: "correct horse battery", keepPosts: false });
    expect(await db.select().from(boardWatches).where(eq(boardWatches.userId, kim.id))).toEqual([]);
  });
});
