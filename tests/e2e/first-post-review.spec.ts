import type { Page } from "@playwright/test";
import { checkA11y, createAccount, expect, inE2eDatabase, logIn, logOut, tables, test, uniqueName, untilHydrated } from "./fixtures.ts";

const PASSWORD = "cramps at three am";

/** A board of this test's own, so its review setting touches no other test. */
async function newBoard(reviewFirstPosts = 0) {
  const slug = uniqueName("fp").toLowerCase().replace(/_/g, "-");
  const name = `Welcome room ${slug}`;
  await inE2eDatabase((tx) => tx.insert(tables.boards).values({ slug, name, description: "A board for this test.", position: 91, reviewFirstPosts }));
  return { slug, name };
}

/** The review queue's card for a post, found by its heading. */
const card = (page: Page, heading: string) => page.getByRole("listitem").filter({ has: page.getByRole("heading", { level: 2, name: heading }) });

test("an admin asks a board to review new members; a first thread waits for a moderator, who publishes it", async ({ page }) => {
  const [admin, moderator, newcomer] = [uniqueName("fpadmin"), uniqueName("fpmod"), uniqueName("fpnew")];
  await createAccount({ username: admin, password: PASSWORD, role: "admin" });
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });
  await createAccount({ username: newcomer, password: PASSWORD });
  const board = await newBoard();

  await logIn(page, admin, PASSWORD);
  await page.goto("/admin/boards");
  const setting = page.getByLabel(`Review of new members' posts in ${board.name}`);
  await untilHydrated(setting);
  await setting.selectOption({ label: "A new member's first post waits for a moderator" });
  await page.getByRole("button", { name: `Save review for ${board.name}` }).click();
  await expect(page.getByRole("status")).toHaveText(`Saved how ${board.name} reviews new members' posts.`);
  await expect(page.getByLabel(`Review of new members' posts in ${board.name}`)).toHaveValue("1");
  await checkA11y(page, "board access with review");
  await logOut(page);

  await logIn(page, newcomer, PASSWORD);
  await page.goto(`/boards/${board.slug}/new`);
  await expect(page.getByText("A moderator reads a new member's first posts on this board before they are published.")).toBeVisible();
  await checkA11y(page, "new thread on a reviewed board");
  const title = `My first night here ${newcomer}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Hello, my calves knot up most nights, quillcalf.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadPath = new URL(page.url()).pathname;
  await expect(page.getByText("Waiting for a moderator.")).toBeVisible();
  await expect(page.getByText("You will get a notification when it is published")).toBeVisible();
  await expect(page.getByText("Hello, my calves knot up most nights")).toBeVisible();
  await expect(page.getByText("This thread waits for a moderator. Replies open once it is published.")).toBeVisible();
  await checkA11y(page, "own thread waiting for a moderator");
  await logOut(page);

  // Nobody else knows it is there.
  await page.goto(`/boards/${board.slug}`);
  await expect(page.getByRole("main")).not.toContainText(title);
  await page.goto(threadPath);
  await expect(page.getByRole("main")).not.toContainText("quillcalf");

  await logIn(page, moderator, PASSWORD);
  const queueLink = page.getByRole("link", { name: /^Review \(\d+ waiting\)$/ });
  await expect(queueLink).toBeVisible();
  await queueLink.click();
  await expect(page.getByRole("heading", { level: 1, name: "Review queue" })).toBeVisible();
  await checkA11y(page, "review queue");
  await card(page, `New thread “${title}”`)
    .getByRole("button", { name: `Approve and publish the post by ${newcomer}` })
    .click();
  await expect(page.getByRole("status")).toHaveText("Approved: the post is published, and its author is told.");
  await expect(page.getByRole("heading", { level: 2, name: `New thread “${title}”` })).toHaveCount(0);
  await logOut(page);

  await page.goto(`/boards/${board.slug}`);
  await page.getByRole("link", { name: title }).click();
  await expect(page.getByText("Hello, my calves knot up most nights")).toBeVisible();
  await expect(page.getByText("Waiting for a moderator.")).toHaveCount(0);
});

test("a moderator returns a reply with a note; its author edits it and it goes back for review", async ({ page }) => {
  const [moderator, newcomer] = [uniqueName("fpmod"), uniqueName("fpnew")];
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });
  await createAccount({ username: newcomer, password: PASSWORD });
  const board = await newBoard(2);

  // Staff are never held: the moderator's thread is published at once.
  await logIn(page, moderator, PASSWORD);
  await page.goto(`/boards/${board.slug}/new`);
  const title = `Magnesium at night ${moderator}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Has it helped anyone?");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const threadPath = new URL(page.url()).pathname;
  await logOut(page);

  await logIn(page, newcomer, PASSWORD);
  await page.goto(threadPath);
  await expect(page.getByText("A moderator reads a new member's first posts on this board before they are published.")).toBeVisible();
  await page.getByLabel("Your reply").fill("It helped me, my pharmacist is Dr Quillon at the corner shop.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("Waiting for a moderator.")).toBeVisible();
  await expect(page.getByText("my pharmacist is Dr Quillon")).toBeVisible();
  await checkA11y(page, "own reply waiting for a moderator");
  await logOut(page);

  await logIn(page, moderator, PASSWORD);
  await page.goto("/mod/review");
  const reply = card(page, `Reply in “${title}”`);
  await reply.getByText(`Return it to ${newcomer}…`).click();
  await reply.getByRole("button", { name: `Return the post to ${newcomer}` }).click();
  // Without a note nothing is sent: the field is required.
  await expect(page.getByRole("status")).toHaveCount(0);
  const note = "Please leave out your pharmacist's name, so nobody can be identified.";
  await reply.getByLabel(`What should ${newcomer} change?`).fill(note);
  await checkA11y(page, "returning a post");
  await reply.getByRole("button", { name: `Return the post to ${newcomer}` }).click();
  await expect(page.getByRole("status")).toHaveText("Returned: its author can read your note and edit the post.");
  await logOut(page);

  await logIn(page, newcomer, PASSWORD);
  await page.goto(threadPath);
  await expect(page.getByText(note)).toBeVisible();
  await expect(page.getByText("Only you can see this post. Edit it to send it back for review, or delete it.")).toBeVisible();
  await checkA11y(page, "own returned reply");
  await page.getByRole("link", { name: "Edit the post waiting for review" }).click();
  await expect(page.getByText(`A moderator returned your post: ${note} Saving your changes sends it back for review.`)).toBeVisible();
  await checkA11y(page, "editing a returned reply");
  await page.getByLabel("Your post").fill("It helped me, from the pharmacy at the corner.");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Waiting for a moderator.")).toBeVisible();
  await expect(page.getByText("from the pharmacy at the corner")).toBeVisible();
  await expect(page.getByText(note)).toHaveCount(0);
});

test("a new member's words about self-harm show them help at once and reach moderators first", async ({ page }) => {
  const [moderator, newcomer] = [uniqueName("fpmod"), uniqueName("fpnew")];
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });
  await createAccount({ username: newcomer, password: PASSWORD });
  const board = await newBoard(1);

  await logIn(page, newcomer, PASSWORD);
  await page.goto(`/boards/${board.slug}/new`);
  const title = `Too much tonight ${newcomer}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Some nights I want to end my life, the cramps never stop.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "You don't have to go through this alone" })).toBeVisible();
  await expect(page.getByText("A moderator will read your post soon, before it is published, and people here understand")).toBeVisible();
  await expect(page.getByText("Waiting for a moderator.")).toBeVisible();
  await checkA11y(page, "crisis panel for a held post");
  await logOut(page);

  await logIn(page, moderator, PASSWORD);
  await page.goto("/mod/review");
  const held = card(page, `At risk New thread “${title}”`);
  await expect(held.getByText("Its author was shown crisis resources as they posted")).toBeVisible();
  await page.goto("/mod/reports");
  await expect(page.getByText(`By ${newcomer} in ${board.name}`)).toContainText("waiting for review, not published");
});
