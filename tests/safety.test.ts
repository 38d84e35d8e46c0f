import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { posts, reports, users } from "../db/schema.ts";
import { createReply, createThread } from "./helpers.ts";
import { hasAcceptedGuidelines } from "~/models/guidelines.server.ts";
import { AT_RISK_NOTE, checkNewPost, flagAtRisk, hasRecentRiskFlag, isNewMember } from "~/models/safety.server.ts";
import * as guidelines from "~/routes/guidelines.tsx";
import * as accept from "~/routes/guidelines.accept.tsx";
import { countLinks, detectDosingAdvice, detectRisk, isHoneypotFilled } from "~/utils/safety.server.ts";
import { normalizeForMatching } from "~/utils/safety-phrases.ts";
import { renderToStaticMarkup } from "react-dom/server";
import { createElement } from "react";
import { CrisisPanel } from "~/components/crisis-panel.tsx";
import { DosingNudge } from "~/components/dosing-nudge.tsx";
import { call, member } from "./helpers.ts";

// Hits: ways members might tell us they are thinking about suicide or self-harm.
export const RISK_EXAMPLES = [
  "I want to kill myself.",
  "Honestly some nights I think about killing myself",
  "I've been feeling suicidal since the flare started",
  "I'm having suicidal thoughts again",
  "I just want to die. The pain never stops",
  "the pain makes me want to die",
  "Sometimes I wish I was dead",
  "I wish I were dead most mornings",
  "Everyone would be better off without me",
  "I'd be better off dead",
  "I don't want to be alive anymore",
  "dont want to live anymore",
  "I'm thinking of ending it all",
  "I want to end my life",
  "I've thought about taking my own life",
  "There's no reason to go on… no point in living like this",
  "Life isn't worth living with this pain",
  "I have started self-harming again",
  "I self harm when it gets bad",
  "I've been cutting myself",
  "I hurt myself on purpose last night",
  "I've been stockpiling my pills",
  "I could just take all my pills at once",
  "Thinking about swallowing the whole bottle",
  "I want to go to sleep and never wake up",
  "I hope I don't wake up tomorrow.",
  "I want to unalive myself",
  // Formatting and curly quotes do not hide it.
  "I **really** want to *die*",
  "I don\u2019t want to be here anymore",
];

// Near-misses: everyday pain talk that must not trigger the panel.
export const NOT_RISK_EXAMPLES = [
  "This cramp is killing me",
  "My calves are killing me tonight",
  "I could kill for a good night's sleep",
  "I'm dying to try the new stretch routine",
  "I nearly killed myself tripping over the cat during a spasm",
  "I'm killing myself trying to keep up with work",
  "I'll kill myself laughing if this actually works",
  "Took the suicide lane on the way to the clinic",
  "My old car had suicide doors, a nightmare with stiff legs",
  "The leaflet lists suicidal thoughts as a rare side effect, anyone had that? I haven't",
  "I keep cutting myself shaving because my hands shake",
  "I cut myself on the knife when my hand spasmed",
  "I hurt myself when I fell during a spasm",
  "I hope I don't wake up with cramps again",
  "I fall asleep and never wake up until noon on baclofen",
  "I don't want to die from this disease, I want to live well",
  "I wanted to die of embarrassment when my leg locked in the shop",
  "I'm taking my life back from fibro, one day at a time",
  "The dead leg feeling is the worst",
  "I'm dead tired after a night of spasms",
  "Put me out of my misery, these night cramps! (joking)",
  "I want to wake up without pain for once",
  // Someone else's words in a quote were checked when they posted.
  "> I want to die\n\nI'm so sorry you feel this way, please reach out to a helpline",
];

describe("detectRisk", () => {
  it.each(RISK_EXAMPLES)("flags %j", (text) => {
    expect(detectRisk(text)).toBe(true);
  });

  it.each(NOT_RISK_EXAMPLES)("does not flag %j", (text) => {
    expect(detectRisk(text)).toBe(false);
  });

  it("still flags a post that has a near-miss AND a real hit", () => {
    expect(detectRisk("This cramp is killing me. Honestly I want to die.")).toBe(true);
  });

  it("reads a link's text as text, and brackets that make no link as they are", () => {
    expect(normalizeForMatching("Read [this *thread*](https://example.org/t) first")).toBe("read this thread first");
    expect(normalizeForMatching("[a [b](c) and [[d] e](f) and [no link] (here) and [open](no close")).toBe(
      "a [b and [[d] e](f) and [no link] (here) and [open](no close",
    );
    expect(detectRisk("[I want to die](https://example.org)")).toBe(true);
    expect(detectRisk("I [nearly killed myself](https://example.org/cat) tripping over the cat")).toBe(false);
    expect(detectRisk(`${"[".repeat(20_000)} I want to die`)).toBe(true);
    expect(detectDosingAdvice("[You should take](https://example.org) 400 mg.")).toBe(true);
  });
});

export const DOSING_EXAMPLES = [
  "You should take 20 mg.",
  "you need to up your baclofen to 30mg a day",
  "Just take 400mg magnesium before bed.",
  "Double your dose if it doesn't work.",
  "If I were you I'd go up to 600 mg of gabapentin.",
  "Have you tried 300 mg of magnesium?",
  "Try 2.5 mg of tizanidine at night.",
  "u should def try 2 tablets instead of one",
  "Tip: you can stop your meds once the cramps settle",
];

export const NOT_DOSING_EXAMPLES = [
  "I take 20 mg of baclofen at night and it helps.",
  "My neurologist started me on 10 mg.",
  "What worked for me was 300 mg magnesium glycinate.",
  "You should talk to your doctor about the dose.",
  "Should I take 20 mg or 10 mg?",
  "Did your doctor increase your dose?",
  "Try stretching for 10 minutes before bed.",
  "Take care of yourself, I've had 3 bad nights too.",
  "Take it from me, 20 mg did nothing for my cramps.",
  "If I were you I'd ask your neurologist about it.",
  "You should take a warm bath before bed.",
];

describe("detectDosingAdvice", () => {
  it.each(DOSING_EXAMPLES)("suggests rewording %j", (text) => {
    expect(detectDosingAdvice(text)).toBe(true);
  });

  it.each(NOT_DOSING_EXAMPLES)("leaves %j alone", (text) => {
    expect(detectDosingAdvice(text)).toBe(false);
  });
});

describe("countLinks", () => {
  it("counts each link a reader would see once, whatever the markdown form", () => {
    expect(countLinks("see https://a.example and www.b.example and [c](https://c.example) <https://d.example> ![pic](https://e.example/x.png)")).toBe(5);
    expect(countLinks("[https://a.example](https://a.example)")).toBe(1);
  });

  it("does not count URLs in code or links that are rendered as text", () => {
    expect(countLinks("`https://code.example` and [x](javascript:alert(1)) and plain text")).toBe(0);
  });
});

describe("honeypot", () => {
  it("is only filled in by bots", () => {
    expect(isHoneypotFilled({ username: "a" })).toBe(false);
    expect(isHoneypotFilled({ leave_blank: "" })).toBe(false);
    expect(isHoneypotFilled({ leave_blank: "http://spam.example" })).toBe(true);
  });
});

const THREE_LINKS = "My favourite resources: https://a.example, https://b.example and https://c.example";

function makeOld(userId: number) {
  return transaction((tx) =>
    tx
      .update(users)
      .set({ createdAt: new Date(Date.now() - 3 * 24 * 3_600_000) })
      .where(eq(users.id, userId)),
  );
}

describe("checkNewPost", () => {
  it("refuses a third link from a new member, with a message for the body field", async () => {
    const alice = await member();
    const check = await checkNewPost(alice, { body: THREE_LINKS });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors.body).toMatch(/up to 2 links.*has 3/);
    expect((await checkNewPost(alice, { body: "Two: https://a.example and https://b.example" })).ok).toBe(true);
  });

  it("counts a member as new for their first day, or until they have 3 posts", async () => {
    const bob = await member();
    expect(await isNewMember(bob.id)).toBe(true);
    await makeOld(bob.id);
    // Old account, but no posts yet: still new.
    expect(await isNewMember(bob.id)).toBe(true);
    expect((await checkNewPost(bob, { body: THREE_LINKS })).ok).toBe(false);
    const { threadId } = await createThread(bob, "fibromyalgia", { title: "Hello everyone", body: "First post" });
    await createReply(bob, threadId, "Second post");
    await createReply(bob, threadId, "Third post");
    expect(await isNewMember(bob.id)).toBe(false);
    expect((await checkNewPost(bob, { body: THREE_LINKS })).ok).toBe(true);
  });

  it("finds the same text by the same member within a minute, but not later or by someone else", async () => {
    const carol = await member();
    const dave = await member();
    const { threadId, postId } = await createThread(carol, "night-leg-cramps", { title: "Tonic water?", body: "Does tonic water help anyone?" });
    const again = await checkNewPost(carol, { body: "Does tonic water help anyone?" });
    expect(again).toEqual({ ok: true, duplicate: { postId, threadId, number: 1 }, atRisk: false });
    expect(await checkNewPost(carol, { body: "Does tonic water help anyone? Edited" })).toMatchObject({ duplicate: null });
    expect(await checkNewPost(dave, { body: "Does tonic water help anyone?" })).toMatchObject({ duplicate: null });
    const later = new Date(Date.now() + 61_000);
    expect(await checkNewPost(carol, { body: "Does tonic water help anyone?", now: later })).toMatchObject({ duplicate: null });
  });

  it("marks risk language and puts one at-risk report with no reporter in the queue", async () => {
    const erin = await member();
    const check = await checkNewPost(erin, { body: "Some nights I just want to die." });
    expect(check).toMatchObject({ ok: true, atRisk: true, duplicate: null });
    const { postId } = await createThread(erin, "fibromyalgia", { title: "Bad night", body: "Some nights I just want to die." });
    await transaction((tx) => flagAtRisk(tx, postId));
    await transaction((tx) => flagAtRisk(tx, postId));
    const rows = await db.select().from(reports).where(eq(reports.postId, postId));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ reporterId: null, reason: "at-risk", status: "open", note: AT_RISK_NOTE });
    // The crisis panel is for the author, shortly after posting.
    expect(await hasRecentRiskFlag(erin.id)).toBe(true);
    expect(await hasRecentRiskFlag(erin.id, 30 * 60_000, new Date(Date.now() + 31 * 60_000))).toBe(false);
    const other = await member();
    expect(await hasRecentRiskFlag(other.id)).toBe(false);
    // The post itself is published as usual.
    expect(await db.select({ removedAt: posts.removedAt }).from(posts).where(eq(posts.id, postId))).toEqual([{ removedAt: null }]);
  });

  it("does not mark everyday pain talk", async () => {
    const fay = await member();
    expect(await checkNewPost(fay, { body: "This cramp is killing me" })).toMatchObject({ atRisk: false });
    expect(
      await db
        .select()
        .from(reports)
        .where(and(eq(reports.reason, "at-risk"))),
    ).toHaveLength(1);
  });
});

describe("community guidelines", () => {
  it("shows the page to visitors without the accept button", async () => {
    const data = await (await call(guidelines.loader, "/guidelines")).json();
    expect(data).toMatchObject({ signedIn: false, acceptedAt: null });
  });

  it("records acceptance once and returns to a same-site page", async () => {
    const gina = await member();
    // member() accepts the guidelines for convenience; start this one from scratch.
    await transaction((tx) => tx.update(users).set({ guidelinesAcceptedAt: null }).where(eq(users.id, gina.id)));
    expect(await hasAcceptedGuidelines(gina.id)).toBe(false);
    expect((await (await call(guidelines.loader, "/guidelines", { cookie: gina.cookie })).json()).acceptedAt).toBeNull();

    const res = await call(accept.action, "/guidelines/accept", { cookie: gina.cookie, form: { redirectTo: "/threads/7?page=2" } });
    expect(res.status).toBe(302);
    // Back where they were, told to put the member in the form they came to write in.
    expect(res.headers.get("Location")).toBe("/threads/7?page=2&guidelines=accepted");
    expect(await hasAcceptedGuidelines(gina.id)).toBe(true);
    const acceptedAt = async () => (await db.select({ at: users.guidelinesAcceptedAt }).from(users).where(eq(users.id, gina.id)))[0]!.at;
    const first = await acceptedAt();

    await new Promise((r) => setTimeout(r, 5));
    await call(accept.action, "/guidelines/accept", { cookie: gina.cookie, form: { redirectTo: "/" } });
    expect(await acceptedAt()).toEqual(first);
    expect((await (await call(guidelines.loader, "/guidelines", { cookie: gina.cookie })).json()).acceptedAt).toBeTruthy();
  });

  it("never redirects off-site and sends visitors to log in", async () => {
    const hal = await member();
    const res = await call(accept.action, "/guidelines/accept", { cookie: hal.cookie, form: { redirectTo: "//evil.example/x" } });
    expect(res.headers.get("Location")).toBe("/guidelines?guidelines=accepted");
    const fragment = await call(accept.action, "/guidelines/accept", { cookie: hal.cookie, form: { redirectTo: "/threads/3#reply-heading" } });
    // The reply box takes the focus instead of the fragment (a fragment would stop autofocus).
    expect(fragment.headers.get("Location")).toBe("/threads/3?guidelines=accepted");
    const visitor = await call(accept.action, "/guidelines/accept", { form: { redirectTo: "/boards/fibromyalgia/new" } });
    expect(visitor.status).toBe(302);
    expect(visitor.headers.get("Location")).toBe("/login?redirectTo=%2Fboards%2Ffibromyalgia%2Fnew");
  });

  it("answers a GET on the accept address with the guidelines page, changing nothing", async () => {
    const res = await call(accept.loader, "/guidelines/accept");
    expect(res.headers.get("Location")).toBe("/guidelines");
  });
});

describe("what the author sees", () => {
  it("the crisis panel gives emergency numbers, a helpline finder and says a moderator may check in", () => {
    const html = renderToStaticMarkup(createElement(CrisisPanel));
    for (const text of ["<strong>112</strong>", "<strong>911</strong>", "<strong>999</strong>", "local emergency number", "A moderator may check in"]) {
      expect(html).toContain(text);
    }
    expect(html).toContain('href="https://findahelpline.com"');
    expect(html).toMatch(/<h2 id="crisis-panel-heading">/);
    expect(renderToStaticMarkup(createElement(CrisisPanel, { headingLevel: 3 }))).toMatch(/<h3 id="crisis-panel-heading">/);
  });

  it("the dosing nudge suggests sharing what worked, and says the post can still go ahead", () => {
    const html = renderToStaticMarkup(createElement(DosingNudge));
    expect(html).toContain("what worked <em>for us</em>");
    expect(html).toContain("You can still post it as it is.");
  });
});
