import { checkA11y, createAccount, expect, inE2eDatabase, logIn, logOut, postThread, tables, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "cramps at three am";

/** A board of this test's own, so changing who reads it touches no other test. */
async function newBoard(access: "everyone" | "author-choice") {
  const slug = uniqueName("mo").toLowerCase().replace(/_/g, "-");
  const name = `Quiet room ${slug}`;
  await inE2eDatabase((tx) => tx.insert(tables.boards).values({ slug, name, description: "A board for this test.", position: 90, access }));
  return { slug, name };
}

test("an admin keeps a board to members; a visitor is told it is for members and offered the way in", async ({ page }) => {
  const admin = uniqueName("keeper");
  await createAccount({ username: admin, password: PASSWORD, role: "admin" });
  const board = await newBoard("everyone");

  await logIn(page, admin, PASSWORD);
  await page.goto("/admin/boards");
  const form = page.locator("form").filter({ has: page.getByRole("group", { name: board.name }) });
  await form.getByLabel("Only members can read it").check();
  await checkA11y(page, "board access");
  await form.getByRole("button", { name: `Save who can read ${board.name}` }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved who can read ${board.name}.`);
  await expect(
    page
      .locator("form")
      .filter({ has: page.getByRole("group", { name: board.name }) })
      .getByLabel("Only members can read it"),
  ).toBeChecked();
  const title = `Night spasms ${admin}`;
  const threadPath = await postThread(page, board.slug, title, "Mine start at two and last an hour.");
  await expect(page.getByText("Members only", { exact: true })).toBeVisible();
  await logOut(page);

  for (const path of [`/boards/${board.slug}`, threadPath]) {
    await page.goto(path);
    await expect(page.getByRole("heading", { level: 1, name: "For members only" })).toBeVisible();
    await expect(page.getByRole("main")).not.toContainText(title);
    await checkA11y(page, `visitor at ${path}`);
  }
  await page.getByRole("link", { name: "Log in" }).last().click();
  await page.getByLabel("Username or email").fill(admin);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
});

test("an author keeps a thread to members where the board lets them choose", async ({ page }) => {
  const author = uniqueName("private");
  await createAccount({ username: author, password: PASSWORD });
  const board = await newBoard("author-choice");

  await logIn(page, author, PASSWORD);
  await page.goto(`/boards/${board.slug}`);
  await expect(page.getByText("Authors may keep their threads here to members of the forum.")).toBeVisible();
  await page.goto(`/boards/${board.slug}/new`);
  const title = `What helped my clonus ${author}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Baclofen at night, and a warm bath.");
  await page.getByRole("radio", { name: /Only members of the forum/ }).check();
  await checkA11y(page, "new thread with a choice of readers");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadPath = new URL(page.url()).pathname;
  await expect(page.getByText("Members only", { exact: true })).toBeVisible();
  // The author can open it, and keep it to members again, from the thread.
  await page.getByRole("button", { name: "Open this thread to everyone" }).click();
  await expect(page.getByText("Visitors and search engines can read it now.")).toBeVisible();
  await expect(page.getByText("Members only", { exact: true })).toHaveCount(0);
  await page.getByRole("button", { name: "Keep this thread to members" }).click();
  await expect(page.getByText("Only members of the forum can read it now.")).toBeVisible();
  await checkA11y(page, "own members-only thread");
  await logOut(page);

  await page.goto(`/boards/${board.slug}`);
  await expect(page.getByRole("heading", { level: 1, name: board.name })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText(title);
  await page.goto(threadPath);
  await expect(page.getByRole("heading", { level: 1, name: "For members only" })).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("Baclofen");
});
