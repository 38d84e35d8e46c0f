import { season } from "./conversations.ts";
import { checkA11y, createAccount, expect, logIn, logOut, test, uniqueName, untilHydrated } from "./fixtures.ts";

const PASSWORD = "cramps at three am";

test("two members write privately, one reports a message, and a moderator reads and removes it, which both see", async ({ page }) => {
  const sender = uniqueName("writer");
  const reader = uniqueName("reader");
  const newcomer = uniqueName("newcomer");
  const moderator = uniqueName("pmmod");
  const admin = uniqueName("pmadmin");
  for (const username of [sender, reader, newcomer]) await createAccount({ username, password: PASSWORD });
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });
  await createAccount({ username: admin, password: PASSWORD, role: "admin" });
  await season(sender);
  const subject = `Night cramps ${sender}`;

  // A new member is told why they can't start a conversation yet, and when they can.
  await logIn(page, newcomer, PASSWORD);
  await page.goto("/messages/new");
  await expect(page.getByRole("heading", { level: 2, name: "You can start conversations soon" })).toBeVisible();
  await expect(page.getByText("You need 3 more posts on the boards.")).toBeVisible();
  await checkA11y(page, "new conversation, not yet open");
  await logOut(page);

  // From the reader's profile, the sender writes; a wrong name keeps the text.
  await logIn(page, sender, PASSWORD);
  await page.goto(`/u/${reader}`);
  await page.getByRole("link", { name: "Send a message" }).click();
  await expect(page.getByLabel("To")).toHaveValue(reader);
  await page.getByLabel("To").fill(`${reader}, nosuchmember-${sender.slice(-6)}`);
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Your message").fill("Does **anyone** else wake at 3 am with calf cramps, glowworm?");
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("region", { name: "Preview" }).locator("strong")).toHaveText("anyone");
  await checkA11y(page, "new conversation with a preview");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByText(/There is no member called nosuchmember/)).toBeVisible();
  await expect(page.getByLabel("Your message")).toHaveValue("Does **anyone** else wake at 3 am with calf cramps, glowworm?");
  await page.getByLabel("To").fill(reader);
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(page.locator(".message").getByText("else wake at 3 am with calf cramps, glowworm?")).toBeVisible();
  await checkA11y(page, "a conversation");
  await logOut(page);

  // The reader sees it in the header, reads, replies, and reports the first message.
  await logIn(page, reader, PASSWORD);
  await page.getByRole("link", { name: "Messages (1 unread)" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Messages" })).toBeVisible();
  await checkA11y(page, "messages list");
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByText("New", { exact: true })).toBeVisible();
  await page.getByLabel("Your reply").fill("Every night this week. Stretching helps a little.");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.locator(".message").getByText("Every night this week.")).toBeVisible();
  // Read and answered: nothing unread is left in the header.
  await expect(page.getByRole("link", { name: /Messages \(\d+ unread\)/ })).toHaveCount(0);
  await page.getByRole("link", { name: `Report the message from ${sender}` }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Report a message" })).toBeVisible();
  await checkA11y(page, "report a message");
  await page.getByLabel("Harassment").check();
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByRole("status")).toHaveText("Your report is in the moderators' queue and will be reviewed.");
  await logOut(page);

  // The moderator sees the report without the words, opens the conversation (logged), removes the message.
  await logIn(page, moderator, PASSWORD);
  await page.getByRole("link", { name: /Reported messages \(\d+ open\)/ }).click();
  const item = page.locator(".queue > li").filter({ hasText: `A message from ${sender}` });
  await expect(item.getByText("Harassment")).toBeVisible();
  await expect(item.getByText("glowworm")).toHaveCount(0);
  await checkA11y(page, "reported messages");
  await item.getByRole("button", { name: /Open the conversation/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Reported conversation: “${subject}”` })).toBeVisible();
  await expect(page.getByText("else wake at 3 am with calf cramps, glowworm?")).toBeVisible();
  await checkA11y(page, "a reported conversation");
  const reported = page.locator(".message").filter({ hasText: "glowworm" });
  await reported.getByText("Remove this message…").click();
  const reason = reported.getByLabel("Reason (shown to the conversation's members)");
  await untilHydrated(reason);
  await reason.selectOption("harassment");
  await reported.getByRole("button", { name: "Remove message" }).click();
  await expect(page.getByText("Removed by a moderator — Harassment. Members see only this notice.")).toBeVisible();
  await logOut(page);

  // Admins see who opened which conversation, after whose report.
  await logIn(page, admin, PASSWORD);
  await page.goto("/mod/messages");
  const openings = page.getByRole("table", { name: "Conversations moderators opened" });
  await expect(openings.getByRole("row").filter({ hasText: moderator })).toContainText(`Harassment, reported by ${reader}`);
  await checkA11y(page, "reported messages, as an admin");
  await logOut(page);

  // The reader sees that a moderator read it, and the removed message's place.
  await logIn(page, reader, PASSWORD);
  await page.goto("/messages");
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByText(/A moderator read this conversation on .* after a report\./)).toBeVisible();
  await expect(page.getByText("Removed by a moderator — Harassment")).toBeVisible();
  await expect(page.getByText("glowworm")).toHaveCount(0);
  await checkA11y(page, "a conversation after a moderator read it");
  // Leaving takes it off the list for good.
  await page.getByText("Leave this conversation…").click();
  await page.getByRole("button", { name: "Leave the conversation" }).click();
  await expect(page.getByRole("status")).toContainText("You left the conversation.");
  await expect(page.getByRole("link", { name: subject })).toHaveCount(0);
});
