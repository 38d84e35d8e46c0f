import type { Page } from "@playwright/test";
import { checkA11y, expect, latestMailTo, signUp, test, uniqueName } from "./fixtures.ts";

// Confirming an email address (docs/decisions/036): the link from sign-up, then changing the
// address, which keeps the old one until the new one's link is opened. Runs with JavaScript on
// (project "js") and off ("nojs"). The e2e server writes email into its outbox.

const PASSWORD = "heat pad on the calves";
const CONFIRM = "Confirm your email address for Unclench";

function linkIn(mail: { text: string }) {
  const link = /https?:\/\/\S+\/email\/confirm\?token=\S+/.exec(mail.text)?.[0];
  if (!link) throw new Error(`no confirmation link in:\n${mail.text}`);
  const url = new URL(link);
  return url.pathname + url.search;
}

async function confirmFromLink(page: Page, path: string, address: string, username: string, label: string) {
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: "Confirm your email address" })).toBeVisible();
  await expect(page.getByText(`Is ${address} the email address of the Unclench account ${username}?`)).toBeVisible();
  await checkA11y(page, label);
  await page.getByRole("button", { name: "Yes, confirm this address" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your email address is confirmed" })).toBeVisible();
}

test("a new member confirms their address from the link, and later moves to a new one", async ({ page }) => {
  const username = uniqueName("confirmer");
  const first = `${username}@example.org`;
  await signUp(page, { username, email: first, password: PASSWORD });

  // The forum works before confirming; settings say what is missing.
  await page.goto("/settings#email");
  const section = page.getByRole("region", { name: "Email address" });
  await expect(section.getByText("It isn't confirmed yet: we've sent a link to it.")).toBeVisible();
  await expect(section.getByRole("button", { name: "Send the link again" })).toBeVisible();
  await checkA11y(page, "settings: email not confirmed");

  const signupMail = await latestMailTo(first, CONFIRM);
  expect(signupMail.html).toContain("<a href=");
  await confirmFromLink(page, linkIn(signupMail), first, username, "confirm the address from sign-up");
  await checkA11y(page, "address confirmed");
  await page.getByRole("link", { name: "Back to your settings" }).click();
  await expect(section.getByText("It's confirmed.")).toBeVisible();
  await expect(section.getByRole("button", { name: "Send the link again" })).toHaveCount(0);

  // A new address: the old one stays until the new one's link is opened.
  const second = `${username}@example.net`;
  await section.getByLabel("New email").fill(second);
  await section.getByLabel("Your password").fill(PASSWORD);
  await section.getByRole("button", { name: "Change email" }).click();
  await expect(section.getByText("We've sent a link to your new address. Your email changes once you open it.")).toBeVisible();
  await expect(section.getByText(`Your email is ${first}.`)).toBeVisible();
  await expect(section.getByText(`You asked to change it to ${second}.`)).toBeVisible();
  await checkA11y(page, "settings: change waiting for its link");

  await section.getByRole("button", { name: "Send the link again" }).click();
  await expect(section.getByText("We've sent the link again.")).toBeVisible();

  const notice = await latestMailTo(first, "Your Unclench email address is changing");
  expect(notice.text).toContain(second);
  expect(notice.text).toContain("/password/forgot");

  await confirmFromLink(page, linkIn(await latestMailTo(second, CONFIRM)), second, username, "confirm the new address");
  await page.goto("/settings#email");
  await expect(section.getByText(`Your email is ${second}.`)).toBeVisible();
  await expect(section.getByText("It's confirmed.")).toBeVisible();
});

test("a link that doesn't work says why and how to get a new one", async ({ page }) => {
  const response = await page.goto(`/email/confirm?token=${"A".repeat(43)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1, name: "This link doesn't work" })).toBeVisible();
  await expect(page.getByText("Nothing has changed.")).toBeVisible();
  await checkA11y(page, "confirmation link that doesn't work");
});
