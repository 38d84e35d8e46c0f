import type { Browser, Page } from "@playwright/test";
import { checkA11y, expect, logIn, signUp, test, uniqueName } from "./fixtures.ts";

// Reactions, follows and notifications, profiles, settings and muting, as members use them;
// every test runs with JavaScript on (project "js") and off ("nojs").

const PASSWORD = "stretch before bed";

/** Signs up; the fixture also accepts the community guidelines, which a first post needs. */
async function join(page: Page, username: string) {
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
}

/** A second member in their own browser context (same JS setting as the test's page). */
async function otherMember(browser: Browser, baseURL: string | undefined, javaScriptEnabled: boolean, prefix: string) {
  const context = await browser.newContext({ baseURL, javaScriptEnabled });
  const page = await context.newPage();
  const username = uniqueName(prefix);
  await join(page, username);
  return { page, username, close: () => context.close() };
}

async function startThread(page: Page, title: string, body: string) {
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill(body);
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return page.url();
}

async function reply(page: Page, text: string) {
  await page.getByLabel("Your reply").fill(text);
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText(text)).toBeVisible();
}

test("react to someone's post, and take it back", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const author = await otherMember(browser, baseURL, javaScriptEnabled, "author");
  const title = `Magnesium at night ${author.username}`;
  const threadUrl = await startThread(author.page, title, "Has anyone tried magnesium for calf cramps?");
  // No reaction buttons on one's own post.
  await expect(author.page.getByRole("group", { name: "Reactions to post 1" })).toHaveCount(0);
  await author.close();

  const me = uniqueName("reader");
  await join(page, me);
  await page.goto(threadUrl);
  const reactions = page.getByRole("group", { name: "Reactions to post 1" });
  const helpful = reactions.getByRole("button", { name: /^Helpful/ });
  await expect(helpful).toHaveAttribute("aria-pressed", "false");
  await expect(helpful).toHaveText("Helpful 0");
  await checkA11y(page, "thread with reaction buttons");

  await helpful.click();
  await expect(helpful).toHaveAttribute("aria-pressed", "true");
  await expect(helpful).toHaveText("Helpful 1");
  await expect(page).toHaveURL(/\/threads\/\d+\?page=1#post-\d+$/);
  await reactions.getByRole("button", { name: /^Sending support/ }).click();
  await expect(reactions.getByRole("button", { name: /^Sending support/ })).toHaveText("Sending support 1");
  await checkA11y(page, "thread after reacting");

  await helpful.click();
  await expect(helpful).toHaveAttribute("aria-pressed", "false");
  await expect(helpful).toHaveText("Helpful 0");
  await expect(reactions.getByRole("button", { name: /^Sending support/ })).toHaveAttribute("aria-pressed", "true");
});

test("follow a thread, another member replies, the notification lands on that reply", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const op = await otherMember(browser, baseURL, javaScriptEnabled, "op");
  const title = `Spasms after physio ${op.username}`;
  const threadUrl = await startThread(op.page, title, "My legs jump for an hour after every session.");
  await op.close();

  const me = uniqueName("follower");
  await join(page, me);
  await page.goto(threadUrl);
  await page.getByRole("button", { name: "Follow thread" }).click();
  await expect(page.getByRole("button", { name: "Unfollow thread" })).toBeVisible();
  await expect(page.getByText("You're following")).toBeVisible();
  await checkA11y(page, "thread, following");
  await page.goto("/notifications");
  await expect(page.getByText("You're all caught up.")).toBeVisible();
  await checkA11y(page, "empty notifications");

  const helper = await otherMember(browser, baseURL, javaScriptEnabled, "helper");
  await helper.page.goto(threadUrl);
  await reply(helper.page, `Warm bath afterwards helps me, @${me}.`);
  const replyId = await helper.page.locator(".post").last().getAttribute("id");
  await helper.close();

  // The board list marks the thread (read before) as having one new reply, linking to it.
  await page.goto("/boards/night-leg-cramps");
  const card = page.locator(".thread-list li", { has: page.getByRole("link", { name: title }) });
  await expect(card.getByText("1 new reply")).toBeVisible();
  await expect(card.getByRole("link", { name: title })).toHaveAttribute("href", new RegExp(`\\?page=1#${replyId}$`));
  await checkA11y(page, "board with an unread marker");

  await page.goto("/");
  // The header shows the unread count (the exact wording is the header's).
  await expect(page.getByRole("link", { name: /^Notifications\b.*\b1 unread/ })).toBeVisible();
  await page.getByRole("link", { name: /^Notifications/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Notifications" })).toBeVisible();
  await expect(page.getByText("1 unread notification.")).toBeVisible();
  await checkA11y(page, "notifications");
  // A mention and a reply in a followed thread are one event: one notification, as a mention.
  await expect(page.locator(".notification")).toHaveCount(1);
  await page.getByRole("button", { name: `${helper.username} mentioned you in “${title}”`, exact: true }).click();

  await expect(page).toHaveURL(new RegExp(`/threads/\\d+\\?page=1#${replyId}$`));
  await expect(page.locator(`#${replyId}`)).toContainText("Warm bath afterwards helps me");
  await expect(page.getByRole("link", { name: /^Notifications/ })).not.toContainText("unread");
  await page.goto("/notifications");
  await expect(page.getByText("You're all caught up.")).toBeVisible();
});

test("a profile with bio and conditions; each shown to whom the member chooses", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const me = uniqueName("profile");
  await join(page, me);
  await startThread(page, `Night cramps diary ${me}`, "Week one: **three** cramps.");

  await page.goto("/settings");
  await page.getByLabel("Short bio (optional)").fill("Runner, *night cramps* since 2019.");
  await page.getByLabel("Night & leg cramps").check();
  await page.getByRole("group", { name: "Who sees your bio" }).getByLabel("Logged-in members").check();
  await page.getByRole("group", { name: "Who sees your conditions" }).getByLabel("Only me").check();
  await expect(page.getByRole("group", { name: "Who sees when you joined" }).getByLabel("Everyone")).toBeChecked();
  await checkA11y(page, "settings with profile privacy choices");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Your profile is saved.")).toBeVisible();

  // The member sees everything, and who else sees each part.
  await page.goto(`/u/${me}`);
  await expect(page.getByRole("heading", { level: 1, name: me })).toBeVisible();
  await expect(page.locator(".prose em")).toHaveText("night cramps");
  await expect(page.getByRole("link", { name: "Night & leg cramps" })).toBeVisible();
  await expect(page.locator(".profile > .meta")).toContainText(/Joined \d+ \w+ \d{4} · 1 thread · 1 post/);
  await expect(page.getByText("1 thread · 1 post")).toBeVisible();
  await expect(page.getByRole("link", { name: `Night cramps diary ${me}` })).toBeVisible();
  await expect(page.getByText("Week one: three cramps.")).toBeVisible();
  await expect(page.getByText("Who sees your bio: logged-in members · your conditions: only you · when you joined: everyone.")).toBeVisible();
  await checkA11y(page, "own profile");
  await page.getByRole("link", { name: "Change who sees what" }).click();
  await expect(page).toHaveURL(/\/settings#profile$/);
  await expect(page.getByRole("group", { name: "Who sees your conditions" }).getByLabel("Only me")).toBeChecked();

  // Another member: the bio, not the conditions.
  const reader = await otherMember(browser, baseURL, javaScriptEnabled, "reader");
  await reader.page.goto(`/u/${me}`);
  await expect(reader.page.locator(".prose em")).toHaveText("night cramps");
  await expect(reader.page.locator(".profile > .meta")).toContainText("Joined");
  await expect(reader.page.getByRole("link", { name: "Night & leg cramps" })).toHaveCount(0);
  await expect(reader.page.getByText("Who sees your bio")).toHaveCount(0);
  await reader.close();

  // A visitor: name, join date, counts and posts only.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
  await page.goto(`/u/${me}`);
  await expect(page.getByRole("heading", { level: 1, name: me })).toBeVisible();
  await expect(page.locator(".profile > .meta")).toContainText("Joined");
  await expect(page.getByRole("link", { name: `Night cramps diary ${me}` })).toBeVisible();
  await expect(page.getByText("Runner,")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Night & leg cramps" })).toHaveCount(0);
  await checkA11y(page, "profile as a visitor, bio and conditions left out");
});

test("settings: appearance applies site-wide; a wrong current password is refused", async ({ page }) => {
  const me = uniqueName("settings");
  await join(page, me);
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  await checkA11y(page, "settings");

  await page.getByLabel("Dark").check();
  await page.getByLabel("Larger").check();
  await page.getByLabel("Reduce motion").check();
  await page.getByRole("button", { name: "Save appearance" }).click();
  await expect(page.getByText("Your appearance settings are saved.")).toBeVisible();
  await page.goto("/");
  const html = page.locator("html");
  await expect(html).toHaveAttribute("data-theme", "dark");
  await expect(html).toHaveAttribute("data-text-size", "larger");
  await expect(html).toHaveAttribute("data-reduced-motion", "");
  await expect(html).toHaveCSS("font-size", "20px");
  await checkA11y(page, "home in dark theme, larger text");

  await page.goto("/settings");
  await page.getByLabel("Current password").fill("not my password");
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("That isn't your current password.")).toBeVisible();
  await checkA11y(page, "settings with a password error");
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill("a brand new password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password is changed")).toBeVisible();
  await expect(page.getByLabel("Current password")).toHaveValue("");
  await expect(page.getByText("You aren't logged in anywhere else.")).toBeVisible();
});

test("settings: a refused time zone keeps every appearance choice, and the page opens at the error", async ({ page }) => {
  const me = uniqueName("keeper");
  await join(page, me);
  await page.goto("/settings");
  // A standalone link is a 44 px target too.
  const profileLink = page.getByRole("link", { name: "See your profile as others see it" });
  expect((await profileLink.boundingBox())!.height).toBeGreaterThanOrEqual(44);

  await page.getByLabel("Night from 22:00 to 06:00 in my time zone, my device's setting otherwise").check();
  await page.getByLabel("Larger").check();
  await page.getByLabel("Reduce motion").check();
  await page.getByLabel("Your time zone").fill("Chicago");
  await page.getByRole("button", { name: "Save appearance" }).click();

  const timeZone = page.getByLabel("Your time zone");
  const error = page.getByText("Choose a time zone from the list, e.g. Europe/London.");
  await expect(error).toBeVisible();
  await expect(page).toHaveURL(/#appearance$/);
  await expect(error).toBeInViewport();
  await expect(page.getByText("Not saved yet, and your choices are kept. Please check your time zone below.")).toBeInViewport();
  // Nothing the member chose or typed went back to what was saved.
  await expect(page.getByLabel("Night from 22:00 to 06:00 in my time zone, my device's setting otherwise")).toBeChecked();
  await expect(page.getByLabel("Larger")).toBeChecked();
  await expect(page.getByLabel("Reduce motion")).toBeChecked();
  await expect(timeZone).toHaveValue("Chicago");
  // The error belongs to the field it is about.
  await expect(timeZone).toHaveAttribute("aria-invalid", "true");
  await expect(timeZone).toHaveAccessibleDescription(/Choose a time zone from the list/);
  // Nothing was saved either.
  await expect(page.locator("html")).toHaveAttribute("data-text-size", "normal");
  await checkA11y(page, "settings with a time zone error");

  await timeZone.fill("America/Chicago");
  await page.getByRole("button", { name: "Save appearance" }).click();
  await expect(page.getByText("Your appearance settings are saved.")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-text-size", "larger");
  await expect(page.getByLabel("Your time zone")).toHaveValue("America/Chicago");
});

test("settings: tell your sessions apart and log out the one on another computer", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const me = uniqueName("devices");
  await join(page, me); // this page is Playwright's Chromium on Linux
  // The same member on a (pretend) library computer running Firefox on Windows.
  const library = await browser.newContext({
    baseURL,
    javaScriptEnabled,
    userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  });
  try {
    const elsewhere = await library.newPage();
    await logIn(elsewhere, me, PASSWORD);

    await page.goto("/settings");
    const section = page.getByRole("region", { name: "Where you're logged in" });
    const sessions = section.getByRole("listitem");
    await expect(sessions).toHaveCount(2);
    const here = sessions.filter({ hasText: "This device" });
    await expect(here).toContainText("Chrome on Linux");
    await expect(here).toContainText("Active now");
    await expect(here.getByRole("button")).toHaveCount(0);
    const there = sessions.filter({ hasText: "Firefox on Windows" });
    await expect(there).toContainText(/Signed in \d{1,2} \w{3} \d{4}/);
    await expect(there).toContainText("Last active");
    const logOutThere = there.getByRole("button", { name: /^Log out Firefox on Windows, signed in \d{1,2} \w{3} \d{4}, \d\d:\d\d UTC$/ });
    await expect(logOutThere).toBeVisible();
    const box = (await logOutThere.boundingBox())!;
    expect(box.width).toBeGreaterThanOrEqual(44);
    expect(box.height).toBeGreaterThanOrEqual(44);
    await checkA11y(page, "settings with two sessions");

    await logOutThere.click();
    await expect(section.getByText("That session is logged out.")).toBeVisible();
    await expect(sessions).toHaveCount(1);
    await expect(section.getByText("You aren't logged in anywhere else.")).toBeVisible();
    await checkA11y(page, "settings after logging a session out");

    // The library computer is logged out: its next page asks it to log in.
    await elsewhere.goto("/settings");
    await expect(elsewhere).toHaveURL((url) => url.pathname === "/login");
    await expect(elsewhere.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
    // And this device is still logged in.
    await page.goto("/settings");
    await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
  } finally {
    await library.close();
  }
});

test("mute a member: their posts collapse, and can be shown on request", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const loud = await otherMember(browser, baseURL, javaScriptEnabled, "loud");
  const threadUrl = await startThread(loud.page, `Loud opinions ${loud.username}`, "Everyone should just stretch more.");
  await loud.close();

  const me = uniqueName("muter");
  await join(page, me);
  await page.goto(threadUrl);
  await page.getByRole("link", { name: loud.username }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: loud.username })).toBeVisible();
  await page.getByRole("button", { name: `Mute ${loud.username}`, exact: true }).click();
  await expect(page.getByRole("button", { name: `Unmute ${loud.username}`, exact: true })).toBeVisible();
  await checkA11y(page, "profile of a muted member");

  await page.goto(threadUrl);
  const text = page.getByText("Everyone should just stretch more.");
  await expect(text).toBeHidden();
  await expect(page.getByText("Post by a muted member (show)")).toBeVisible();
  await checkA11y(page, "thread with a muted post");
  await page.getByText("Post by a muted member").click();
  await expect(text).toBeVisible();

  await page.goto(`/u/${loud.username}`);
  // exact: "Mute x" is also a substring of "Unmute x", which made this wait pass before the
  // unmute had happened.
  await page.getByRole("button", { name: `Unmute ${loud.username}`, exact: true }).click();
  await expect(page.getByRole("button", { name: `Mute ${loud.username}`, exact: true })).toBeVisible();
  await page.goto(threadUrl);
  await expect(page.getByText("Everyone should just stretch more.")).toBeVisible();
});

test("boards link their Atom feed, which lists new threads", async ({ page }) => {
  const me = uniqueName("feeder");
  await join(page, me);
  const title = `Feed me <cramps> & more ${me}`;
  await startThread(page, title, "Checking the feed.");
  await page.goto("/boards/night-leg-cramps");
  const alternate = page.locator('head link[rel="alternate"][type="application/atom+xml"]');
  await expect(alternate).toHaveAttribute("href", "/boards/night-leg-cramps/feed");
  const res = await page.request.get("/boards/night-leg-cramps/feed");
  expect(res.headers()["content-type"]).toBe("application/atom+xml; charset=utf-8");
  const xml = await res.text();
  expect(xml).toContain(`<title>${title.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")}</title>`);
  expect(xml).toMatch(/^<\?xml version="1.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
});
