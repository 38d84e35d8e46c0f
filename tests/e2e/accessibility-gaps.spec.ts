import type { Locator, Page } from "@playwright/test";
import { checkA11y, createAccount, expect, expectBigTarget, logIn, test, uniqueName } from "./fixtures.ts";

// Gaps an accessibility audit found: reaction counts read as a bare number, a signed-in header
// that filled a phone screen (and, with text at 200 %, broke "Notifications" and let the skip link
// show), pages wider than a phone with large text, and references with no way back to where they
// are cited.
// Every test runs with JavaScript on (project "js") and off ("nojs").

const PASSWORD = "cramps again at midnight";

async function newMember(page: Page, prefix: string, role: "member" | "moderator" = "member") {
  const username = uniqueName(prefix);
  await createAccount({ username, password: PASSWORD, role });
  await logIn(page, username, PASSWORD);
  return username;
}

test("reaction buttons and counts say what they count", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const context = await browser.newContext({ baseURL, javaScriptEnabled });
  const author = await context.newPage();
  const authorName = await newMember(author, "author");
  const title = `Cramps after swimming ${authorName}`;
  await author.goto("/boards/night-leg-cramps/new");
  await author.getByLabel("Title").fill(title);
  await author.getByLabel("Your post").fill("Anyone else get calf cramps after a swim?");
  await author.getByRole("button", { name: "Post thread" }).click();
  await expect(author.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadUrl = author.url();

  await newMember(page, "reader");
  await page.goto(threadUrl);
  const reactions = page.getByRole("group", { name: "Reactions to post 1" });
  // The name starts with the visible text ("Helpful 0"), so voice control finds it by what it shows.
  const helpful = reactions.getByRole("button", { name: /Helpful, / });
  await expect(helpful).toHaveAccessibleName("Helpful, 0 members");
  await expect(helpful).toHaveText("Helpful 0");
  await expect(helpful).toHaveAttribute("aria-pressed", "false");
  await expect(reactions.getByRole("button", { name: "Me too, 0 members", exact: true })).toBeVisible();
  await expect(reactions.getByRole("button", { name: "Sending support, 0 members", exact: true })).toBeVisible();
  await checkA11y(page, "reaction buttons");

  await helpful.click();
  await expect(helpful).toHaveAccessibleName("Helpful, 1 member");
  await expect(helpful).toHaveText("Helpful 1");
  await expect(helpful).toHaveAttribute("aria-pressed", "true");

  // The author cannot react to their own post: they see the counts, read out in words.
  await author.goto(threadUrl);
  const counts = author.getByRole("list", { name: "Reactions to post 1" });
  await expect(counts).toMatchAriaSnapshot(`
    - list "Reactions to post 1":
      - listitem: Helpful, 1 member
  `);
  await expect(counts).toContainText("Helpful 1");
  await checkA11y(author, "reaction counts");
  await context.close();
});

for (const role of ["member", "moderator"] as const) {
  test(`at 320×640 a signed-in ${role}'s header leaves the page in sight, and every control in it is reachable and big`, async ({ page }) => {
    await newMember(page, role === "member" ? "phone" : "phonemod", role);
    await page.setViewportSize({ width: 320, height: 640 });
    await page.goto("/");
    const header = page.locator("header.site-header");
    const menu = header.locator("summary", { hasText: "Menu" });

    // Measured at 113 px (349 px for a member, 401 for a moderator, before the menu).
    const box = (await header.boundingBox())!;
    expect(box.height, "header height at 320×640").toBeLessThanOrEqual(640 * 0.25);
    await expect(page.getByRole("heading", { level: 1 })).toBeInViewport({ ratio: 1 });
    await expect(header.getByRole("link", { name: /^Notifications/ })).toBeVisible();
    await expect(header.getByRole("button", { name: "Log out" })).toBeHidden();
    await checkA11y(page, `header at 320 px, menu closed (${role})`);

    // By keyboard: the skip link first, then the brand, Menu and Notifications.
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    expect(await tabThroughHeader(page, header)).toEqual(["Unclench", "Menu", "Notifications"]);

    // Menu opens from the keyboard; then everything is there, in the same order as on a wide screen.
    await page.goto("/");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await page.keyboard.press("Tab");
    await expect(menu).toBeFocused();
    await page.keyboard.press("Enter");
    await expect(header.getByRole("button", { name: "Log out" })).toBeVisible();
    await page.keyboard.press("Shift+Tab");
    await page.keyboard.press("Shift+Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    const staff = role === "moderator" ? ["Reports", "Reported messages", "Review", "Appeals", "Mod log", "Tags"] : [];
    const reached = await tabThroughHeader(page, header);
    expect(reached).toEqual([
      "Unclench",
      "Menu",
      "Articles",
      "Search the forum",
      "Search",
      ...staff,
      "Notifications",
      "Drafts",
      "Saved",
      "Signed in as",
      "Settings",
      "Log out",
    ]);
    await checkA11y(page, `header at 320 px, menu open (${role})`);

    // A wide screen keeps the full header and never shows Menu.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto("/");
    await expect(menu).toBeHidden();
    await expect(header.getByRole("button", { name: "Log out" })).toBeVisible();
    await expect(header.getByRole("link", { name: "Articles" })).toBeVisible();
  });
}

/**
 * Text at 200 % on a 320 px screen: the member's Larger setting (125 %) on a browser whose own
 * text size is at 160 % (Chrome's font-size setting, 26 px instead of 16). Logged out the site's
 * setting no longer applies, so the browser's text size alone makes up the 200 % there (32 px).
 */
async function browserTextSize(page: Page) {
  // The setting lasts as long as this session does.
  const cdp = await page.context().newCDPSession(page);
  return (px: number) => cdp.send("Page.setFontSizes", { fontSizes: { standard: px, fixed: Math.round((px * 13) / 16) } });
}

/** Nothing on the page is wider than the window, so it never scrolls sideways (WCAG 1.4.10). */
async function expectNoSidewaysScroll(page: Page, what: string) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth }));
  expect(scrollWidth, `${what}: page width in a ${innerWidth} px window`).toBeLessThanOrEqual(innerWidth);
}

test("at 320×640 with text at 200 %, no page scrolls sideways, Notifications stays whole and the skip link hides until focused", async ({ page }) => {
  await newMember(page, "bigtext");
  const title = "Gastrocnemius cramps after physiotherapy";
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("My calves knot up the night after every session. Does it settle?");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadUrl = page.url();
  await page.goto("/settings");
  await page.getByLabel("Larger").check();
  await page.getByRole("button", { name: "Save appearance" }).click();
  await expect(page.getByText("Your appearance settings are saved.")).toBeVisible();

  await page.setViewportSize({ width: 320, height: 640 });
  const setBrowserTextSize = await browserTextSize(page);
  await setBrowserTextSize(26);
  await page.goto("/");
  // 26 px × 1.25: 203 %.
  await expect(page.locator("html")).toHaveCSS("font-size", "32.5px");
  await expectNoSidewaysScroll(page, "home");

  // Measured before the fix: "Notification/s" on two lines, broken inside the word.
  const notifications = page.locator("header.site-header").getByRole("link", { name: "Notifications", exact: true });
  await expect(notifications).toBeInViewport({ ratio: 1 });
  const lines = await notifications.evaluate((link) => {
    const text = document.createRange();
    text.selectNodeContents(link);
    return text.getClientRects().length;
  });
  expect(lines, "lines the Notifications link takes").toBe(1);
  await expectBigTarget(notifications, "Notifications link");

  // Measured before the fix: its lower edge showed at the top of the page (bottom at 39 px).
  const skip = page.getByRole("link", { name: "Skip to content" });
  const hidden = (await skip.boundingBox())!;
  expect(hidden.y + hidden.height, "skip link's lower edge, before it has focus").toBeLessThanOrEqual(0);
  // Before the Tab: with focus the skip link covers the brand and Menu, as it is meant to.
  await checkA11y(page, "home at 320 px with text at 200 %");
  await page.keyboard.press("Tab");
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport({ ratio: 1 });
  await expectBigTarget(skip, "skip link with focus");

  // Before the fix every one of these was wider than the window (home 403 px, this board 395).
  for (const [path, what] of [
    ["/boards/night-leg-cramps", "board"],
    [threadUrl, "thread"],
    ["/settings", "settings"],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1 })).toBeInViewport();
    await expectNoSidewaysScroll(page, what);
  }

  await page.locator("header.site-header summary", { hasText: "Menu" }).click();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
  await setBrowserTextSize(32);
  await page.goto("/login");
  await expect(page.locator("html")).toHaveCSS("font-size", "32px");
  await expectNoSidewaysScroll(page, "login");
});

/**
 * Tabs on from the current focus until it leaves the header; checks each control it stops on
 * is at least 44×44 px and returns what it was (visible text, or a field's label), in order.
 */
async function tabThroughHeader(page: Page, header: Locator) {
  const reached: string[] = [];
  for (let i = 0; i < 30; i++) {
    await page.keyboard.press("Tab");
    const focused = header.locator(":focus");
    if ((await focused.count()) === 0) return reached;
    const text = ((await focused.textContent()) ?? "").replace(/\s+/g, " ").trim();
    const label = text || ((await focused.getAttribute("id")) === "site-search" ? "Search the forum" : "?");
    // Counts (unread, open) and the username vary: keep the words that name the control.
    const name = label
      .replace(/\s*\(.*\)$/, "")
      .replace(/^Signed in as.*/, "Signed in as")
      .replace(/[▾▴]/g, "")
      .trim();
    await expectBigTarget(focused, `header control "${name}"`);
    reached.push(name);
  }
  throw new Error("focus never left the header");
}

test("a citation leads to its reference, and the reference leads back to that citation", async ({ page }) => {
  // Seeded: reference 1 is cited twice, reference 2 once.
  await page.goto("/articles/ms-spasticity-and-spasms");
  const body = page.locator(".article-body");
  const references = page.getByRole("region", { name: "References" });

  await body.getByRole("link", { name: "[1]" }).nth(1).click();
  await expect(page).toHaveURL(/#ref-1$/);
  const first = references.getByRole("link", { name: "Back to citation 1 of reference 1", exact: true });
  const second = references.getByRole("link", { name: "Back to citation 2 of reference 1", exact: true });
  await expect(first).toHaveText("1");
  await expect(second).toHaveText("2");
  await expectBigTarget(first, "back-link 1 of reference 1");
  await expectBigTarget(second, "back-link 2 of reference 1");
  await checkA11y(page, "article at a reference");

  await second.click();
  await expect(page).toHaveURL(/#cite-1-2$/);
  const cited = page.locator("#cite-1-2");
  await expect(cited).toHaveText("[1]");
  await expect(cited).toBeInViewport();
  await expect(body.locator("a.cite:target")).toHaveAttribute("id", "cite-1-2");
  // Keyboard reading goes on from the citation: the next Tab reaches the link after it.
  await page.keyboard.press("Tab");
  await expect(page.locator(".article-body :focus")).toBeInViewport();

  // Once-cited: a single link, in words, by keyboard.
  await page.goto("/articles/ms-spasticity-and-spasms#ref-2");
  const back = references.getByRole("link", { name: "Back to citation of reference 2", exact: true });
  await expect(back).toHaveText("↩ Back to citation");
  await expectBigTarget(back, "back-link of reference 2");
  await back.focus();
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/#cite-2-1$/);
  await expect(page.locator("#cite-2-1")).toBeInViewport();
  await expect(body.locator("a.cite:target")).toHaveAttribute("id", "cite-2-1");
  await checkA11y(page, "article back at a citation");
});
