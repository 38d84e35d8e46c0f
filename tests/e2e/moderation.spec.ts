import type { Page } from "@playwright/test";
import { checkA11y, createAccount, expect, expectBigTarget, logIn, logOut, postThread, signUp, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "spasms before breakfast";

/** How wide the page is laid out; more than the viewport means the whole page scrolls sideways. */
async function pageWidth(page: Page) {
  return page.evaluate(() => document.documentElement.scrollWidth);
}

async function postReply(page: Page, body: string) {
  await page.getByLabel("Your reply").fill(body);
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText(body)).toBeVisible();
}

test("a moderator pins, locks, removes and restores; a visitor sees the placeholder", async ({ page }) => {
  const mod = uniqueName("mod");
  const author = uniqueName("author");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await signUp(page, { username: author, email: `${author}@example.org`, password: PASSWORD });
  const older = await postThread(page, "neuropathy", `Older thread ${author}`, "An older thread.");
  const threadPath = await postThread(page, "neuropathy", `Tingling and cramps ${author}`, "Feet tingle, then the calves cramp.");
  await postReply(page, "Buy miracle cure at example dot com");
  // Another thread bumps above ours, so pinning is what brings ours back to the top.
  await page.goto(older);
  await postReply(page, "A bump for the older thread.");
  await logOut(page);

  await logIn(page, mod, PASSWORD);
  await page.goto(threadPath);
  await page.getByRole("link", { name: "Moderate thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Moderate “Tingling and cramps ${author}”` })).toBeVisible();
  await checkA11y(page, "moderate thread");
  await page.getByRole("button", { name: "Pin thread" }).click();
  await expect(page.getByText("Pinned", { exact: true })).toBeVisible();
  await page.goto("/boards/neuropathy");
  await expect(page.getByRole("heading", { name: "Pinned threads" })).toBeVisible();
  // Other tests share the board, so compare our two threads' positions rather than the first row.
  const titles = await page.locator(".thread-list h3 a").allTextContents();
  expect(titles.indexOf(`Tingling and cramps ${author}`)).toBeGreaterThanOrEqual(0);
  expect(titles.indexOf(`Tingling and cramps ${author}`)).toBeLessThan(titles.indexOf(`Older thread ${author}`));
  await checkA11y(page, "board with a pinned thread");

  await page.goto(`${threadPath}/moderate`);
  await page.getByLabel("Reason (shown on the thread)").fill("Selling is not allowed here");
  await page.getByRole("button", { name: "Lock thread" }).click();
  await expect(page.getByText("Locked", { exact: true })).toBeVisible();

  await page.getByRole("link", { name: "Moderate post 2" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Moderate a post" })).toBeVisible();
  await checkA11y(page, "moderate post");
  await page.getByLabel("Reason (shown to everyone)").selectOption("spam");
  await page.getByRole("button", { name: "Remove post" }).click();
  await expect(page.getByText("Removed by moderators — Spam")).toBeVisible();
  // Moderators still see the original text.
  await expect(page.getByText("Buy miracle cure at example dot com")).toBeVisible();
  await checkA11y(page, "thread as a moderator");
  await logOut(page);

  await page.goto(threadPath);
  await expect(page.getByText("Removed by moderators — Spam")).toBeVisible();
  await expect(page.getByText("Buy miracle cure")).toHaveCount(0);
  await expect(page.getByText("This thread is locked — Selling is not allowed here.")).toBeVisible();
  await expect(page.getByLabel("Your reply")).toHaveCount(0);
  await checkA11y(page, "thread as a visitor");

  await logIn(page, mod, PASSWORD);
  await page.goto(threadPath);
  // Restoring says why: the thread's Restore link opens the moderate page, which asks for it.
  await page.getByRole("link", { name: "Restore post 2" }).click();
  await page.getByLabel("Reason for restoring (shown to everyone)").selectOption("mistake");
  await page.getByRole("button", { name: "Restore post", exact: true }).click();
  // The moderate page never says "Removed by moderators": wait for the thread before counting.
  await expect(page.getByRole("heading", { level: 1, name: `Tingling and cramps ${author}` })).toBeVisible();
  await expect(page.getByText("Removed by moderators")).toHaveCount(0);
  await logOut(page);
  await page.goto(threadPath);
  await expect(page.getByText("Buy miracle cure at example dot com")).toBeVisible();
});

test("a member reports a post, the moderator resolves it from the queue, and a suspended member sees the notice", async ({ page }) => {
  const mod = uniqueName("mod");
  const troll = uniqueName("troll");
  const reporter = uniqueName("reporter");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await createAccount({ username: troll, password: PASSWORD });
  await createAccount({ username: reporter, password: PASSWORD });

  await logIn(page, troll, PASSWORD);
  const threadPath = await postThread(page, "fibromyalgia", `Fibro is fake ${troll}`, "None of you are really in pain.");
  await logOut(page);

  await logIn(page, reporter, PASSWORD);
  await page.goto(threadPath);
  await page.getByRole("link", { name: "Report post 1" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Report a post" })).toBeVisible();
  await checkA11y(page, "report form");
  await page.getByRole("button", { name: "Send report" }).click();
  await page.getByLabel("Harassment").check();
  await page.getByLabel("Anything moderators should know (optional)").fill("Dismissive of everyone here");
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("Your report is in the moderators' queue and will be reviewed.")).toBeVisible();
  await checkA11y(page, "report sent");
  await logOut(page);

  await logIn(page, mod, PASSWORD);
  await expect(page.getByRole("link", { name: /Reports \(\d+ open\)/ })).toBeVisible();
  await page.getByRole("link", { name: /Reports/ }).click();
  const item = page.locator(".queue > li").filter({ hasText: `Fibro is fake ${troll}` });
  await expect(item.getByText("Dismissive of everyone here")).toBeVisible();
  await expectBigTarget(item.getByRole("heading", { level: 2 }).getByRole("link", { name: `Post 1 in “Fibro is fake ${troll}”` }), "queue item's link");
  await expectBigTarget(page.getByRole("main").getByRole("link", { name: "Moderation log", exact: true }), "link to the moderation log");
  await checkA11y(page, "report queue");
  await item.getByText(`Suspend ${troll}…`).click();
  await item.getByLabel("How long").selectOption("3d");
  await item.getByLabel("Reason (shown to the member)").fill("Harassing members who are in pain");
  await item.getByRole("button", { name: `Suspend ${troll}` }).click();
  await expect(page.locator(".queue > li").filter({ hasText: `Fibro is fake ${troll}` })).toHaveCount(0);
  await page.goto("/mod/log");
  const entry = page.getByRole("row").filter({ hasText: "Harassing members who are in pain" }).first();
  await expect(entry).toBeVisible();
  // The action in words, not its code ("suspend").
  await expect(entry.getByRole("cell", { name: "Suspended", exact: true })).toBeVisible();
  await checkA11y(page, "moderation log");
  await logOut(page);

  await page.goto("/transparency");
  await expect(page.getByRole("cell", { name: /Harassing members who are in pain/ }).first()).toBeVisible();
  await checkA11y(page, "transparency log");

  await page.goto("/login");
  await page.getByLabel("Username or email").fill(troll);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your account is suspended" })).toBeVisible();
  await expect(page.getByText("Harassing members who are in pain")).toBeVisible();
  await checkA11y(page, "suspension notice");
});

test("at 320 px the logs and the member list fit the screen, long names wrap and their links are 44 px", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  // uniqueName fills all 24 characters with no place to break a line: the widest name there is.
  const admin = uniqueName("administrator");
  const member = uniqueName("memberwithalongname");
  expect(admin).toHaveLength(24);
  await createAccount({ username: admin, password: PASSWORD, role: "admin" });
  await createAccount({ username: member, password: PASSWORD });

  await logIn(page, admin, PASSWORD);
  const threadPath = await postThread(page, "neuropathy", `Read on a phone ${admin}`, "In bed, during a cramp, one thumb.");
  await page.goto(`${threadPath}/moderate`);
  // One long word, as someone might paste it: it must wrap, not widen the page.
  const reason = `Answered_by_the_original_poster_${admin}`;
  await page.getByLabel("Reason (shown on the thread)").fill(reason);
  await page.getByRole("button", { name: "Lock thread" }).click();
  await expect(page.getByText("Locked", { exact: true })).toBeVisible();

  await page.goto(`/admin/users?q=${member}`);
  await page.getByRole("button", { name: `Make ${member} a moderator` }).click();
  await expect(page.getByRole("button", { name: `Revoke moderator from ${member}` })).toBeVisible();
  expect(await pageWidth(page), "/admin/users scrolls sideways").toBeLessThanOrEqual(320);
  await expectBigTarget(page.getByRole("cell").getByRole("link", { name: member, exact: true }), "username on /admin/users");
  await checkA11y(page, "members at 320 px");

  await page.goto("/mod/log");
  await expect(page.getByRole("cell", { name: reason })).toBeVisible();
  expect(await pageWidth(page), "/mod/log scrolls sideways").toBeLessThanOrEqual(320);
  const row = page.getByRole("row").filter({ hasText: reason });
  await expectBigTarget(row.getByRole("link", { name: /^thread \d+$/ }), "thread link on /mod/log");
  await checkA11y(page, "moderation log at 320 px");
  // At 320 px the header folds Log out into its Menu.
  await page.locator("header summary", { hasText: "Menu" }).click();
  await logOut(page);

  await page.goto("/transparency");
  const publicRow = page.getByRole("row").filter({ hasText: reason });
  await expect(publicRow).toBeVisible();
  await expect(publicRow).toContainText(admin);
  expect(await pageWidth(page), "/transparency scrolls sideways").toBeLessThanOrEqual(320);
  await expectBigTarget(publicRow.getByRole("link", { name: "a thread", exact: true }), "“a thread” on /transparency");
  await checkA11y(page, "transparency log at 320 px");
});
