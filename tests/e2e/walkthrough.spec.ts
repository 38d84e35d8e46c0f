import type { Locator, Page } from "@playwright/test";
import { checkA11y, createAccount, expect, expectBigTarget, logIn, logOut, postThread, signUp, test, uniqueName } from "./fixtures.ts";

// What a walkthrough as a new member with shaking hands found: targets too small to hit, and
// names that did not say what a control does. Every test runs with JavaScript on and off.

const PASSWORD = "cramps again at midnight";

/** A member with a three-letter name, the kind whose author link was 34 px wide. */
async function shortNamedMember() {
  for (let attempt = 0; ; attempt++) {
    const username = `b${Math.random().toString(36).slice(2, 4).padEnd(2, "0")}`;
    try {
      await createAccount({ username, password: PASSWORD });
      return username;
    } catch (error) {
      if (attempt === 5) throw error; // taken by another run's short name
    }
  }
}

/** Two targets at least `gap` px apart, across or down (WCAG 2.5.8 asks for room around small ones). */
async function expectApart(a: Locator, b: Locator, gap: number, what: string) {
  const [x, y] = [(await a.boundingBox())!, (await b.boundingBox())!];
  const across = Math.max(y.x - (x.x + x.width), x.x - (y.x + y.width));
  const down = Math.max(y.y - (x.y + x.height), x.y - (y.y + y.height));
  expect(Math.max(across, down), `${what}: px between them`).toBeGreaterThanOrEqual(gap);
}

async function threadBy(page: Page, username: string) {
  await logIn(page, username, PASSWORD);
  return postThread(page, "night-leg-cramps", `Short names ${uniqueName("t")}`, "Calf cramps at 3 am again.");
}

test("a short author name, the footer links on a phone and a draft's heading are whole targets, apart", async ({ page }) => {
  const username = await shortNamedMember();
  const threadUrl = await threadBy(page, username);
  await page.setViewportSize({ width: 320, height: 640 });
  await page.goto(threadUrl);
  await expectBigTarget(page.locator(".post-header").getByRole("link", { name: username, exact: true }), `author link "${username}"`);

  const footer = page.locator("footer.site-footer");
  const links = [
    footer.getByRole("link", { name: "findahelpline.com" }),
    footer.getByRole("link", { name: "Community guidelines" }),
    footer.getByRole("link", { name: "Transparency log" }),
    footer.getByRole("link", { name: "Evidence library" }),
  ];
  for (const link of links) await expectBigTarget(link, `footer link "${await link.textContent()}"`);
  for (let i = 1; i < links.length; i++) await expectApart(links[i - 1]!, links[i]!, 8, `footer links ${i} and ${i + 1}`);
  await checkA11y(page, "thread at 320 px");

  await page.goto(threadUrl);
  await page.getByLabel("Your reply").fill("Half a reply, kept for later.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft saved." })).toBeVisible();
  await page.goto("/drafts");
  const heading = page.getByRole("heading", { level: 2 }).getByRole("link");
  await expectBigTarget(heading, "the draft's heading link");
  await checkA11y(page, "drafts at 320 px");
});

test("Save for later says what it keeps, and opening a notification looks like the button it is", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const author = uniqueName("asker");
  await createAccount({ username: author, password: PASSWORD });
  const threadUrl = await threadBy(page, author);

  const context = await browser.newContext({ baseURL, javaScriptEnabled });
  const other = await context.newPage();
  const replier = uniqueName("replier");
  await createAccount({ username: replier, password: PASSWORD });
  await logIn(other, replier, PASSWORD);
  await other.goto(threadUrl);
  const save = other.getByRole("button", { name: "Save for later (post 1)", exact: true });
  await expect(save).toHaveAttribute("aria-pressed", "false");
  await save.click();
  await expect(other.getByRole("button", { name: "Saved for later (post 1)", exact: true })).toHaveAttribute("aria-pressed", "true");
  await other.getByLabel("Your reply").fill("Magnesium helped me a little.");
  await other.getByRole("button", { name: "Post reply" }).click();
  await expect(other.locator(".post").getByText("Magnesium helped me a little.")).toBeVisible();
  await context.close();

  await page.goto("/notifications");
  const open = page.getByRole("button", { name: new RegExp(`^${replier} replied in`) });
  await expect(open).toBeVisible();
  // A bordered box, not underlined text: it posts (marking the notification read) rather than links.
  await expect(open).not.toHaveCSS("border-top-width", "0px");
  await expect(open).not.toHaveCSS("text-decoration-line", "underline");
  await expectBigTarget(open, "the notification's button");
  await checkA11y(page, "notifications");
  await open.click();
  await expect(page.locator(".post").getByText("Magnesium helped me a little.")).toBeVisible();
});

const ACCEPT = "I've read these and I'll follow them";

test("after accepting the guidelines, what the member types lands in the form they came to write in", async ({ page }) => {
  const author = uniqueName("opener");
  await createAccount({ username: author, password: PASSWORD });
  const threadUrl = await threadBy(page, author);
  await logOut(page);

  const username = uniqueName("newcomer");
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD, acceptGuidelines: false });
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByRole("button", { name: ACCEPT }).click();
  await expect(page.getByLabel("Title")).toBeFocused();
  await page.keyboard.type("My first thread");
  await expect(page.getByLabel("Title")).toHaveValue("My first thread");
  await checkA11y(page, "new thread, just after accepting the guidelines");

  // The thread page's gate was already passed above; a second newcomer meets it there.
  await logOut(page);
  const second = uniqueName("replier");
  await signUp(page, { username: second, email: `${second}@example.org`, password: PASSWORD, acceptGuidelines: false });
  await page.goto(threadUrl);
  await page.getByRole("button", { name: ACCEPT }).click();
  await expect(page.getByLabel("Your reply")).toBeFocused();
  await page.keyboard.type("Hello from a newcomer");
  await expect(page.getByLabel("Your reply")).toHaveValue("Hello from a newcomer");
  await expect(page.getByLabel("Your reply")).toBeInViewport();
});

test("after a reaction, the member is back at the post they reacted to", async ({ page }) => {
  const author = uniqueName("longthread");
  await createAccount({ username: author, password: PASSWORD });
  const threadUrl = await threadBy(page, author);
  for (let i = 2; i <= 6; i++) {
    await page.getByLabel("Your reply").fill(`Reply number ${i}, long enough to take some room on the page.\n\n${"More about the cramps. ".repeat(20)}`);
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.locator(".post").getByText(`Reply number ${i},`)).toBeVisible();
  }
  await logOut(page);
  const reader = uniqueName("reader");
  await createAccount({ username: reader, password: PASSWORD });
  await logIn(page, reader, PASSWORD);
  await page.setViewportSize({ width: 390, height: 700 });
  await page.goto(threadUrl);
  const reactions = page.getByRole("group", { name: "Reactions to post 5" });
  await reactions.getByRole("button", { name: /^Helpful/ }).click();
  await expect(reactions.getByRole("button", { name: /^Helpful/ })).toHaveAttribute("aria-pressed", "true");
  await expect(reactions).toBeInViewport();
  // The next Tab goes on from that post, not from the skip link at the top of the page.
  await page.keyboard.press("Tab");
  await expect(page.locator("article").filter({ has: reactions }).locator(":focus")).toHaveCount(1);

  // Taking it back (which offers Undo) lands there too.
  await reactions.getByRole("button", { name: /^Helpful/ }).click();
  await expect(reactions.getByRole("button", { name: /^Helpful/ })).toHaveAttribute("aria-pressed", "false");
  await expect(reactions).toBeInViewport();
  await page.keyboard.press("Tab");
  await expect(page.locator("article").filter({ has: reactions }).locator(":focus")).toHaveCount(1);
});

test.describe("the welcome after sign-up", () => {
  test.use({ timezoneId: "America/Chicago" });

  test("says hello, sets text size, theme and time zone right there, and points to the guidelines and Introductions", async ({ page, javaScriptEnabled }) => {
    const username = uniqueName("hello");
    await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD, acceptGuidelines: false });
    await expect(page).toHaveURL((url) => url.pathname === "/welcome");
    await expect(page.getByRole("heading", { level: 1, name: `Welcome to Unclench, ${username}` })).toBeVisible();
    // With JavaScript the device's zone is offered; without, the field waits for one (empty is UTC).
    await expect(page.getByLabel("Your time zone")).toHaveValue(javaScriptEnabled ? "America/Chicago" : "");
    await checkA11y(page, "welcome");

    await page.getByLabel("Larger").check();
    await page.getByLabel("Night: warm and dim, low glare").check();
    await page.getByLabel("Your time zone").fill("Europe/Dublin");
    await page.getByRole("button", { name: "Save these" }).click();
    await expect(page.getByText("Saved. Every page looks like this now")).toBeVisible();
    await expect(page.locator("html")).toHaveAttribute("data-theme", "night");
    await expect(page.getByLabel("Your time zone")).toHaveValue("Europe/Dublin");
    await checkA11y(page, "welcome, saved, in the night theme");

    await page.getByRole("link", { name: "Say hello in Introductions" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Start a thread in Introductions" })).toBeVisible();
    await page.goBack();
    await page.getByRole("link", { name: "Read the community guidelines" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Community guidelines" })).toBeVisible();
  });

  test("a bad time zone is refused beside the field, with every choice kept", async ({ page }) => {
    const username = uniqueName("zone");
    await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
    await page.getByLabel("Large", { exact: true }).check();
    await page.getByLabel("Your time zone").fill("Atlantis/Capital");
    await page.getByRole("button", { name: "Save these" }).click();
    await expect(page.getByText("Choose a time zone from the list")).toBeVisible();
    await expect(page.getByLabel("Large", { exact: true })).toBeChecked();
    await expect(page.getByLabel("Your time zone")).toHaveValue("Atlantis/Capital");
    await checkA11y(page, "welcome with a refused time zone");
  });
});

test("Show password shows what was typed and hides it again; Enter still logs in", async ({ page }) => {
  const username = uniqueName("shaky");
  await createAccount({ username, password: PASSWORD });
  await page.goto("/login");
  await page.getByLabel("Username or email", { exact: true }).fill(username);
  const password = page.getByLabel("Password", { exact: true });
  await password.fill(PASSWORD);
  const show = page.getByRole("button", { name: "Show password" });
  await expect(show).toHaveAttribute("aria-pressed", "false");
  await show.click();
  await expect(show).toHaveAttribute("aria-pressed", "true");
  await expect(password).toHaveAttribute("type", "text");
  await expect(password).toHaveValue(PASSWORD);
  await expect(page.getByLabel("Username or email", { exact: true })).toHaveValue(username);
  await checkA11y(page, "log in, password shown");
  await show.click();
  await expect(password).toHaveAttribute("type", "password");
  await expect(password).toHaveValue(PASSWORD);
  await password.press("Enter");
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  await logOut(page);
  const newcomer = uniqueName("peek");
  await page.goto("/signup");
  await page.getByLabel("Username", { exact: true }).fill(newcomer);
  await page.getByLabel("Email", { exact: true }).fill(`${newcomer}@example.org`);
  await page.getByLabel("Password", { exact: true }).fill("legs that will not rest");
  await page.getByRole("button", { name: "Show password" }).click();
  await expect(page.getByLabel("Password", { exact: true })).toHaveAttribute("type", "text");
  await expect(page.getByLabel("Password", { exact: true })).toHaveValue("legs that will not rest");
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(`${newcomer}@example.org`);
  await checkA11y(page, "sign up, password shown");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Welcome to Unclench, ${newcomer}` })).toBeVisible();
});

test("Show password on the settings page shows both passwords as typed, and the change still works", async ({ page }) => {
  const username = uniqueName("changer");
  await createAccount({ username, password: PASSWORD });
  await logIn(page, username, PASSWORD);
  await page.goto("/settings");
  const section = page.getByRole("region", { name: "Password" });
  await section.getByLabel("Current password").fill(PASSWORD);
  await section.getByLabel("New password").fill("stretching slowly every night");
  await section.getByRole("button", { name: "Show password" }).click();
  await expect(section.getByRole("button", { name: "Show password" })).toHaveAttribute("aria-pressed", "true");
  await expect(section.getByLabel("Current password")).toHaveAttribute("type", "text");
  await expect(section.getByLabel("Current password")).toHaveValue(PASSWORD);
  await expect(section.getByLabel("New password")).toHaveValue("stretching slowly every night");
  await checkA11y(page, "settings, passwords shown");
  await section.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your password is changed")).toBeVisible();
  await logOut(page);
  await logIn(page, username, "stretching slowly every night");
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
});
