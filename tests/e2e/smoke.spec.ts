import { checkA11y, expect, test } from "./fixtures";

test("home page lists the boards", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Boards", exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "Night & leg cramps" }).first()).toBeVisible();
  await checkA11y(page, "home page");
});
