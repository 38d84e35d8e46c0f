import type { Page } from "@playwright/test";
import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// Editing a post keeps what was typed, like new threads and replies do: a draft (by button,
// so without JavaScript too), listed on /drafts, and text posted after the session ran out.

const PASSWORD = "cramps at three am";

async function threadOfMine(page: Page, prefix: string) {
  const username = uniqueName(prefix);
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
  const title = `Edit me ${uniqueName("t")}`;
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Magnesium did nothing for me.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return { username, title, threadUrl: page.url().split("#")[0]! };
}

test("save a draft of an edit, come back to it from /drafts, then save the changes", async ({ page }) => {
  const { title, threadUrl } = await threadOfMine(page, "editdraft");
  const edited = "Magnesium did nothing for me, but stretching before bed helps a little.";
  await page.getByRole("link", { name: "Edit post 1" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit your post" })).toBeVisible();
  await page.getByLabel("Your post").fill(edited);
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft saved." })).toBeVisible();

  // Leaving and looking at the thread: the post itself is unchanged.
  await page.goto(threadUrl);
  await expect(page.locator(".post").getByText("Magnesium did nothing for me.", { exact: true })).toBeVisible();

  await page.goto("/drafts");
  const where = `Edit of your post in “${title}”`;
  await expect(page.getByRole("heading", { level: 2, name: where })).toBeVisible();
  await expect(page.getByText(edited)).toBeVisible();
  await page.getByRole("link", { name: /Continue writing/ }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Edit your post" })).toBeVisible();
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Your post")).toHaveValue(edited);
  await expect(page.getByText(/Your draft from .* is back in the form below/)).toBeVisible();
  await expect(page.getByRole("button", { name: "Discard draft" })).toBeVisible();
  await checkA11y(page, "edit page with a restored draft");

  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.locator(".post").getByText(edited)).toBeVisible();
  await page.goto("/drafts");
  await expect(page.getByText("You have no drafts.")).toBeVisible();
});

test("an edit posted after the session expired is back after logging in, and can be discarded", async ({ page, context }) => {
  const { username } = await threadOfMine(page, "editexpiry");
  await page.getByRole("link", { name: "Edit post 1" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit your post" })).toBeVisible();
  const editUrl = page.url();
  const text = "A long edit, written slowly, while the session quietly ran out.";
  await page.getByLabel("Your post").fill(text);
  await context.clearCookies();
  await page.getByRole("button", { name: "Save changes" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await page.getByLabel("Username or email", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();

  await expect(page).toHaveURL(editUrl);
  await expect(page.getByLabel("Your post")).toHaveValue(text);
  await expect(page.getByText(/Your draft from .* is back in the form below/)).toBeVisible();

  // Discarding goes back to the post as it is.
  await page.getByRole("button", { name: "Discard draft" }).click();
  await expect(page.getByText("Draft discarded. The form shows your post as it is.")).toBeVisible();
  await expect(page.getByLabel("Your post")).toHaveValue("Magnesium did nothing for me.");
  await expect(page.getByRole("button", { name: "Discard draft" })).toHaveCount(0);
  await checkA11y(page, "edit page after discarding the draft");
});
