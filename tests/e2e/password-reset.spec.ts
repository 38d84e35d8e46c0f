import type { Page } from "@playwright/test";
import { checkA11y, expect, latestMailTo, logOut, signUp, test, uniqueName } from "./fixtures.ts";

// "Forgot your password?", from the login page to logging in with the new password; runs with
// JavaScript on (project "js") and off ("nojs"). The e2e server writes email into its outbox.

const OLD_PASSWORD = "stretch before bed";
const NEW_PASSWORD = "warm socks and tea";

async function choosePassword(page: Page, password: string, again: string) {
  await page.getByLabel("New password", { exact: true }).fill(password);
  await page.getByLabel("New password again", { exact: true }).fill(again);
  await page.getByRole("button", { name: "Save my new password" }).click();
}

test("a member who forgot their password gets a link by email and chooses a new one", async ({ page }) => {
  const username = uniqueName("forgetful");
  const email = `${username}@example.org`;
  await signUp(page, { username, email, password: OLD_PASSWORD });
  await logOut(page);

  await page.goto("/login");
  const forgot = page.getByRole("link", { name: "Forgot your password?" });
  await expect(forgot).toBeVisible();
  expect((await forgot.boundingBox())!.height, "the link is a full-size target").toBeGreaterThanOrEqual(44);
  await forgot.click();
  await expect(page.getByRole("heading", { level: 1, name: "Forgot your password?" })).toBeVisible();
  await checkA11y(page, "forgot password");

  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByRole("button", { name: "Send me a link" }).click();
  const sent = page.getByRole("status").filter({ hasText: "Check your email." });
  await expect(sent).toContainText(`If an account uses ${email}, we've sent a link`);
  // The address stays in the box, to check it or ask again.
  await expect(page.getByLabel("Email", { exact: true })).toHaveValue(email);
  await checkA11y(page, "forgot password: sent");

  const mail = await latestMailTo(email, "Reset your Unclench password");
  expect(mail.subject).toBe("Reset your Unclench password");
  const link = new URL(/https?:\/\/\S+\/password\/reset\?token=\S+/.exec(mail.text)![0]);
  expect(link.origin).toBe(new URL(page.url()).origin);

  await page.goto(link.pathname + link.search);
  await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
  await expect(page.getByText(`For the account ${username}.`)).toBeVisible();
  await checkA11y(page, "choose a new password");

  // A slip of the finger: said exactly (a 400, the form again), and nothing is changed.
  const refused = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === "/password/reset");
  await choosePassword(page, NEW_PASSWORD, "warm socks and tee");
  expect((await refused).status()).toBe(400);
  await expect(page.getByText("The two passwords aren't the same.")).toBeVisible();
  await expect(page.getByLabel("New password again", { exact: true })).toHaveAttribute("aria-invalid", "true");
  // Reloading after the mistake (a tired hand on F5) still shows the form, not a dead link.
  await page.goto(page.url());
  await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();

  await choosePassword(page, NEW_PASSWORD, NEW_PASSWORD);
  await expect(page.getByRole("heading", { level: 1, name: "Your password is changed" })).toBeVisible();
  await expect(page.getByText("You're logged in with your new password.")).toBeVisible();
  await expect(page.getByRole("link", { name: `Signed in as ${username}` })).toBeVisible();
  await checkA11y(page, "password changed");

  // The link works once.
  await page.goto(link.pathname + link.search);
  await expect(page.getByRole("heading", { level: 1, name: "This link doesn't work" })).toBeVisible();
  await expect(page.getByText("This link has already been used")).toBeVisible();

  // The old password no longer opens the account; the new one does.
  await logOut(page);
  await page.goto("/login");
  await page.getByLabel("Username or email", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(OLD_PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByText("That username or email and password don't match.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("link", { name: `Signed in as ${username}` })).toBeVisible();
});

test("a link that doesn't work says why and offers a new one", async ({ page }) => {
  const response = await page.goto(`/password/reset?token=${"A".repeat(43)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "This link doesn't work" })).toBeVisible();
  await expect(page.getByText("Your password hasn't changed.")).toBeVisible();
  await checkA11y(page, "reset link that doesn't work");
  await page.getByRole("link", { name: "Send me a new link" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Forgot your password?" })).toBeVisible();
});
