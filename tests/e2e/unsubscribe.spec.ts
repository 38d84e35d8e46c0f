import { eq } from "drizzle-orm";
import { unsubscribeUrl } from "../../app/models/unsubscribe.server.ts";
import { checkA11y, createAccount, expect, expectBigTarget, inE2eDatabase, logIn, tables, test, uniqueName, updateUser, userIdOf } from "./fixtures.ts";

// One-click unsubscribe (docs/decisions/040) and the notice after a bounce or a complaint
// (docs/decisions/041). Runs with JavaScript on (project "js") and off ("nojs"). The link is made
// here with the app's own function, on the e2e database, so it is signed with the server's key.

const PASSWORD = "stretch before bed";
const ABOUT = "replies to your posts and mentions of you";

/** The link's path: made in this process, whose ORIGIN is not the e2e server's. */
async function linkFor(userId: number) {
  return new URL(await unsubscribeUrl(userId, ["replies", "mentions"])).pathname;
}

test("an unsubscribe link shows what it turns off, turns it off once, then says it was used", async ({ page }) => {
  const username = uniqueName("unsub");
  await createAccount({ username, password: PASSWORD });
  const userId = await userIdOf(username);
  const path = await linkFor(userId);

  // No login: the link is the proof.
  await page.goto(path);
  await expect(page.getByRole("heading", { level: 1, name: "Stop these emails?" })).toBeVisible();
  await expect(page.getByText(`This turns off email about ${ABOUT}.`)).toBeVisible();
  await expect(page.getByText(`${username}@example.org`)).toHaveCount(0);
  const button = page.getByRole("button", { name: "Turn off these emails" });
  await expectBigTarget(button, "Turn off these emails");
  await checkA11y(page, "unsubscribe: the button");

  await button.click();
  await expect(page.getByRole("heading", { level: 1, name: "These emails are turned off" })).toBeVisible();
  await expect(page.getByText(`Turned off: email about ${ABOUT}; you still see them on the site, in your notifications.`)).toBeVisible();
  await expect(page.getByRole("link", { name: /Choose how you hear from us/ })).toHaveAttribute("href", "/settings/notifications");
  await checkA11y(page, "unsubscribe: done");
  const rows = await inE2eDatabase((tx) =>
    tx
      .select({ kind: tables.mailPreferences.kind, delivery: tables.mailPreferences.delivery })
      .from(tables.mailPreferences)
      .where(eq(tables.mailPreferences.userId, userId)),
  );
  expect(rows.sort((a, b) => a.kind.localeCompare(b.kind))).toEqual([
    { kind: "mentions", delivery: "site" },
    { kind: "replies", delivery: "site" },
  ]);

  // The same link again: spent, a clear 410, nothing to press.
  const again = await page.goto(path);
  expect(again?.status()).toBe(410);
  await expect(page.getByRole("heading", { level: 1, name: "This link doesn't change anything" })).toBeVisible();
  await expect(page.getByText("This link has already been used")).toBeVisible();
  await expect(page.getByRole("button", { name: "Turn off these emails" })).toHaveCount(0);
  await checkA11y(page, "unsubscribe: spent");
});

test("a forged link gets a 404 page that says nothing changed", async ({ page }) => {
  const response = await page.goto(`/unsubscribe/1.replies.abc.${"A".repeat(43)}`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText("This isn't a valid unsubscribe link.")).toBeVisible();
  await checkA11y(page, "unsubscribe: forged");
});

test("a member whose mail bounced and was reported as unwanted is told on the site", async ({ page }) => {
  const username = uniqueName("bounced");
  await createAccount({ username, password: PASSWORD });
  const when = new Date(Date.now() - 60 * 60 * 1000);
  // As POST /hooks/mail-events leaves them (the e2e server has no MAIL_EVENTS_TOKEN).
  await updateUser(username, { emailBouncedAt: when, emailComplainedAt: when });

  await logIn(page, username, PASSWORD);
  await page.goto("/notifications");
  const notice = page.getByRole("note").filter({ hasText: "Mail to your address was refused on" });
  await expect(notice).toContainText("so we've stopped emailing you.");
  await expect(notice).toContainText("your email provider told us you marked our mail as unwanted, so we turned off all email notifications");
  await expect(notice.getByRole("link", { name: "Check or change your email address" })).toHaveAttribute("href", "/settings#email");
  await expect(notice.getByRole("link", { name: "Turn email back on in your settings" })).toHaveAttribute("href", "/settings/notifications");
  await checkA11y(page, "notifications: mail notice");

  await page.goto("/settings");
  await expect(page.getByRole("note").filter({ hasText: "Mail to your address was refused on" })).toBeVisible();
  await checkA11y(page, "settings: mail notice");
});
