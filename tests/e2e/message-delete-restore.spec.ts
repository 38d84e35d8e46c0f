import { season } from "./conversations.ts";
import { checkA11y, createAccount, expect, logIn, logOut, test, uniqueName, untilHydrated } from "./fixtures.ts";

const PASSWORD = "cramps at three am";

test("a member deletes their own message, and a moderator restores one they removed", async ({ page }) => {
  const sender = uniqueName("deleter");
  const reader = uniqueName("dreader");
  const moderator = uniqueName("drmod");
  for (const username of [sender, reader]) await createAccount({ username, password: PASSWORD });
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });
  await season(sender);
  const subject = `Magnesium ${sender}`;

  // The sender writes twice, then deletes the second message after a page that asks first.
  await logIn(page, sender, PASSWORD);
  await page.goto(`/messages/new?to=${reader}`);
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Your message").fill("Has magnesium helped anyone here, kestrel?");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await page.getByLabel("Your reply").fill("My neighbour's dosage was 900 mg, nightjar.");
  await page.getByRole("button", { name: "Send reply" }).click();
  const regretted = page.locator(".message").filter({ hasText: "nightjar" });
  await expect(regretted).toBeVisible();
  await regretted.getByRole("link", { name: "Delete your message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Delete your message?" })).toBeVisible();
  await expect(page.getByText("My neighbour's dosage was 900 mg, nightjar.")).toBeVisible();
  await checkA11y(page, "delete your message");
  await page.getByRole("button", { name: "Delete message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(page.getByText("This message was deleted by its author.")).toBeVisible();
  await expect(page.getByText("nightjar")).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Delete your message" })).toHaveCount(1);
  await checkA11y(page, "a conversation with a deleted message");
  await logOut(page);

  // The reader sees only the placeholder, and reports the first message.
  await logIn(page, reader, PASSWORD);
  await page.goto("/messages");
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByText("This message was deleted by its author.")).toBeVisible();
  await expect(page.getByText("nightjar")).toHaveCount(0);
  await page.getByRole("link", { name: `Report the message from ${sender}` }).click();
  await page.getByLabel("Spam").check();
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByRole("status")).toHaveText("Your report is in the moderators' queue and will be reviewed.");
  await logOut(page);

  // The moderator opens it from the report, removes the message, then restores it with a reason.
  await logIn(page, moderator, PASSWORD);
  await page.goto("/mod/messages");
  await page
    .locator(".queue > li")
    .filter({ hasText: `A message from ${sender}` })
    .getByRole("button", { name: /Open the conversation/ })
    .click();
  await expect(page.getByRole("heading", { level: 1, name: `Reported conversation: “${subject}”` })).toBeVisible();
  const reported = page.locator(".message").filter({ hasText: "kestrel" });
  await reported.getByText("Remove this message…").click();
  const removal = reported.getByLabel("Reason (shown to the conversation's members)");
  await untilHydrated(removal);
  await removal.selectOption("spam");
  await reported.getByRole("button", { name: "Remove message" }).click();
  await expect(reported.getByText("Removed by a moderator — Spam. Members see only this notice.")).toBeVisible();
  await reported.getByText("Restore this message…").click();
  const reason = reported.getByLabel("Reason for restoring (told to its author)");
  await untilHydrated(reason);
  await reason.selectOption("mistake");
  await checkA11y(page, "a reported conversation, restoring a message");
  await reported.getByRole("button", { name: "Restore message" }).click();
  await expect(reported.getByText("Removed by a moderator")).toHaveCount(0);
  await expect(reported.getByText("Has magnesium helped anyone here, kestrel?")).toBeVisible();
  // The deleted message has nothing to restore.
  await expect(page.getByText("This message was deleted by its author.")).toBeVisible();
  await expect(page.getByText("Restore this message…")).toHaveCount(0);
  await checkA11y(page, "a reported conversation after a restore");
  await logOut(page);

  // The sender is told why, and everyone reads the message again.
  await logIn(page, sender, PASSWORD);
  await page.goto("/notifications");
  await expect(page.getByRole("button", { name: `A moderator restored your message in “${subject}”. Reason: Removed by mistake`, exact: true })).toBeVisible();
  await checkA11y(page, "notifications after a restore");
  await page.goto("/messages");
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByText("Has magnesium helped anyone here, kestrel?")).toBeVisible();
  await expect(page.getByText("Removed by a moderator")).toHaveCount(0);
});
