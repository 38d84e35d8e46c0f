// Private conversations (docs/decisions/033): who may start one, write, add and leave, what each
// person sees, and that no word of a message reaches anyone outside it by any route. Every private
// word starts with "zqpm", so one check finds any of them anywhere in a response.
import { and, eq, isNull } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { blocks, conversationMembers, conversations, messages, notifications, rateLimits, users } from "../db/schema.ts";
import { countUnreadConversations } from "~/models/conversation-pages.server.ts";
import { startConversation } from "~/models/conversations.server.ts";
import { searchForum } from "~/models/search.server.ts";
import * as boardFeed from "~/routes/boards.$slug.feed.tsx";
import * as conversationRoute from "~/routes/messages.$conversationId.tsx";
import * as inbox from "~/routes/messages._index.tsx";
import * as newConversation from "~/routes/messages.new.tsx";
import * as notificationsRoute from "~/routes/notifications.tsx";
import * as profile from "~/routes/u.$username.tsx";
import { MESSAGE_MAX } from "~/utils/messages.ts";
import { remixHandler } from "./document.ts";
import { call, createReply, createThread, member, statusOf } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const SECRET = /zqpm/i;
const DAY = 86_400_000;

const send = remixHandler({
  "routes/messages._index": { path: "messages", module: inbox },
  "routes/messages.new": { path: "messages/new", module: newConversation },
  "routes/messages.$conversationId": { path: "messages/:conversationId", module: conversationRoute },
  "routes/notifications": { path: "notifications", module: notificationsRoute },
  "routes/u.$username": { path: "u/:username", module: profile },
});
const page = (id: number) => `/messages/${id}`;
const dataOf = (id: number) => `/messages/${id}?_data=routes%2Fmessages.%24conversationId`;

/** A member past the gate: an account over a week old with three posts up. */
async function seasoned(name: string) {
  const m = await member(name);
  await transaction((tx) =>
    tx
      .update(users)
      .set({ createdAt: new Date(Date.now() - 8 * DAY) })
      .where(eq(users.id, m.id)),
  );
  const { threadId } = await createThread(as(m), "fibromyalgia", { title: `Hello from ${name}`, body: `First post by ${name}.` });
  await createReply(as(m), threadId, `Second post by ${name}.`);
  await createReply(as(m), threadId, `Third post by ${name}.`);
  return m;
}

function block(blocker: M, blocked: M) {
  return transaction((tx) => tx.insert(blocks).values({ userId: blocker.id, blockedUserId: blocked.id }));
}

async function start(from: M, to: M[], body = "zqpm hello there", subject = "zqpm a subject") {
  const started = await startConversation(as(from), { to: to.map((m) => m.username), subject, body });
  if (!started.ok) throw new Error(JSON.stringify(started.errors));
  return started;
}

const postForm = (path: string, m: M, form: Record<string, string>) => send(path, { cookie: m.cookie, form });
const messageNotices = (m: M, conversationId: number) =>
  db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, m.id), eq(notifications.conversationId, conversationId)));

let alice: M, bob: M, carol: M, dave: M, erin: M, moderator: M, admin: M;

beforeAll(async () => {
  [alice, bob, carol, erin] = [await seasoned("pmalice"), await seasoned("pmbob"), await seasoned("pmcarol"), await seasoned("pmerin")];
  dave = await member("pmdave");
  moderator = await member("pmmod", "moderator");
  admin = await member("pmadmin", "admin");
});

describe("starting a conversation", () => {
  it("sends a visitor to log in, from every page and its data", async () => {
    for (const path of ["/messages", "/messages/new", "/messages/1", dataOf(1)]) {
      const res = await send(path);
      expect([302, 204], path).toContain(res.response.status);
      expect(res.response.headers.get("Location") ?? res.response.headers.get("X-Remix-Redirect"), path).toMatch(/^\/login\?redirectTo=/);
    }
  });

  it("waits for a week-old account with three posts, and says why and when", async () => {
    const res = await send("/messages/new?to=pmalice", { cookie: dave.cookie });
    expect(res.text).toContain("You can start conversations soon");
    expect(res.text).toContain("Your account will be 7 days old on");
    expect(res.text).toContain("You need 3 more posts on the boards.");
    const form = { intent: "send", to: "pmalice", subject: "Hi", body: "zqpm kept words" };
    const refused = await postForm("/messages/new", dave, form);
    expect(refused.response.status).toBe(403);
    const data = await call(newConversation.action, "/messages/new", { cookie: dave.cookie, form });
    expect((await data.json()).values.body).toBe("zqpm kept words");
    expect(await db.select().from(conversations).where(eq(conversations.startedById, dave.id))).toEqual([]);
    // Old enough, but one post short: only the posts are still to come.
    await transaction((tx) =>
      tx
        .update(users)
        .set({ createdAt: new Date(Date.now() - 9 * DAY) })
        .where(eq(users.id, dave.id)),
    );
    await createThread(as(dave), "fibromyalgia", { title: "Dave says hello", body: "Hello, all." });
    await createThread(as(dave), "fibromyalgia", { title: "Dave again", body: "A second post." });
    const gate = await (await call(newConversation.loader, "/messages/new", { cookie: dave.cookie })).json();
    expect(gate.gate).toEqual({ open: false, readOnly: false, opensAt: null, postsToGo: 1 });
  });

  it("lets staff start one at once", async () => {
    const started = await startConversation(as(moderator), { to: ["pmerin"], subject: "A word from the team", body: "zqpm checking in" });
    expect(started.ok).toBe(true);
  });

  it("starts with 1 to 9 others, renders safe markdown, and lands on the message", async () => {
    const res = await postForm("/messages/new", alice, {
      intent: "send",
      to: "@PMBob, pmcarol",
      subject: "zqpm night cramps",
      body: "zqpm **really** <script>alert(1)</script>",
    });
    expect(res.response.status).toBe(302);
    const [conversation] = await db.select().from(conversations).where(eq(conversations.subject, "zqpm night cramps"));
    expect(res.response.headers.get("Location")).toMatch(new RegExp(`^/messages/${conversation!.id}#message-\\d+$`));
    const people = await db.select().from(conversationMembers).where(eq(conversationMembers.conversationId, conversation!.id));
    expect(people.map((p) => p.userId).sort()).toEqual([alice.id, bob.id, carol.id].sort());
    const [message] = await db.select().from(messages).where(eq(messages.conversationId, conversation!.id));
    expect(message!.bodyHtml).toContain("<strong>really</strong>");
    expect(message!.bodyHtml).not.toContain("<script");
  });

  it("refuses unknown, deleted or own names, too many people and oversized text, keeping what was typed", async () => {
    const tries: [Record<string, string>, string, RegExp][] = [
      [{ to: "nosuchperson" }, "to", /There is no member called nosuchperson/],
      [{ to: "pmdave" }, "to", /There is no member called pmdave/],
      [{ to: "pmalice" }, "to", /yourself/],
      [{ to: Array.from({ length: 10 }, (_, i) => `pmx${i}`).join(",") }, "to", /up to 9 other people/],
      [{ to: "x".repeat(401) }, "to", /more names/],
      [{ to: "bad name!" }, "to", /only letters/],
      [{ subject: "two\nlines" }, "subject", /control characters/],
      [{ body: "   " }, "body", /Write something/],
      [{ body: "zqpm".repeat(MESSAGE_MAX / 4 + 1) }, "body", /at most 10,000 characters/],
    ];
    for (const [change, field, message] of tries) {
      const form = { intent: "send", to: "pmbob", subject: "Hello", body: "zqpm my words", ...change };
      if (change.to === "pmdave") await transaction((tx) => tx.update(users).set({ deletedAt: new Date() }).where(eq(users.id, dave.id)));
      const res = await call(newConversation.action, "/messages/new", { cookie: alice.cookie, form });
      if (change.to === "pmdave") await transaction((tx) => tx.update(users).set({ deletedAt: null }).where(eq(users.id, dave.id)));
      expect(res.status, JSON.stringify(change).slice(0, 60)).toBe(400);
      const data = await res.json();
      expect(data.errors[field]).toMatch(message);
      expect(data.values.body).toBe(form.body);
    }
    const repeated = new Request("http://localhost/messages/new", { method: "POST", headers: { Cookie: alice.cookie }, body: "to=a&to=b&subject=s&body=b" });
    expect(await statusOf(newConversation.action({ request: repeated, params: {}, context: { nonce: "" } }))).toBe(400);
  });

  it("refuses anyone in a block, either way, in neutral words", async () => {
    await block(erin, alice);
    const form = { intent: "send", to: "pmerin", subject: "Hello", body: "zqpm hello" };
    const refused = await call(newConversation.action, "/messages/new", { cookie: alice.cookie, form });
    expect(refused.status).toBe(403);
    const theirs = await call(newConversation.action, "/messages/new", { cookie: erin.cookie, form: { ...form, to: "pmalice" } });
    expect((await theirs.json()).errors.to).toBe("You can't write to pmalice: there is a block between you.");
    expect((await refused.json()).errors.to).toBe("You can't write to pmerin: there is a block between you.");
    // Two recipients in a block with each other can't be put in one conversation either.
    const pair = await call(newConversation.action, "/messages/new", { cookie: bob.cookie, form: { ...form, to: "pmalice, pmerin" } });
    expect((await pair.json()).errors.to).toBe("These people can't all be in one conversation. Try writing to them separately.");
    await transaction((tx) => tx.delete(blocks).where(eq(blocks.userId, erin.id)));
  });

  it("never stops staff, who may block a member and still write to them (docs/decisions/032)", async () => {
    await block(moderator, erin);
    try {
      const form = { intent: "send", to: "pmmod", subject: "Hello", body: "zqpm to the moderator" };
      expect((await call(newConversation.action, "/messages/new", { cookie: erin.cookie, form })).status).toBe(403);
      const { conversationId } = await start(moderator, [erin], "zqpm a word from the moderators");
      const answer = await postForm(page(conversationId), erin, { intent: "send", body: "zqpm an answer" });
      expect(answer.response.status).toBe(403);
      expect((await postForm(page(conversationId), moderator, { intent: "send", body: "zqpm and another" })).response.status).toBe(302);
    } finally {
      await transaction((tx) => tx.delete(blocks).where(eq(blocks.userId, moderator.id)));
    }
  });

  it("fills in ?to= from a profile's link, and nothing that isn't a name", async () => {
    const profilePage = await send("/u/pmbob", { cookie: alice.cookie });
    expect(profilePage.text).toContain('href="/messages/new?to=pmbob"');
    expect((await send("/u/pmbob")).text).not.toContain("/messages/new");
    expect((await (await call(newConversation.loader, "/messages/new?to=pmbob", { cookie: alice.cookie })).json()).to).toBe("pmbob");
    expect((await (await call(newConversation.loader, "/messages/new?to=%3Cb%3E", { cookie: alice.cookie })).json()).to).toBe("");
  });

  it("lands a form sent twice on the conversation it started, and answers a spent allowance with 429 and the text", async () => {
    const form = { intent: "send", to: "pmcarol", subject: "Twice", body: "zqpm sent twice" };
    const first = await call(newConversation.action, "/messages/new", { cookie: bob.cookie, form });
    const second = await call(newConversation.action, "/messages/new", { cookie: bob.cookie, form });
    expect(second.headers.get("Location")).toBe(first.headers.get("Location"));
    await transaction(async (tx) => {
      await tx.delete(rateLimits).where(eq(rateLimits.key, `conversations:${bob.id}`));
      await tx.insert(rateLimits).values({ key: `conversations:${bob.id}`, points: 1_000_000, expire: new Date(Date.now() + 3_600_000) });
    });
    const limited = await call(newConversation.action, "/messages/new", { cookie: bob.cookie, form: { ...form, body: "zqpm one too many" } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect((await limited.json()).values.body).toBe("zqpm one too many");
  });
});

describe("a conversation", () => {
  it("is read by its members alone: everyone else gets a 404 that names nothing", async () => {
    const { conversationId } = await start(alice, [bob]);
    const own = await send(page(conversationId), { cookie: bob.cookie });
    expect(own.response.status).toBe(200);
    expect(own.text).toContain("zqpm hello there");
    for (const outsider of [carol, moderator, admin]) {
      for (const path of [page(conversationId), dataOf(conversationId), `${page(conversationId)}?page=1`]) {
        const res = await send(path, { cookie: outsider.cookie });
        expect(res.response.status, `${outsider.username} ${path}`).toBe(404);
        expect(res.text).not.toMatch(SECRET);
      }
      const reply = await postForm(page(conversationId), outsider, { intent: "send", body: "intruding" });
      expect(reply.response.status).toBe(404);
    }
    expect((await send(page(999_999), { cookie: bob.cookie })).response.status).toBe(404);
  });

  it("marks news for the others: one notice per conversation however many messages, never quoting them", async () => {
    const { conversationId } = await start(alice, [bob, carol], "zqpm first words");
    for (const body of ["zqpm second", "zqpm third"]) {
      const res = await postForm(page(conversationId), alice, { intent: "send", body });
      expect(res.response.status).toBe(302);
    }
    const notices = await messageNotices(bob, conversationId);
    expect(notices.filter((n) => n.readAt === null)).toHaveLength(1);
    expect(notices[0]!.text).toBe("sent you a private message");
    expect(await messageNotices(alice, conversationId)).toEqual([]);
    const list = await send("/notifications", { cookie: bob.cookie });
    expect(list.text).toContain("pmalice sent you a private message");
    expect(list.text).not.toMatch(SECRET);
    const header = await send("/messages", { cookie: bob.cookie });
    expect(header.text).toMatch(/Messages \(\d+ unread\)/);
    expect(header.text).toContain(`href="/messages/${conversationId}"`);
    expect(header.text).toContain("New messages");

    const unreadBefore = await countUnreadConversations(bob.id);
    const opened = await send(page(conversationId), { cookie: bob.cookie });
    expect(opened.text).toContain("zqpm third");
    expect(await countUnreadConversations(bob.id)).toBe(unreadBefore - 1);
    expect((await messageNotices(bob, conversationId)).every((n) => n.readAt !== null)).toBe(true);
  });

  it("is closed to writing, with the text kept, between people in a block; the rest write on", async () => {
    const { conversationId } = await start(alice, [bob, carol], "zqpm before the block");
    await block(carol, bob);
    for (const writer of [bob, carol]) {
      const res = await call(conversationRoute.action, page(conversationId), {
        cookie: writer.cookie,
        form: { intent: "send", body: "zqpm after the block" },
        params: { conversationId: String(conversationId) },
      });
      expect(res.status).toBe(403);
      const data = await res.json();
      expect(data.errors.form).toMatch(/there is a block between you and someone in this conversation/);
      expect(data.values.body).toBe("zqpm after the block");
      expect((await send(page(conversationId), { cookie: writer.cookie })).text).toContain("write here or add people: there is a block");
    }
    expect((await postForm(page(conversationId), alice, { intent: "send", body: "zqpm alice writes on" })).response.status).toBe(302);
    const adding = await call(conversationRoute.action, page(conversationId), {
      cookie: bob.cookie,
      form: { intent: "add", people: "pmerin" },
      params: { conversationId: String(conversationId) },
    });
    expect(adding.status).toBe(403);
    await transaction((tx) => tx.delete(blocks).where(eq(blocks.userId, carol.id)));
  });

  it("can be left for good: gone from the leaver's pages and notices, shown to the others, no way back in", async () => {
    const { conversationId } = await start(alice, [bob, carol], "zqpm leaving soon");
    const left = await postForm(page(conversationId), carol, { intent: "leave" });
    expect(left.response.headers.get("Location")).toBe("/messages?left=1");
    expect((await send(page(conversationId), { cookie: carol.cookie })).response.status).toBe(404);
    expect(await messageNotices(carol, conversationId)).toEqual([]);
    await postForm(page(conversationId), alice, { intent: "send", body: "zqpm after carol left" });
    expect(await messageNotices(carol, conversationId)).toEqual([]);
    expect((await send("/messages", { cookie: carol.cookie })).text).not.toContain(`/messages/${conversationId}"`);
    expect((await send(page(conversationId), { cookie: bob.cookie })).text).toMatch(/pmcarol<\/strong>.*; left on/);
    const back = await call(conversationRoute.action, page(conversationId), {
      cookie: alice.cookie,
      form: { intent: "add", people: "pmcarol" },
      params: { conversationId: String(conversationId) },
    });
    expect((await back.json()).errors.people).toBe("pmcarol left this conversation, so they can't be added back.");
    // The last one left has no one to write to.
    await postForm(page(conversationId), bob, { intent: "leave" });
    expect((await send(page(conversationId), { cookie: alice.cookie })).text).toContain("Everyone else has left this conversation");
  });

  it("takes in more people, who read it from the start, up to ten in all", async () => {
    const { conversationId } = await start(alice, [bob], "zqpm from the start");
    const added = await postForm(page(conversationId), bob, { intent: "add", people: "pmerin" });
    expect(added.response.headers.get("Location")).toBe(`${page(conversationId)}#people-tools`);
    expect((await send(page(conversationId), { cookie: erin.cookie })).text).toContain("zqpm from the start");
    expect((await messageNotices(erin, conversationId))[0]!.text).toBe("added you to a private conversation");
    const crowd = await Promise.all(Array.from({ length: 8 }, (_, i) => member(`pmcrowd${i}`)));
    const tooMany = await call(conversationRoute.action, page(conversationId), {
      cookie: alice.cookie,
      form: { intent: "add", people: crowd.map((m) => m.username).join(" ") },
      params: { conversationId: String(conversationId) },
    });
    expect((await tooMany.json()).errors.people).toBe("A conversation can include up to 10 people, so only 7 more can be added.");
  });

  it("is read-only for a silenced member, whose text is kept", async () => {
    const { conversationId } = await start(alice, [bob], "zqpm to someone silenced");
    await transaction((tx) =>
      tx
        .update(users)
        .set({ silencedAt: new Date(), silencedUntil: new Date(Date.now() + DAY) })
        .where(eq(users.id, bob.id)),
    );
    try {
      const res = await call(conversationRoute.action, page(conversationId), {
        cookie: bob.cookie,
        form: { intent: "send", body: "zqpm while silenced" },
        params: { conversationId: String(conversationId) },
      });
      expect(res.status).toBe(403);
      expect((await res.json()).values.body).toBe("zqpm while silenced");
      expect((await send(page(conversationId), { cookie: bob.cookie })).text).toContain("Your account is read-only");
      expect((await send("/messages/new", { cookie: bob.cookie })).text).toContain("Your account is read-only");
    } finally {
      await transaction((tx) => tx.update(users).set({ silencedAt: null, silencedUntil: null }).where(eq(users.id, bob.id)));
    }
  });

  it("shows its sender, and only its sender, the crisis panel after words about ending their life, and tells no moderator", async () => {
    const { conversationId } = await start(alice, [bob], "zqpm hard night");
    const res = await postForm(page(conversationId), bob, { intent: "send", body: "I want to kill myself." });
    expect(res.response.headers.get("Location")).toBe(`${page(conversationId)}?support=1#crisis-panel-heading`);
    const panel = await send(`${page(conversationId)}?support=1`, { cookie: bob.cookie });
    expect(panel.text).toContain("have to go through this alone");
    expect(panel.text).toContain("Your message is sent");
    expect(panel.text).toContain("moderators are not told about it");
    expect((await send(`${page(conversationId)}?support=1`, { cookie: alice.cookie })).text).not.toContain("go through this alone");
  });
});

describe("hostile input", () => {
  it("answers unknown intents with 400, refuses hidden characters, previews nothing oversized, and renders pathological markdown", async () => {
    const { conversationId } = await start(alice, [bob], "zqpm for hostile input");
    for (const intent of ["delete", "__proto__", "constructor", ""]) {
      expect((await postForm(page(conversationId), alice, { intent, body: "zqpm x" })).response.status, intent).toBe(400);
    }
    const hidden = await call(newConversation.action, "/messages/new", {
      cookie: alice.cookie,
      form: { intent: "send", to: "pmbob", subject: "evil\u202Egnp.exe", body: "zqpm hi" },
    });
    expect((await hidden.json()).errors.subject).toMatch(/control characters/);
    const preview = await call(conversationRoute.action, page(conversationId), {
      cookie: alice.cookie,
      form: { intent: "preview", body: "[".repeat(MESSAGE_MAX + 1) },
      params: { conversationId: String(conversationId) },
    });
    expect(preview.status).toBe(400);
    expect((await preview.json()).preview).toBeUndefined();
    const started = Date.now();
    const sent = await postForm(page(conversationId), alice, { intent: "send", body: "[".repeat(MESSAGE_MAX / 2) + "*_".repeat(MESSAGE_MAX / 4) });
    expect(sent.response.status).toBe(302);
    expect(Date.now() - started).toBeLessThan(5_000);
    const emoji = await postForm(page(conversationId), alice, { intent: "send", body: "zqpm 👋🏽 مرحبا 𝒽𝑒𝓁𝓁𝑜" });
    expect(emoji.response.status).toBe(302);
    expect((await send(page(conversationId), { cookie: bob.cookie })).text).toContain("zqpm 👋🏽 مرحبا 𝒽𝑒𝓁𝓁𝑜");
  });
});

describe("message text outside the conversation", () => {
  it("never reaches search, feeds, profiles or anyone's notices", async () => {
    const { conversationId } = await start(alice, [bob], "zqpmsearchable words about baclofen", "zqpmsubject");
    for (const viewer of [null, as(alice), as(bob), as(moderator)]) {
      const outcome = await searchForum({ q: "zqpmsearchable", viewer });
      expect(JSON.stringify(outcome)).not.toMatch(SECRET);
    }
    const feed = await (await call(boardFeed.loader, "/boards/fibromyalgia/feed", { params: { slug: "fibromyalgia" } })).text();
    expect(feed).not.toMatch(SECRET);
    for (const cookie of [undefined, bob.cookie, carol.cookie]) {
      expect((await send("/u/pmalice", { cookie })).text).not.toMatch(SECRET);
    }
    const notices = await db.select({ text: notifications.text }).from(notifications).where(isNull(notifications.postId));
    expect(JSON.stringify(notices)).not.toMatch(SECRET);
    // Carol's pages name nothing of it.
    for (const path of ["/messages", "/notifications"]) expect((await send(path, { cookie: carol.cookie })).text).not.toContain(`/messages/${conversationId}`);
  });
});
