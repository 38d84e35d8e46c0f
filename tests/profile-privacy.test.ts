// Bio, conditions and join date each shown to everyone, to logged-in members, or to the member
// alone (users.*_visibility). A field someone may not see is absent from what the loader sends.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { db, transaction } from "../db/client.ts";
import { boards, userConditions, users, type Visibility } from "../db/schema.ts";
import * as settings from "~/routes/settings._index.tsx";
import * as settingsProfile from "~/routes/settings.profile.tsx";
import * as profile from "~/routes/u.$username.tsx";
import { remixHandler } from "./document.ts";
import { call, member } from "./helpers.ts";

type M = Awaited<ReturnType<typeof member>>;
type Choices = { bio: Visibility; conditions: Visibility; joined: Visibility };

const view = async (username: string, cookie?: string) =>
  (await (await call(profile.loader, `/u/${username}`, { cookie, params: { username } })).json()).profile;

const send = remixHandler({
  "routes/u.$username": { path: "u/:username", module: profile },
  "routes/settings._index": { path: "settings", module: settings },
  "routes/settings.profile": { path: "settings/profile", module: settingsProfile },
});

/** A member with a bio naming them, fibromyalgia as their condition, and these choices. */
async function owner(choices: Choices) {
  const m = await member();
  const [fibro] = await db.select({ id: boards.id }).from(boards).where(eq(boards.slug, "fibromyalgia"));
  await transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        bioMarkdown: `Bio of ${m.username}`,
        bioHtml: `<p>Bio of ${m.username}</p>`,
        bioVisibility: choices.bio,
        conditionsVisibility: choices.conditions,
        joinedVisibility: choices.joined,
      })
      .where(eq(users.id, m.id));
    await tx.insert(userConditions).values({ userId: m.id, boardId: fibro!.id });
  });
  return m;
}

describe("who sees each part of a profile", () => {
  // Three owners whose choices rotate, so every field meets every choice, each beside the other two.
  const rotations: Choices[] = [
    { bio: "everyone", conditions: "members", joined: "nobody" },
    { bio: "members", conditions: "nobody", joined: "everyone" },
    { bio: "nobody", conditions: "everyone", joined: "members" },
  ];
  let reader: M;
  let moderator: M;
  beforeAll(async () => {
    reader = await member();
    moderator = await member(undefined, "moderator");
  });

  const seen: Record<"visitor" | "member" | "moderator" | "self", Visibility[]> = {
    visitor: ["everyone"],
    member: ["everyone", "members"],
    // "Only me" means only the member: moderators see what any member sees.
    moderator: ["everyone", "members"],
    self: ["everyone", "members", "nobody"],
  };

  for (const choices of rotations) {
    it(`bio ${choices.bio}, conditions ${choices.conditions}, joined ${choices.joined}`, async () => {
      const m = await owner(choices);
      const cookies = { visitor: undefined, member: reader.cookie, moderator: moderator.cookie, self: m.cookie };
      for (const [who, cookie] of Object.entries(cookies) as [keyof typeof seen, string | undefined][]) {
        const p = await view(m.username, cookie);
        const may = (field: keyof Choices) => seen[who].includes(choices[field]);
        const text = JSON.stringify(p);
        // Always there: name, counts, recent posts.
        expect(p, who).toMatchObject({ username: m.username, threadCount: 0, postCount: 0, recentPosts: [], isSelf: who === "self" });
        if (may("bio")) expect(p.bioHtml, who).toBe(`<p>Bio of ${m.username}</p>`);
        else expect([who, "bioHtml" in p, text.includes("Bio of")]).toEqual([who, false, false]);
        if (may("conditions")) expect(p.conditions, who).toEqual([{ slug: "fibromyalgia", name: "Fibromyalgia" }]);
        else expect([who, "conditions" in p, text.includes("ibromyalgia")]).toEqual([who, false, false]);
        if (may("joined")) expect(new Date(p.joinedAt).getTime(), who).toBeGreaterThan(Date.now() - 60_000);
        else expect([who, "joinedAt" in p]).toEqual([who, false]);
        // Only the member is told their own choices.
        if (who === "self") expect(p.visibility).toEqual(choices);
        else expect([who, "visibility" in p]).toEqual([who, false]);
      }
    });
  }

  it("leaves hidden fields out of a visitor's page and of its ?_data, and tells the member who sees what", async () => {
    const m = await owner({ bio: "members", conditions: "nobody", joined: "nobody" });
    const page = await send(`/u/${m.username}`);
    expect(page.response.status).toBe(200);
    expect(page.text).toContain(`<h1>${m.username}</h1>`);
    expect(page.text).toContain("0 threads · 0 posts");
    for (const hidden of ["Bio of", "Fibromyalgia", "Joined", "About"]) expect(page.text).not.toContain(hidden);
    const data = await send(`/u/${m.username}?_data=routes%2Fu.%24username`);
    expect(data.response.status).toBe(200);
    expect(data.text).not.toContain("Bio of");
    expect(data.text).not.toContain("ibromyalgia");
    expect(JSON.parse(data.text).profile).not.toHaveProperty("joinedAt");

    const asMember = await send(`/u/${m.username}`, { cookie: (await member()).cookie });
    expect(asMember.text).toContain(`<p>Bio of ${m.username}</p>`);
    expect(asMember.text).not.toContain("Fibromyalgia");
    expect(asMember.text).not.toContain("Who sees your bio");

    const own = await send(`/u/${m.username}`, { cookie: m.cookie });
    expect(own.text).toContain("Fibromyalgia");
    expect(own.text).toMatch(/Joined <time/);
    expect(own.text).toContain("Who sees your bio: logged-in members · your conditions: only you · when you joined: only you.");
    expect(own.text).toMatch(/<a [^>]*href="\/settings#profile"[^>]*>Change who sees what<\/a>/);
  });
});

describe("the profile form's privacy choices", () => {
  const choices = { bioVisibility: "nobody", conditionsVisibility: "members", joinedVisibility: "everyone" };

  it("saves the three choices, which the settings page then shows", async () => {
    const me = await member();
    const res = await call(settingsProfile.action, "/settings/profile", { cookie: me.cookie, form: { bio: "", ...choices } });
    expect(res.status).toBe(302);
    const [row] = await db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ bioVisibility: "nobody", conditionsVisibility: "members", joinedVisibility: "everyone" });
    const { text } = await send("/settings", { cookie: me.cookie });
    for (const legend of ["Who sees your bio", "Who sees your conditions", "Who sees when you joined"]) expect(text).toContain(`<legend>${legend}</legend>`);
    expect(text).toMatch(/<input type="radio" id="bioVisibility-nobody"[^>]*checked=""/);
    expect(text).toMatch(/<input type="radio" id="conditionsVisibility-members"[^>]*checked=""/);
    expect(text).toMatch(/<input type="radio" id="joinedVisibility-everyone"[^>]*checked=""/);
    expect(text).toContain('<label for="bioVisibility-members">Logged-in members</label>');
    expect(text).toContain('<label for="bioVisibility-nobody">Only me</label>');
  });

  it("keeps the choices on a refused save without JavaScript, saving none of them", async () => {
    const me = await member();
    const { response, text } = await send("/settings/profile", { cookie: me.cookie, form: { bio: "x".repeat(1001), ...choices } });
    expect(response.status).toBe(400);
    expect(text).toContain("Your bio can be at most 1,000 characters.");
    expect(text).toMatch(/<input type="radio" id="bioVisibility-nobody"[^>]*checked=""/);
    expect(text).toMatch(/<input type="radio" id="conditionsVisibility-members"[^>]*checked=""/);
    const [row] = await db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ bioVisibility: "everyone", conditionsVisibility: "everyone", joinedVisibility: "everyone" });
  });

  it("refuses a missing or made-up choice, with a message beside it", async () => {
    const me = await member();
    const res = await call(settingsProfile.action, "/settings/profile", {
      cookie: me.cookie,
      form: { bio: "Hi", bioVisibility: "moderators", conditionsVisibility: "members" },
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors).toEqual({ bioVisibility: "Choose who sees your bio.", joinedVisibility: "Choose who sees when you joined." });
    const [row] = await db.select().from(users).where(eq(users.id, me.id));
    expect(row).toMatchObject({ bioMarkdown: null, bioVisibility: "everyone", conditionsVisibility: "everyone" });
  });
});
