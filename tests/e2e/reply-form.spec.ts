import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// The reply form sits below every post. A preview, a saved draft or a refused reply must bring
// the member back to the form, not to the top of the thread (with JavaScript off each is a new page).
test("preview, save draft and an empty reply all come back at the reply form of a long thread", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const username = uniqueName("writer");
  await signUp(page, { username, email: `${username}@example.org`, password: "legs like lead today" });
  await page.goto("/boards/neuropathy/new");
  await page.getByLabel("Title").fill(`Tingling ${username}`);
  await page.getByLabel("Your post").fill("Pins and needles in both feet since Tuesday.");
  await page.getByRole("button", { name: "Post thread" }).click();
  for (const words of ["Worse after walking.", "Better with warm socks.", "Still there this morning."]) {
    await page.getByLabel("Your reply").fill(words);
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText(words)).toBeVisible();
  }

  await page.getByLabel("Your reply").fill("Has anyone tried **B12**?");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("heading", { name: "Preview" })).toBeInViewport();
  await expect(page.getByLabel("Your reply")).toHaveValue("Has anyone tried **B12**?");

  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft saved." })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Reply", exact: true })).toBeInViewport();

  // Only spaces: the browser lets it through, the server refuses it.
  await page.getByLabel("Your reply").fill("   ");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("Write something before posting.")).toBeInViewport();
  await checkA11y(page, "reply form with an error");
});
