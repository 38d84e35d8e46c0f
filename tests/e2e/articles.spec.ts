import { checkA11y, createAccount, expect, logIn, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "stiff legs every evening";

const REFERENCES = `authors: Katzberg HD, Khan AH, So YT.
title: Assessment: symptomatic treatment for muscle cramps
source: Neurology
year: 2010
doi: 10.1212/WNL.0b013e3181d0ccca
pmid: 20177124`;

test("a moderator writes, previews, publishes and pins an article; a visitor reads it from the board", async ({ page }) => {
  const moderator = uniqueName("mod");
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });
  await logIn(page, moderator, PASSWORD);

  await page.goto("/articles");
  await expect(page.getByRole("heading", { level: 1, name: "Articles" })).toBeVisible();
  await checkA11y(page, "articles (moderator)");
  await page.getByRole("link", { name: "Write an article" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Write an article" })).toBeVisible();
  await checkA11y(page, "new article");

  const title = `Warm baths before bed ${moderator}`;
  const body = "## What helps\n\nA warm bath before bed may ease cramps [1].";
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Summary").fill("x".repeat(301));
  await page.getByLabel("Article text").fill(body);
  await page.getByLabel("References").fill(REFERENCES);
  await page.getByLabel("Author", { exact: true }).fill("Unclench editorial team");
  await page.getByLabel("Reviewer").fill("Dr A. Patel, consultant neurologist");
  await page.getByLabel("Pin to Night & leg cramps").check();
  await page.getByLabel("Order on Night & leg cramps").fill("1");

  // Too long a summary: a message beside it, everything typed still there.
  await page.getByRole("button", { name: "Save article" }).click();
  await expect(page.getByText("The summary is at most 300 characters")).toBeVisible();
  await expect(page.getByLabel("Article text")).toHaveValue(body);
  await expect(page.getByLabel("References")).toHaveValue(REFERENCES);
  await expect(page.getByLabel("Pin to Night & leg cramps")).toBeChecked();
  await checkA11y(page, "new article with an error");

  const summary = `Why a warm bath before bed may help night cramps, and what the evidence says (${moderator}).`;
  await page.getByLabel("Summary").fill(summary);
  await page.getByRole("button", { name: "Preview" }).click();
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByRole("heading", { name: "What helps" })).toBeVisible();
  await expect(preview.getByRole("link", { name: "[1]" })).toHaveAttribute("href", "#ref-1");
  await expect(preview.getByRole("link", { name: "Back to citation of reference 1" })).toHaveAttribute("href", "#cite-1-1");
  await expect(preview.getByRole("link", { name: "DOI: 10.1212/WNL.0b013e3181d0ccca" })).toBeVisible();
  await checkA11y(page, "new article preview");

  // Saved as a draft first: only moderators can see it.
  await page.getByRole("button", { name: "Save article" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText("This is a draft: only moderators can see it.")).toBeVisible();
  await checkA11y(page, "draft article");
  const articlePath = new URL(page.url()).pathname;

  await page.getByRole("button", { name: "Publish" }).click();
  await expect(page.getByText("This is a draft")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Unpublish (back to draft)" })).toBeVisible();

  // An edit keeps the earlier version.
  await page.getByRole("link", { name: "Edit article" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Edit article" })).toBeVisible();
  await checkA11y(page, "edit article");
  await page.getByLabel("Summary").fill(`${summary} Updated.`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText(`${summary} Updated.`)).toBeVisible();
  await page.getByRole("link", { name: "Revision history" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Revision history" })).toBeVisible();
  await expect(page.getByText(summary, { exact: true })).toBeVisible();
  await checkA11y(page, "article history");

  // The board's order, as moderators manage it.
  await page.goto("/articles?board=night-leg-cramps");
  await expect(page.getByRole("heading", { level: 2, name: "Order on this board" })).toBeVisible();
  await checkA11y(page, "articles for a board (moderator)");

  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();

  // A visitor finds it on the board, above the threads.
  await page.goto("/");
  await page.getByRole("link", { name: "Night & leg cramps" }).click();
  const pinned = page.getByRole("region", { name: "Articles", exact: true });
  await expect(pinned.getByRole("heading", { level: 3, name: title })).toBeVisible();
  await expect(pinned.getByText(`${summary} Updated.`)).toBeVisible();
  await checkA11y(page, "board with pinned articles");
  await pinned.getByRole("link", { name: title }).click();

  await expect(page).toHaveURL((url) => url.pathname === articlePath);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(page.getByText(/^Last reviewed .+ by Dr A\. Patel, consultant neurologist\./)).toBeVisible();
  await expect(page.getByText("This article is general information, not medical advice.")).toBeVisible();
  await expect(page.getByText("Review overdue")).toHaveCount(0);
  const references = page.getByRole("region", { name: "References" });
  await expect(references.getByRole("link", { name: "PubMed 20177124" })).toHaveAttribute("href", "https://pubmed.ncbi.nlm.nih.gov/20177124/");
  await expect(page.getByRole("link", { name: "Night & leg cramps" }).last()).toBeVisible();
  await expect(page.getByRole("button", { name: "Publish" })).toHaveCount(0);
  await page.getByRole("link", { name: "[1]" }).click();
  await expect(page).toHaveURL(/#ref-1$/);
  await checkA11y(page, "article as a visitor");

  await page.goto("/articles");
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  await checkA11y(page, "articles (visitor)");
});

test("a moderator links related reading to a thread and adds an evidence note under a post", async ({ page }) => {
  const moderator = uniqueName("evmod");
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });
  await logIn(page, moderator, PASSWORD);

  const threadTitle = `Tonic water every night ${moderator}`;
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(threadTitle);
  await page.getByLabel("Your post").fill("Quinine in tonic water fixed my cramps, everyone should take it.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: threadTitle })).toBeVisible();
  const threadPath = new URL(page.url()).pathname;

  // Related reading
  const manage = page.getByRole("link", { name: "Manage related reading" });
  await expect(manage).toBeVisible();
  await manage.click();
  await expect(page.getByRole("heading", { level: 1, name: "Related reading" })).toBeVisible();
  await checkA11y(page, "related reading (none yet)");
  const articleTitle = "Night-time leg cramps: causes, stretching, magnesium and quinine";
  await page.getByLabel("Article").selectOption({ label: articleTitle });
  await page.getByRole("button", { name: "Link article" }).click();
  await expect(page.getByRole("list").getByRole("link", { name: articleTitle })).toBeVisible();
  await checkA11y(page, "related reading (one linked)");
  await page.getByRole("link", { name: "Back to the thread" }).click();
  await expect(page.getByRole("region", { name: "Related reading" }).getByRole("link", { name: articleTitle })).toBeVisible();

  // Evidence note
  const addNote = page.getByRole("link", { name: "Add evidence note to post 1" });
  await expect(addNote).toBeVisible();
  await addNote.click();
  await expect(page.getByRole("heading", { level: 1, name: "Evidence note" })).toBeVisible();
  await checkA11y(page, "evidence note form");
  await page.getByRole("textbox", { name: "Note" }).fill("Quinine is no longer advised for routine cramps because of its side effects.");
  await page.getByRole("button", { name: "Add note" }).click();
  await expect(page.getByText("Link an article from the list, or add a link to a reference")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Note" })).toHaveValue("Quinine is no longer advised for routine cramps because of its side effects.");
  await page.getByLabel("Article to link (optional)").selectOption({ label: articleTitle });
  await page.getByRole("button", { name: "Preview" }).click();
  await expect(page.getByRole("region", { name: "Preview" }).getByRole("link", { name: articleTitle })).toBeVisible();
  await checkA11y(page, "evidence note preview");
  await page.getByRole("button", { name: "Add note" }).click();

  await expect(page).toHaveURL((url) => url.pathname === threadPath);
  const note = page.getByRole("note", { name: "Evidence note from the moderators" });
  await expect(note).toContainText(`from moderator ${moderator}`);
  await expect(note.getByRole("link", { name: articleTitle })).toBeVisible();
  // The post itself is untouched.
  await expect(page.getByText("Quinine in tonic water fixed my cramps, everyone should take it.")).toBeVisible();
  await checkA11y(page, "thread with an evidence note");

  // The article lists the thread that discusses it.
  await note.getByRole("link", { name: articleTitle }).click();
  await expect(page.getByRole("heading", { level: 1, name: articleTitle })).toBeVisible();
  await expect(page.getByRole("region", { name: "Discussed in the forum" }).getByRole("link", { name: threadTitle })).toBeVisible();

  // Editing and removing the note.
  await page.goto(threadPath);
  const editNote = page.getByRole("link", { name: "Edit or remove evidence note on post 1" });
  await expect(editNote).toBeVisible();
  await editNote.click();
  await page.getByRole("button", { name: "Remove evidence note" }).click();
  await expect(page).toHaveURL((url) => url.pathname === threadPath);
  await expect(page.getByRole("note", { name: "Evidence note from the moderators" })).toHaveCount(0);
});

test("citations are 44 px targets", async ({ page }) => {
  await page.goto("/articles/ms-spasticity-and-spasms");
  const citations = page.locator(".article-body").getByRole("link", { name: /^\[\d+\]$/ });
  expect(await citations.count(), "the seeded article cites its references").toBeGreaterThan(1);
  for (const citation of await citations.all()) {
    const box = (await citation.boundingBox())!;
    expect(box.height, "citation height").toBeGreaterThanOrEqual(44);
    expect(box.width, "citation width").toBeGreaterThanOrEqual(44);
  }
  await checkA11y(page, "article with its citations");
});

test("members and visitors cannot reach the article editor", async ({ page }) => {
  const memberName = uniqueName("reader");
  await createAccount({ username: memberName, password: PASSWORD });
  const response = await page.goto("/articles/new");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Farticles%2Fnew/);
  expect(response?.status()).toBe(200);
  await logIn(page, memberName, PASSWORD);
  const forbidden = await page.goto("/articles/new");
  expect(forbidden?.status()).toBe(403);
  await expect(page.getByRole("heading", { level: 1, name: "Not allowed" })).toBeVisible();
  await checkA11y(page, "403");
});

// In-page links (citations, the skip link) are history entries the browser makes itself; with
// JS the router used to file them all under one key and scroll the second jump back.
test("every jump to a reference lands on it, the second as well as the first", async ({ page }) => {
  await page.goto("/articles/ms-spasticity-and-spasms");
  const body = page.locator(".article-body");
  for (const k of [1, 2, 1]) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await body
      .getByRole("link", { name: `[${k}]` })
      .first()
      .click();
    await expect(page).toHaveURL(new RegExp(`#ref-${k}$`));
    await expect(page.locator(`#ref-${k}`), `jump to reference ${k}`).toBeInViewport();
  }
});
