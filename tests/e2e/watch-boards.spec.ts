import { checkA11y, createAccount, expect, expectBigTarget, logIn, logOut, postThread, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "cramps at three am";

test("a member watches a board, hears of a new thread there, and stops watching in Settings", async ({ page }) => {
  const watcher = uniqueName("watcher");
  const author = uniqueName("starter");
  await createAccount({ username: watcher, password: PASSWORD });
  await createAccount({ username: author, password: PASSWORD });

  await logIn(page, watcher, PASSWORD);
  await page.goto("/boards/fibromyalgia");
  const watch = page.getByRole("button", { name: "Watch this board" });
  await expectBigTarget(watch, "Watch this board");
  await watch.click();
  await expect(page.getByRole("button", { name: "Stop watching Fibromyalgia" })).toBeVisible();
  await expect(page.getByText("You're watching: new threads here show in your notifications.")).toBeVisible();
  await checkA11y(page, "a watched board");
  await logOut(page);

  await logIn(page, author, PASSWORD);
  const title = `Fog after a flare ${author}`;
  const threadPath = await postThread(page, "fibromyalgia", title, "Does anyone else lose words for a day or two?");
  await logOut(page);

  await logIn(page, watcher, PASSWORD);
  // Not an exact count: the same test in the other project starts a thread on this board too.
  await expect(page.getByRole("link", { name: /^Notifications \(\d+ unread\)$/ })).toBeVisible();
  await page.goto("/notifications");
  const notice = page.getByRole("button", { name: `New thread in Fibromyalgia: “${title}”, by ${author}`, exact: true });
  await expect(notice).toBeVisible();
  await checkA11y(page, "notifications with a new thread");
  await notice.click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(threadPath);

  await page.goto("/settings");
  await page.getByRole("link", { name: "See boards you watch" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Boards you watch" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Fibromyalgia" })).toBeVisible();
  await checkA11y(page, "boards you watch");
  await page.getByRole("button", { name: "Stop watching Fibromyalgia" }).click();
  await expect(page.getByRole("status")).toHaveText("You've stopped watching that board.");
  await expect(page.getByText("You aren't watching any boards.")).toBeVisible();
  await checkA11y(page, "no boards watched");
  await page.goto("/boards/fibromyalgia");
  await expect(page.getByRole("button", { name: "Watch this board" })).toBeVisible();
});

test("replies in a followed thread show as one row until the thread is read", async ({ page }) => {
  const author = uniqueName("grouped");
  const [first, second] = [uniqueName("replyone"), uniqueName("replytwo")];
  for (const username of [author, first, second]) await createAccount({ username, password: PASSWORD });

  await logIn(page, author, PASSWORD);
  const title = `Calf cramps at dawn ${author}`;
  const threadPath = await postThread(page, "night-leg-cramps", title, "Every morning around five.");
  await logOut(page);
  for (const [who, words] of [
    [first, "Try a banana before bed."],
    [second, "Stretch your calves at night."],
    [first, "And drink water."],
  ] as const) {
    await logIn(page, who, PASSWORD);
    await page.goto(threadPath);
    await page.getByLabel("Your reply").fill(words);
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText(words)).toBeVisible();
    await logOut(page);
  }

  await logIn(page, author, PASSWORD);
  await expect(page.getByRole("link", { name: "Notifications (1 unread)" })).toBeVisible();
  await page.goto("/notifications");
  await expect(page.getByRole("button", { name: `${first} and 1 other replied in “${title}”`, exact: true })).toBeVisible();
  await checkA11y(page, "a grouped notification");
  // Reading the thread marks the group read.
  await page.goto(threadPath);
  await page.goto("/notifications");
  await expect(page.getByText("You're all caught up.")).toBeVisible();
  await expect(page.getByRole("link", { name: "Notifications", exact: true })).toBeVisible();
});
