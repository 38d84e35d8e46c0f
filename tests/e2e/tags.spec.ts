import { checkA11y, createAccount, expect, logIn, logOut, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "cramps at three am";

test("a member tags a thread; others find it by tag on the board, on the tag's page and in search", async ({ page }) => {
  const author = uniqueName("tagger");
  const moderator = uniqueName("curator");
  await createAccount({ username: author, password: PASSWORD });
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });

  // A moderator adds a tag of this test's own to the list.
  await logIn(page, moderator, PASSWORD);
  await page.goto("/mod/tags");
  const tagName = `Cold ${moderator.slice(-6)}`;
  await page.getByLabel("New tag").fill(tagName);
  await page.getByRole("button", { name: "Add tag" }).click();
  await expect(page.getByRole("status")).toHaveText(`Added “${tagName}”.`);
  await checkA11y(page, "moderators' tags");
  await logOut(page);

  await logIn(page, author, PASSWORD);
  await page.goto("/boards/night-leg-cramps/new");
  const title = `Cold floor for cramps ${author}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Standing on a cold tiled floor stops my calf cramp in a minute, glacierfoot.");
  await page.getByRole("checkbox", { name: tagName }).check();
  await page.getByRole("checkbox", { name: "Stretching" }).check();
  await checkA11y(page, "new thread with tags");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const tags = page.getByRole("list", { name: "Tags" });
  await expect(tags.getByRole("link")).toHaveText([tagName, "Stretching"]);
  const threadPath = new URL(page.url()).pathname;

  // The author takes one off again.
  await page.getByRole("link", { name: "Change tags" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Tags for “${title}”` })).toBeVisible();
  await checkA11y(page, "a thread's tags");
  await page.getByRole("checkbox", { name: "Stretching" }).uncheck();
  await page.getByRole("button", { name: "Save tags" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByRole("list", { name: "Tags" }).getByRole("link")).toHaveText([tagName]);
  await logOut(page);

  // A visitor follows the tag to the board's threads with it.
  await page.goto(threadPath);
  await page.getByRole("list", { name: "Tags" }).getByRole("link", { name: tagName }).click();
  await expect(page.getByRole("heading", { level: 2, name: `Threads tagged ${tagName}` })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await checkA11y(page, "a board by tag");

  const slug = new URL(page.url()).searchParams.get("tag")!;
  await page.goto(`/tags/${slug}`);
  await expect(page.getByRole("heading", { level: 1, name: `Threads tagged ${tagName}` })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await checkA11y(page, "a tag's page");

  await page.goto("/search");
  await page.getByLabel("Search for").fill("glacierfoot");
  await page.getByLabel("Tag", { exact: true }).selectOption({ label: "Stretching" });
  await page.getByRole("main").getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "No results tagged Stretching" })).toBeVisible();
  await page.getByLabel("Tag", { exact: true }).selectOption({ label: tagName });
  await page.getByRole("main").getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
});
