import { readFile } from "node:fs/promises";
import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

test("the community guidelines: readable by anyone, accepted once by a member", async ({ page }) => {
  await page.goto("/guidelines");
  await expect(page.getByRole("heading", { level: 1, name: "Community guidelines" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Share your experience, not medical advice" })).toBeVisible();
  await expect(page.getByRole("main").getByRole("link", { name: "findahelpline.com" })).toHaveAttribute("href", "https://findahelpline.com");
  // Visitors have nothing to accept.
  await expect(page.getByRole("button", { name: "I've read these and I'll follow them" })).toHaveCount(0);
  await checkA11y(page, "guidelines (visitor)");

  const username = uniqueName("rules");
  await signUp(page, { username, email: `${username}@example.org`, password: "stretch before bed", acceptGuidelines: false });
  await page.goto("/guidelines");
  await expect(page.getByRole("heading", { level: 2, name: "Before your first post" })).toBeVisible();
  await checkA11y(page, "guidelines (not yet accepted)");
  await page.getByRole("button", { name: "I've read these and I'll follow them" }).click();
  await expect(page.getByText("You agreed to these guidelines on")).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/guidelines");
  await expect(page.getByRole("button", { name: "I've read these and I'll follow them" })).toHaveCount(0);
  await checkA11y(page, "guidelines (accepted)");
});

test("before a first post, the link to the full guidelines is a 44 px target", async ({ page }) => {
  const username = uniqueName("newcomer");
  await signUp(page, { username, email: `${username}@example.org`, password: "stretch before bed", acceptGuidelines: false });
  await page.goto("/boards/night-leg-cramps/new");
  await expect(page.getByRole("heading", { level: 2, name: "Before your first post" })).toBeVisible();
  const link = page.getByRole("link", { name: "Read the full community guidelines" });
  const box = await link.boundingBox();
  expect(box!.height, "height of “Read the full community guidelines”").toBeGreaterThanOrEqual(44);
  await checkA11y(page, "new thread with the guidelines gate");
  await link.click();
  await expect(page.getByRole("heading", { level: 1, name: "Community guidelines" })).toBeVisible();
});

test("a member downloads their data, then deletes their account keeping their posts", async ({ page }) => {
  const username = uniqueName("leaver");
  const password = "spasms are no fun at all";
  await signUp(page, { username, email: `${username}@example.org`, password });
  const title = `Magnesium at night ${username}`;
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Magnesium spray on my calves seems to help me.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadPath = new URL(page.url()).pathname;

  await page.goto("/settings/delete-account");
  await expect(page.getByRole("heading", { level: 1, name: "Delete your account" })).toBeVisible();
  // Keeping the account is the safe choice: it comes first, and is no harder to hit than deleting.
  const keep = page.getByRole("link", { name: "Keep my account and go back to settings" });
  const remove = page.getByRole("button", { name: "Delete my account" });
  const keepBox = (await keep.boundingBox())!;
  const removeBox = (await remove.boundingBox())!;
  expect(keepBox.height).toBeGreaterThanOrEqual(Math.max(44, removeBox.height));
  expect(keepBox.width).toBeGreaterThanOrEqual(44);
  const order = await page.getByRole("main").locator("a[href], button").allTextContents();
  expect(order.indexOf("Keep my account and go back to settings"), "the safe choice comes before Delete").toBeGreaterThanOrEqual(0);
  expect(order.indexOf("Keep my account and go back to settings")).toBeLessThan(order.indexOf("Delete my account"));
  await checkA11y(page, "delete account");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download my data (JSON)" }).click()]);
  expect(download.suggestedFilename()).toMatch(new RegExp(`^unclench-${username}-\\d{4}-\\d\\d-\\d\\d\\.json$`));
  const exported = JSON.parse(await readFile((await download.path())!, "utf8"));
  expect(exported.profile.username).toBe(username);
  expect(exported.posts[0].bodyMarkdown).toBe("Magnesium spray on my calves seems to help me.");

  // A wrong password: the message sits by the field and the chosen option is kept.
  await page.getByRole("radio", { name: /Remove them/ }).check();
  await page.getByLabel("Your password").fill("not the right one");
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByText("That password isn't right. Please try again.")).toBeVisible();
  await expect(page.getByRole("radio", { name: /Remove them/ })).toBeChecked();
  await checkA11y(page, "delete account with an error");

  await page.getByRole("radio", { name: /Keep them/ }).check();
  await page.getByLabel("Your password").fill(password);
  await page.getByRole("button", { name: "Delete my account" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your account is deleted" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
  await checkA11y(page, "account deleted");

  // The post stays, under an anonymous name.
  await page.goto(threadPath);
  await expect(page.getByText("Magnesium spray on my calves seems to help me.")).toBeVisible();
  await expect(page.locator(".post .author").first()).toHaveText(/^deleted-member-\d+$/);
  await expect(page.getByText(username, { exact: true })).toHaveCount(0);

  // Nobody can log in as them any more.
  await page.goto("/login");
  await page.getByLabel("Username or email", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("That username or email and password don't match")).toBeVisible();
});

test("a visitor is asked to log in and comes back to the delete-account page", async ({ page }) => {
  const username = uniqueName("returner");
  await signUp(page, { username, email: `${username}@example.org`, password: "calm legs tonight" });
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();

  await page.goto("/settings/delete-account");
  await expect(page).toHaveURL((url) => url.pathname === "/login" && url.searchParams.get("redirectTo") === "/settings/delete-account");
  await checkA11y(page, "log in before deleting");
  await page.getByLabel("Username or email", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill("calm legs tonight");
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Delete your account" })).toBeVisible();
  await page.getByRole("link", { name: "Keep my account and go back to settings" }).click();
  await expect(page).toHaveURL((url) => url.pathname === "/settings");
});
