import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// The whole spine as a member and then a visitor would use it; runs with JS on and with it off.
test("sign up, start a thread, reply, edit, view history, log out, read as a visitor", async ({ page }) => {
  const username = uniqueName("journey");
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Boards" })).toBeVisible();
  await checkA11y(page, "home");

  await page.goto("/signup");
  await checkA11y(page, "sign up");
  // A common password is refused with a message beside the field; the username is kept.
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Email", { exact: true }).fill(`${username}@example.org`);
  await page.getByLabel("Password", { exact: true }).fill("password1");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("That password is one of the most common ones")).toBeVisible();
  await expect(page.getByLabel("Username", { exact: true })).toHaveValue(username);
  await checkA11y(page, "sign up with an error");
  await signUp(page, { username, email: `${username}@example.org`, password: "legs that will not rest", acceptGuidelines: false });
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();
  await expect(page.getByRole("heading", { level: 1, name: `Welcome to Unclench, ${username}` })).toBeVisible();
  await page.getByRole("link", { name: "Go to the boards" }).click();

  await page.getByRole("link", { name: "Night & leg cramps" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Night & leg cramps" })).toBeVisible();
  await checkA11y(page, "board");
  await page.getByRole("link", { name: "Start a thread" }).click();
  // Before a first post, the short guidelines are shown once and accepted.
  await expect(page.getByRole("heading", { name: "Before your first post" })).toBeVisible();
  await checkA11y(page, "guidelines gate");
  await page.getByRole("button", { name: "I've read these and I'll follow them" }).click();
  await expect(page.getByLabel("Your post")).toBeVisible();
  await checkA11y(page, "new thread");

  // A too-short title keeps the body; Preview renders it without posting.
  const title = `Stretch that helped ${username}`;
  await page.getByLabel("Title").fill("Hi");
  await page.getByLabel("Your post").fill("Standing calf stretch, **30 seconds**, before bed.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByText("Titles are at least 5 characters.")).toBeVisible();
  await expect(page.getByLabel("Your post")).toHaveValue("Standing calf stretch, **30 seconds**, before bed.");
  await page.getByLabel("Title").fill(title);
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("region", { name: "Preview" }).locator("strong")).toHaveText("30 seconds");
  await checkA11y(page, "new thread preview");
  await page.getByRole("button", { name: "Post thread" }).click();

  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".post strong").first()).toHaveText("30 seconds");
  // The permalink's name says what it shows (label in name, WCAG 2.5.3): "Post 1, written 21 Nov 2026, 12:25 UTC".
  const permalink = page.locator(".post .permalink").first();
  const shown = (await permalink.innerText()).trim();
  expect(shown).toMatch(/^\d{1,2} \w{3} \d{4}, \d{2}:\d{2} UTC$/);
  await expect(permalink).toHaveAccessibleName(`Post 1, written ${shown}`);
  await checkA11y(page, "thread");

  await page.getByLabel("Your reply").fill("Update: it worked again last night.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("Update: it worked again last night.")).toBeVisible();
  await expect(page.getByText("1 reply")).toBeVisible();
  await expect(page.getByLabel("Your reply")).toHaveValue("");

  await page.getByRole("link", { name: "Edit post 2" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit your post" })).toBeVisible();
  await checkA11y(page, "edit");
  await page.getByLabel("Your post").fill("Update: it worked again last night, and the night before.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("and the night before.")).toBeVisible();
  await page.getByRole("link", { name: "edited (the history of post 2)", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit history" })).toBeVisible();
  await expect(page.getByText("Update: it worked again last night.", { exact: true })).toBeVisible();
  await checkA11y(page, "history");

  await page.getByRole("link", { name: "Back to the thread" }).click();
  await expect(page).toHaveURL(/\/threads\/\d+/);
  const threadUrl = page.url();
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();

  await page.goto(threadUrl);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("and the night before.")).toBeVisible();
  await expect(page.getByLabel("Your reply")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Log in to reply" })).toBeVisible();
  await checkA11y(page, "thread as a visitor");
});

test("a visitor who logs in to reply comes back to the same thread page", async ({ page }) => {
  const author = uniqueName("author");
  await signUp(page, { username: author, email: `${author}@example.org`, password: "tight calves all week" });
  await page.goto("/boards/fibromyalgia/new");
  await page.getByLabel("Title").fill("Fibro fog and cramps together");
  await page.getByLabel("Your post").fill("Does anyone else get both at once?");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Fibro fog and cramps together" })).toBeVisible();
  const threadPath = new URL(page.url()).pathname;
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();

  await page.goto(threadPath);
  await page.getByRole("link", { name: "Log in to reply" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await checkA11y(page, "log in");
  await page.getByLabel("Username or email").fill(author);
  await page.getByLabel("Password").fill("wrong password here");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("That username or email and password don't match")).toBeVisible();
  await page.getByLabel("Password").fill("tight calves all week");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === threadPath);
  await expect(page.getByLabel("Your reply")).toBeVisible();
});

test("unknown addresses get a real 404 page", async ({ page }) => {
  for (const path of ["/boards/no-such-board", "/threads/999999", "/threads/abc", "/what"]) {
    const response = await page.goto(path);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole("heading", { level: 1, name: "Page not found" })).toBeVisible();
  }
  await checkA11y(page, "404");
});
