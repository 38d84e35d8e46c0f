import { checkA11y, createAccount, expect, logIn, logOut, postThread, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "cramps at three am";

test("a moderator checks in, privately, with a member whose post was reported at risk", async ({ page }) => {
  const mod = uniqueName("carer");
  const author = uniqueName("lowday");
  const reader = uniqueName("friend");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await createAccount({ username: author, password: PASSWORD });
  await createAccount({ username: reader, password: PASSWORD });

  await logIn(page, author, PASSWORD);
  const title = `A hard week ${author}`;
  const threadPath = await postThread(page, "fibromyalgia", title, "Everything hurts and I'm so tired of fighting it.");
  await logOut(page);
  await logIn(page, reader, PASSWORD);
  await page.goto(threadPath);
  await page.getByRole("link", { name: "Report post 1" }).click();
  await page.getByLabel("Someone may be at risk of harm").check();
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("Your report is in the moderators' queue")).toBeVisible();
  await logOut(page);

  await logIn(page, mod, PASSWORD);
  await page.goto("/mod/reports");
  const item = page.locator(".queue > li").filter({ hasText: title });
  await item.getByText(`Check in with ${author}…`).click();
  const message = item.getByLabel(`Message to ${author}`);
  await expect(message).toHaveValue(new RegExp(`^Hi ${author}, I'm one of the moderators here.`));
  await checkA11y(page, "report queue, check-in open");
  await message.fill(`Hi ${author}, I read your post and wanted to see how you're doing tonight.`);
  await item.getByRole("button", { name: "Send check-in" }).click();
  await expect(page.locator(".queue > li").filter({ hasText: title }).getByText(`${mod} checked in with ${author}`)).toBeVisible();
  // Not on the public log: it would say whose post worried a moderator.
  await page.goto("/transparency");
  await expect(page.getByRole("main")).not.toContainText("Checked in with a member");
  await page.goto("/mod/log");
  await expect(page.getByRole("main")).toContainText("Checked in with a member");
  await logOut(page);

  await logIn(page, author, PASSWORD);
  await page.goto("/notifications");
  await expect(
    page.getByRole("button", {
      name: `A moderator checked in with you: Hi ${author}, I read your post and wanted to see how you're doing tonight.`,
      exact: true,
    }),
  ).toBeVisible();
  await checkA11y(page, "notifications with a check-in");
});
