// Drafts of private messages (docs/decisions/033): kept as the member types, and when the session
// ends mid-message; their writer's alone; named on /drafts only while the writer is in the
// conversation; gone once sent, or once the conversation is left. Every private word of a
// conversation starts with "zqpm", so one check finds any of them in a response.
import { and, eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { drafts, pendingDrafts, users } from "../db/schema.ts";
import { leaveConversation, startConversation } from "~/models/conversations.server.ts";
import { getDraft, listDrafts, messageDraftKey, newMessageDraftKey, parseDraftKey, saveDraft } from "~/models/drafts.server.ts";
import * as conversationRoute from "~/routes/messages.$conversationId.tsx";
import * as newConversation from "~/routes/messages.new.tsx";
import * as draftsPage from "~/routes/drafts.tsx";
import * as saveRoute from "~/routes/drafts.save.tsx";
import { BODY_MAX } from "~/utils/limits.ts";
import { MESSAGE_MAX } from "~/utils/messages.ts";
import { remixHandler } from "./document.ts";
import { call, createReply, createThread, keptTextCookie, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
const as = (m: M) => ({ id: m.id, role: m.role });
const SECRET = /zqpm/i;
const DAY = 86_400_000;

const page = remixHandler({
  "routes/messages.new": { path: "messages/new", module: newConversation },
  "routes/messages.$conversationId": { path: "messages/:conversationId", module: conversationRoute },
  "routes/drafts": { path: "drafts", module: draftsPage },
});

/** A member past the rule for starting conversations: an account over a week old with three posts up. */
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

let count = 0;
async function start(from: M, to: M[], subject = "zqpm a subject") {
  // A text of its own each time: the same one again would land on the conversation it started.
  const started = await startConversation(as(from), { to: to.map((m) => m.username), subject, body: `zqpm hello there (${++count})` });
  if (!started.ok) throw new Error(JSON.stringify(started.errors));
  return started.conversationId;
}

const rowsOf = (m: M) =>
  db
    .select({ key: drafts.key, title: drafts.title, body: drafts.body, recipients: drafts.recipients, warningKind: drafts.warningKind })
    .from(drafts)
    .where(eq(drafts.userId, m.id));
const autosave = (m: M | null, form: Record<string, string>) => call(saveRoute.action, "/drafts/save", { cookie: m?.cookie, form: { autosave: "1", ...form } });
const reply = (m: M | null, id: number, form: Record<string, string>) =>
  call(conversationRoute.action, `/messages/${id}`, { cookie: m?.cookie, params: { conversationId: String(id) }, form });
const conversationData = async (m: M, id: number) =>
  (await call(conversationRoute.loader, `/messages/${id}`, { cookie: m.cookie, params: { conversationId: String(id) } })).json();

/** Where a visitor's form sent them to log in: the page to come back to, with its ?restore= token. */
function backFromLogin(res: Response) {
  expect(res.status).toBe(302);
  const login = new URL(res.headers.get("Location")!, "http://localhost");
  expect(login.pathname).toBe("/login");
  return new URL(login.searchParams.get("redirectTo")!, "http://localhost");
}

let alice: M, bob: M, carol: M, eve: M;

beforeAll(async () => {
  [alice, bob, carol] = [await seasoned("mdalice"), await seasoned("mdbob"), await seasoned("mdcarol")];
  eve = await member("mdeve");
});

describe("message draft keys", () => {
  it("name a conversation's reply, or a new message (one per member written to from a profile), and nothing else", () => {
    expect(parseDraftKey(messageDraftKey(42))).toEqual({ kind: "message", conversationId: 42 });
    expect(newMessageDraftKey(null)).toBe("message:new");
    expect(newMessageDraftKey(" @MdBob ")).toBe("message:new:mdbob");
    // Several names, or what isn't one, is the plain form's draft.
    expect(newMessageDraftKey("mdbob, mdcarol")).toBe("message:new");
    expect(parseDraftKey("message:new:mdbob")).toEqual({ kind: "new-message", to: "mdbob" });
    for (const forged of [
      "message:0",
      "message:-1",
      "message:1 ",
      "message:01",
      "message:new:",
      "message:new:MdBob",
      "message:new:../x",
      "message:99999999999999999",
      "message:１",
    ]) {
      expect(parseDraftKey(forged), forged).toBeNull();
    }
  });
});

describe("saving message drafts", () => {
  it("keeps a reply and a new message as they are typed, for their writer alone", async () => {
    const id = await start(alice, [bob]);
    const saved = await autosave(alice, {
      key: messageDraftKey(id),
      body: "zqpm half a reply, 🙂 with e\u0301 and \u202Eodd\u202C marks",
      warningKind: "self-harm",
    });
    expect(await saved.json()).toEqual({ savedAt: expect.any(String) });
    // A message has no content warning; the text is kept exactly.
    expect(await rowsOf(alice)).toEqual([
      { key: messageDraftKey(id), title: null, body: "zqpm half a reply, 🙂 with e\u0301 and \u202Eodd\u202C marks", recipients: null, warningKind: null },
    ]);
    expect((await conversationData(alice, id)).draft).toMatchObject({ body: expect.stringContaining("zqpm half a reply") });
    expect((await conversationData(bob, id)).draft).toBeNull();
    expect(await listDrafts(as(bob))).toEqual([]);

    // A new message from bob's profile keeps its "To" and subject, apart from the plain form's draft.
    await autosave(alice, { key: newMessageDraftKey("mdbob"), to: "mdbob, mdcarol", subject: "About Tuesday", body: "Shall we meet?" });
    await autosave(alice, { key: newMessageDraftKey(null), to: "mdcarol", subject: "Other", body: "Something else" });
    const fromProfile = await (await call(newConversation.loader, "/messages/new?to=mdbob", { cookie: alice.cookie })).json();
    expect(fromProfile.draft).toMatchObject({ recipients: "mdbob, mdcarol", title: "About Tuesday", body: "Shall we meet?" });
    const html = (await page("/messages/new?to=mdbob", { cookie: alice.cookie })).text;
    expect(html).toContain("is back in the form below.");
    expect(html).toContain('value="mdbob, mdcarol"');
    expect(html).toContain('value="About Tuesday"');
    expect(html).toContain(">Shall we meet?</textarea>");
    const plain = await (await call(newConversation.loader, "/messages/new", { cookie: alice.cookie })).json();
    expect(plain.draft).toMatchObject({ recipients: "mdcarol", title: "Other", body: "Something else" });
  });

  it("refuses a draft for a conversation the member isn't in, the same way as for one that doesn't exist", async () => {
    const id = await start(alice, [bob]);
    for (const key of [messageDraftKey(id), messageDraftKey(987654), "message:new:../x", "message:0"]) {
      expect((await autosave(eve, { key, body: "eve's words" })).status, key).toBe(404);
    }
    await expect(saveDraft(as(eve), messageDraftKey(id), { body: "eve's words" })).rejects.toHaveProperty("status", 404);
    await leaveConversation(as(bob), id);
    expect((await autosave(bob, { key: messageDraftKey(id), body: "after leaving" })).status).toBe(404);
    expect(await rowsOf(eve)).toEqual([]);
    expect(await rowsOf(bob)).toEqual([]);
  });

  it("keeps to a message's own limits, before any other work", async () => {
    const id = await start(carol, [bob]);
    // Within a post's limit, over a message's: nothing is kept, and the form says why.
    const long = "y".repeat(MESSAGE_MAX + 1);
    expect(long.length).toBeLessThan(BODY_MAX);
    const refused = await autosave(carol, { key: messageDraftKey(id), body: long });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toMatch(/^Not saved\. This is too long: messages are at most 10,000 characters/);
    const button = await reply(carol, id, { intent: "draft", body: long });
    expect(button.status).toBe(400);
    expect((await button.json()).values.body).toBe(long);
    expect(await rowsOf(carol)).toEqual([]);

    // "Save draft" without JavaScript; an empty form keeps nothing.
    const saved = await reply(carol, id, { intent: "draft", body: "Kept by the button." });
    expect(await saved.json()).toMatchObject({ intent: "draft", draftSaved: expect.any(String), values: { body: "Kept by the button." } });
    expect(await getDraft(as(carol), messageDraftKey(id))).toMatchObject({ body: "Kept by the button." });
    expect(await (await reply(carol, id, { intent: "draft", body: "  " })).json()).toMatchObject({ draftSaved: "" });
    expect(await rowsOf(carol)).toEqual([]);
  });
});

describe("the drafts page", () => {
  it("names a conversation only for someone in it: a key for another's conversation, or one they left, reveals nothing", async () => {
    const id = await start(alice, [bob], "zqpm the subject nobody else may see");
    await saveDraft(as(alice), messageDraftKey(id), { body: "zqpm alice's reply" });
    const mine = (await listDrafts(as(alice))).filter((d) => d.key === messageDraftKey(id));
    expect(mine).toEqual([
      expect.objectContaining({ where: "Message in “zqpm the subject nobody else may see”", href: `/messages/${id}#reply-heading`, note: null }),
    ]);

    // Eve was never in it: text she left at its address while logged out becomes her draft, unnamed.
    const left = await reply(null, id, { intent: "send", body: "Words eve typed for a conversation she isn't in." });
    const back = backFromLogin(left);
    const claimed = await call(conversationRoute.loader, back.pathname + back.search, {
      cookie: `${eve.cookie}; ${keptTextCookie(left)}`,
      params: { conversationId: String(id) },
    });
    expect(claimed.headers.get("Location")).toBe(`/messages/${id}#reply-heading`);
    expect((await call(conversationRoute.loader, `/messages/${id}`, { cookie: eve.cookie, params: { conversationId: String(id) } })).status).toBe(404);
    // As is a row made up for a conversation that doesn't exist.
    await transaction((tx) => tx.insert(drafts).values({ userId: eve.id, key: messageDraftKey(987654), body: "Made up.", updatedAt: new Date(0) }));
    const hers = await listDrafts(as(eve));
    expect(hers.map((d) => [d.where, d.href, d.excerpt])).toEqual([
      ["A message in a conversation you're not in", null, "Words eve typed for a conversation she isn't in."],
      ["A message in a conversation you're not in", null, "Made up."],
    ]);
    const html = (await page("/drafts", { cookie: eve.cookie })).text;
    expect(html).toContain("You&#x27;re not in this conversation, so it can&#x27;t be opened. Your whole text is below so you can copy it.");
    expect(html).toContain("Words eve typed for a conversation she isn&#x27;t in.");
    expect(html).not.toMatch(SECRET);
    expect(html).not.toContain(`/messages/${id}`);

    // Bob left: his draft went with him, and text claimed afterwards isn't named either.
    await saveDraft(as(bob), messageDraftKey(id), { body: "Bob's unsent reply" });
    await leaveConversation(as(bob), id);
    expect(await rowsOf(bob)).toEqual([]);
    const bobLeft = await reply(null, id, { intent: "send", body: "Bob, after leaving" });
    const bobBack = backFromLogin(bobLeft);
    await call(conversationRoute.loader, bobBack.pathname + bobBack.search, {
      cookie: `${bob.cookie}; ${keptTextCookie(bobLeft)}`,
      params: { conversationId: String(id) },
    });
    expect((await listDrafts(as(bob))).map((d) => [d.where, d.href])).toEqual([["A message in a conversation you're not in", null]]);
    expect((await page("/drafts", { cookie: bob.cookie })).text).not.toMatch(SECRET);
    // Alice's draft is hers still.
    expect(await getDraft(as(alice), messageDraftKey(id))).toMatchObject({ body: "zqpm alice's reply" });
  });

  it("lists a new message with who it is to, and leads back to its form", async () => {
    const dora = await seasoned("mddora");
    await saveDraft(as(dora), newMessageDraftKey("mdbob"), { title: "Stretches", body: "Which ones help?", recipients: "mdbob" });
    const [item] = await listDrafts(as(dora));
    expect(item).toMatchObject({ where: "New message to mdbob", href: "/messages/new?to=mdbob", title: "Stretches", recipients: "mdbob" });
    const html = (await page("/drafts", { cookie: dora.cookie })).text;
    expect(html).toContain("To: mdbob");
    expect(html).toContain('href="/messages/new?to=mdbob"');
  });
});

describe("a message sent after the session ended", () => {
  it("is kept, and is back in the reply box after logging in, once", async () => {
    const id = await start(bob, [carol]);
    const text = "zqpm a long reply, typed slowly while the session ran out.";
    const sent = await reply(null, id, { intent: "send", body: text });
    const back = backFromLogin(sent);
    expect(back.pathname).toBe(`/messages/${id}`);
    const token = back.searchParams.get("restore")!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(await db.select({ key: pendingDrafts.key }).from(pendingDrafts).where(eq(pendingDrafts.body, text))).toEqual([{ key: messageDraftKey(id) }]);

    const claimed = await call(conversationRoute.loader, `/messages/${id}?restore=${token}`, {
      cookie: `${carol.cookie}; ${keptTextCookie(sent)}`,
      params: { conversationId: String(id) },
    });
    expect(claimed.headers.get("Location")).toBe(`/messages/${id}#reply-heading`);
    const html = (await page(`/messages/${id}`, { cookie: carol.cookie })).text;
    expect(html).toContain("is back in the form below.");
    expect(html).toContain(`>${text}</textarea>`);
    // Single use.
    await call(conversationRoute.loader, `/messages/${id}?restore=${token}`, {
      cookie: `${bob.cookie}; ${keptTextCookie(sent)}`,
      params: { conversationId: String(id) },
    });
    expect(await getDraft(as(bob), messageDraftKey(id))).toBeNull();

    // Sending it discards the draft.
    expect((await reply(carol, id, { intent: "send", body: text })).status).toBe(302);
    expect(await rowsOf(carol)).toEqual([]);
  });

  it("keeps a new message's recipients and subject too, back on the form it came from", async () => {
    const form = { intent: "send", to: "mdcarol", subject: "zqpm about sleep", body: "zqpm does magnesium help you?" };
    const res = await call(newConversation.action, "/messages/new?to=mdcarol", { form });
    const back = backFromLogin(res);
    expect([back.pathname, back.searchParams.get("to")]).toEqual(["/messages/new", "mdcarol"]);
    const claimed = await call(newConversation.loader, back.pathname + back.search, { cookie: `${alice.cookie}; ${keptTextCookie(res)}` });
    expect(claimed.headers.get("Location")).toBe("/messages/new?to=mdcarol");
    expect(await getDraft(as(alice), newMessageDraftKey("mdcarol"))).toMatchObject({
      recipients: "mdcarol",
      title: "zqpm about sleep",
      body: "zqpm does magnesium help you?",
    });
    const sent = await call(newConversation.action, "/messages/new?to=mdcarol", { cookie: alice.cookie, form });
    expect(sent.status).toBe(302);
    expect(await getDraft(as(alice), newMessageDraftKey("mdcarol"))).toBeNull();
  });

  it("is not kept over a message's limit: the visitor gets it whole, to copy", async () => {
    const before = (await db.select().from(pendingDrafts)).length;
    const long = "z".repeat(MESSAGE_MAX + 1);
    const res = await reply(null, 1, { intent: "send", body: long });
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.message).toMatch(/messages are at most 10,000 characters/);
    expect(body.notKept.body).toBe(long);
    expect((await db.select().from(pendingDrafts)).length).toBe(before);
  });
});

describe("sending and leaving", () => {
  it("discards the draft once a message is sent, and keeps it when the message is refused", async () => {
    const id = await start(carol, [alice]);
    await saveDraft(as(carol), messageDraftKey(id), { body: "Autosaved before sending." });
    expect((await reply(carol, id, { intent: "send", body: "Autosaved before sending, then finished." })).status).toBe(302);
    expect(await rowsOf(carol)).toEqual([]);

    // Alice leaves: nobody is left to write to, so carol's reply is refused and kept.
    await leaveConversation(as(alice), id);
    const refused = await reply(carol, id, { intent: "send", body: "zqpm words that must not vanish" });
    expect(refused.status).toBe(409);
    expect(await rowsOf(carol)).toEqual([expect.objectContaining({ key: messageDraftKey(id), body: "zqpm words that must not vanish" })]);
    const html = (await page(`/messages/${id}`, { cookie: carol.cookie })).text;
    expect(html).toContain("Everyone else has left this conversation");
    expect(html).toContain("Your text is kept as a draft");
    expect(html).toContain(">zqpm words that must not vanish</textarea>");

    // A new message refused for a wrong name keeps what was typed, "To" included.
    const wrong = { intent: "send", to: "mdbob, nosuchname", subject: "Hi", body: "Kept despite the typo." };
    expect((await call(newConversation.action, "/messages/new", { cookie: carol.cookie, form: wrong })).status).toBe(400);
    expect(await getDraft(as(carol), newMessageDraftKey(null))).toMatchObject({ recipients: "mdbob, nosuchname", title: "Hi", body: "Kept despite the typo." });
    const fixed = await call(newConversation.action, "/messages/new", { cookie: carol.cookie, form: { ...wrong, to: "mdbob" } });
    expect(fixed.status).toBe(302);
    expect(await getDraft(as(carol), newMessageDraftKey(null))).toBeNull();
  });

  it("keeps the text of someone who can't start conversations yet, and shows it where the form would be", async () => {
    const fay = await member("mdfay");
    const res = await call(newConversation.action, "/messages/new", {
      cookie: fay.cookie,
      form: { intent: "send", to: "mdbob", subject: "Hello", body: "Written too early." },
    });
    expect(res.status).toBe(403);
    const html = (await page("/messages/new", { cookie: fay.cookie })).text;
    expect(html).toContain("You can start conversations soon");
    expect(html).toContain(">Written too early.</textarea>");
  });

  it("discards only the leaver's draft when they leave", async () => {
    const id = await start(bob, [alice, carol]);
    await saveDraft(as(alice), messageDraftKey(id), { body: "Alice stays." });
    await saveDraft(as(carol), messageDraftKey(id), { body: "Carol goes." });
    const left = await reply(carol, id, { intent: "leave" });
    expect(left.headers.get("Location")).toBe("/messages?left=1");
    expect(
      await db
        .select()
        .from(drafts)
        .where(and(eq(drafts.userId, carol.id), eq(drafts.key, messageDraftKey(id)))),
    ).toEqual([]);
    expect(await getDraft(as(alice), messageDraftKey(id))).toMatchObject({ body: "Alice stays." });
  });
});
