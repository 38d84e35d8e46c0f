import { checkA11y, createAccount, expect, expectBigTarget, logIn, logOut, postThread, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "spasms before breakfast";

test("a moderator restores a removed post with a reason, and its author is told why", async ({ page }) => {
  const mod = uniqueName("mod");
  const author = uniqueName("author");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await createAccount({ username: author, password: PASSWORD });

  await logIn(page, author, PASSWORD);
  const threadPath = await postThread(page, "night-leg-cramps", `Charity walk ${author}`, "Anyone joining the walk?");
  await page.getByLabel("Your reply").fill("Sign up at the charity's own page, it's free");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("Sign up at the charity's own page, it's free")).toBeVisible();
  await logOut(page);

  await logIn(page, mod, PASSWORD);
  await page.goto(threadPath);
  await page.getByRole("link", { name: "Moderate post 2" }).click();
  await page.getByLabel("Reason (shown to everyone)").selectOption("spam");
  await page.getByRole("button", { name: "Remove post" }).click();
  await expect(page.getByText("Removed by moderators — Spam")).toBeVisible();

  // The thread page's Restore link leads to the moderate page, which asks why first.
  await page.getByRole("link", { name: "Restore post 2" }).click();
  const reason = page.getByLabel("Reason for restoring (shown to everyone)");
  await expect(page.getByRole("heading", { name: "Restore this post" })).toBeVisible();
  // The reason is a required choice, so the browser itself asks for it before sending.
  await expect(reason).toHaveAttribute("required", "");
  await checkA11y(page, "restore form asking for a reason");

  // "Other" without words comes back with the choice kept and the error beside the detail.
  await reason.selectOption("other");
  await page.getByRole("button", { name: "Restore post", exact: true }).click();
  await expect(page.getByText("Say briefly why, so the author understands.")).toBeVisible();
  await expect(reason).toHaveValue("other");
  await checkA11y(page, "restore form asking for detail");
  await page.getByLabel("Detail (needed for “Other”)").fill("The link was to the charity, not a shop");
  await page.getByRole("button", { name: "Restore post", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Charity walk ${author}` })).toBeVisible();
  await expect(page.getByText("Removed by moderators")).toHaveCount(0);

  await page.goto("/mod/log?action=restore-post");
  const row = page.getByRole("row").filter({ hasText: "The link was to the charity, not a shop" }).filter({ hasText: author });
  await expect(row.getByRole("cell", { name: "Restored", exact: true })).toBeVisible();

  // A whole thread comes back the same way.
  await page.goto(`${threadPath}/moderate`);
  await page.getByLabel("Reason (shown to everyone)").selectOption("off-topic");
  await page.getByRole("button", { name: "Remove thread" }).click();
  await expect(page.getByText("This thread was removed by moderators")).toBeVisible();
  await page.goto(`${threadPath}/moderate`);
  await expect(page.getByRole("heading", { name: "Restore", exact: true })).toBeVisible();
  await checkA11y(page, "restore thread form");
  await page.getByLabel("Reason for restoring (shown to everyone)").selectOption("edited");
  await page.getByRole("button", { name: "Restore thread" }).click();
  // The moderate page never shows that notice either: wait for the thread itself.
  await expect(page).toHaveURL((url) => url.pathname === threadPath);
  await expect(page.getByText("This thread was removed by moderators")).toHaveCount(0);
  await logOut(page);

  await logIn(page, author, PASSWORD);
  await page.goto("/notifications");
  await expect(
    page.getByRole("button", { name: "A moderator restored your post. Reason: The link was to the charity, not a shop", exact: true }),
  ).toBeVisible();
  await expect(page.getByRole("button", { name: "A moderator restored your thread. Reason: Edited to fit the guidelines", exact: true })).toBeVisible();
  await checkA11y(page, "notifications with a restore reason");
});

test("a moderator dismisses reports, reopens them from the notice and later from the log", async ({ page }) => {
  const mod = uniqueName("mod");
  const author = uniqueName("author");
  const reporter = uniqueName("reporter");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await createAccount({ username: author, password: PASSWORD });
  await createAccount({ username: reporter, password: PASSWORD });
  const title = `Stretch it out ${author}`;

  await logIn(page, author, PASSWORD);
  const threadPath = await postThread(page, "night-leg-cramps", title, "Just walk it off, cramps are all in the head.");
  await logOut(page);

  await logIn(page, reporter, PASSWORD);
  await page.goto(threadPath);
  await page.getByRole("link", { name: "Report post 1" }).click();
  await page.getByLabel("Misinformation or unsafe medical advice").check();
  await page.getByLabel("Anything moderators should know (optional)").fill("Dismisses real pain");
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("Your report is in the moderators' queue and will be reviewed.")).toBeVisible();
  await logOut(page);

  await logIn(page, mod, PASSWORD);
  await page.goto("/mod/reports");
  const item = () => page.locator(".queue > li").filter({ hasText: title });
  await expect(item().getByText("Dismisses real pain")).toBeVisible();
  const href = await item().getByRole("heading", { level: 2 }).getByRole("link").getAttribute("href");
  const postId = Number(href!.split("#post-")[1]);

  await item().getByRole("button", { name: "Dismiss reports" }).click();
  const notice = page.getByRole("status").filter({ hasText: "Reports on post 1 dismissed" });
  await expect(notice).toContainText(title);
  await expect(item()).toHaveCount(0);
  const reopen = notice.getByRole("button", { name: "Reopen reports on post 1" });
  await expectBigTarget(reopen, "Reopen on the notice");
  await checkA11y(page, "report queue with the reopen notice");
  await reopen.click();
  await expect(item().getByText("Dismisses real pain")).toBeVisible();
  await expect(page.getByRole("status").filter({ hasText: "dismissed" })).toHaveCount(0);

  // Dismissed again, it can still be reopened later from the moderation log.
  await item().getByRole("button", { name: "Dismiss reports" }).click();
  await expect(item()).toHaveCount(0);
  await page.goto("/mod/log?action=dismiss-reports");
  const entry = page.getByRole("row").filter({ has: page.getByRole("link", { name: `post ${postId}`, exact: true }) });
  await expect(entry).toHaveCount(2);
  const later = entry.getByRole("button", { name: `Reopen reports on post ${postId}` });
  // Only the latest dismissal is the one to take back.
  await expect(later).toHaveCount(1);
  await expectBigTarget(later, "Reopen on the log");
  await checkA11y(page, "moderation log with Reopen");
  await later.click();
  await expect(item().getByText("Dismisses real pain")).toBeVisible();

  await page.goto("/mod/log");
  const reopened = page.getByRole("row").filter({ has: page.getByRole("link", { name: `post ${postId}`, exact: true }) });
  await expect(reopened.getByRole("cell", { name: "Reopened reports", exact: true })).toHaveCount(2);
  await expect(page.getByRole("button", { name: `Reopen reports on post ${postId}` })).toHaveCount(0);
});
