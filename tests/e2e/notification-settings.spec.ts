import { checkA11y, createAccount, expect, expectBigTarget, logIn, test, uniqueName, untilHydrated, updateUser } from "./fixtures.ts";

// Issue 27: for each kind of notification a member chooses email at once, a daily or weekly
// digest, or the site only, and quiet hours in their time zone; one Save, with or without JS.

const PASSWORD = "slow mornings with tea";

test("a member chooses how they hear about each kind and their quiet hours", async ({ page }) => {
  const username = uniqueName("hearer");
  await createAccount({ username, password: PASSWORD });
  await updateUser(username, { emailVerifiedAt: null, timeZone: "Europe/London" });
  await logIn(page, username, PASSWORD);

  await page.goto("/settings");
  await page.getByRole("link", { name: "Choose how you hear from us" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "How you hear from us" })).toBeVisible();
  // An unconfirmed address: said plainly, with the way to fix it.
  await expect(page.getByText("so no notification email can go until you confirm it")).toBeVisible();
  await expect(page.getByRole("link", { name: "Confirm your email address" })).toHaveAttribute("href", "/settings#email");
  await expect(page.getByText("Europe/London", { exact: true })).toBeVisible();
  await expect(page.getByRole("link", { name: "change your time zone" })).toHaveAttribute("href", "/settings#appearance");

  // The defaults.
  const followed = page.getByRole("group", { name: "Replies in threads you follow" });
  await expect(page.getByRole("group", { name: "Replies to your posts" }).getByLabel("By email at once")).toBeChecked();
  await expect(followed.getByLabel("Only on the site")).toBeChecked();
  await expect(page.getByLabel("Quiet from")).toHaveValue("22");
  await expect(page.getByLabel("Until")).toHaveValue("7");
  await expectBigTarget(followed.locator("label", { hasText: "In a daily digest" }), "a delivery choice");
  await checkA11y(page, "notification settings");

  await untilHydrated(page.getByLabel("Quiet from"));
  await followed.getByLabel("In a daily digest").check();
  await page.getByRole("group", { name: "Mentions of you" }).getByLabel("Only on the site").check();
  await page.getByLabel("Quiet from").selectOption({ label: "23:00" });
  await page.getByLabel("Until").selectOption({ label: "06:00" });
  await page.getByRole("button", { name: "Save how you hear from us" }).click();
  await expect(page.getByRole("status")).toHaveText("Your choices are saved.");
  await expect(followed.getByLabel("In a daily digest")).toBeChecked();
  await expect(page.getByRole("group", { name: "Mentions of you" }).getByLabel("Only on the site")).toBeChecked();
  await expect(page.getByLabel("Quiet from")).toHaveValue("23");
  await expect(page.getByLabel("Until")).toHaveValue("6");
  await checkA11y(page, "notification settings, saved");

  // No quiet hours at all; and once the address is confirmed, the page says where mail goes.
  await updateUser(username, { emailVerifiedAt: new Date() });
  await page.goto("/settings/notifications");
  await untilHydrated(page.getByLabel("Quiet from"));
  await page.getByLabel("Quiet from").selectOption({ label: "No quiet hours" });
  await page.getByRole("button", { name: "Save how you hear from us" }).click();
  await expect(page.getByRole("status")).toHaveText("Your choices are saved.");
  await expect(page.getByLabel("Quiet from")).toHaveValue("none");
  await expect(page.getByText(`${username}@example.org`)).toBeVisible();
  await expect(page.getByText("no notification email can go")).toBeHidden();
});
