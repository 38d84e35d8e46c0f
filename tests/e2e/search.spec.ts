import type { Page } from "@playwright/test";
import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// The search page's own form (the header's search box is a second, separate "search" landmark).
const searchForm = (page: Page) => page.getByRole("search", { name: "Search", exact: true });

// Runs with JS on and off: a member posts, then anyone finds the post and opens it.
test("search for a post and open it", async ({ page }) => {
  const username = uniqueName("finder");
  // A word nobody else writes, so the result is this test's post whatever else is in the database.
  const word = `zq${username.replace(/[^a-z0-9]/g, "")}`;
  await signUp(page, { username, email: `${username}@example.org`, password: "calves like knotted rope" });
  await page.goto("/boards/night-leg-cramps/new");
  const title = `Cramps at 3am ${username}`;
  await page.getByLabel("Title").fill(title);
  // Markup a member types must come back as text in the snippet, never as an element.
  await page.getByLabel("Your post").fill(`Tried ${word} last night. <img src=x onerror=alert(1)> It **helped**.`);
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();

  await page.goto("/search");
  await expect(page.getByRole("heading", { level: 1, name: "Search" })).toBeVisible();
  await expect(page.getByText("Type something to search for")).toBeVisible();
  await checkA11y(page, "search (no words yet)");

  await searchForm(page).getByLabel("Search for").fill(word);
  await searchForm(page).getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "1 thread" })).toBeVisible();
  await expect(page).toHaveURL((url) => url.pathname === "/search" && url.searchParams.get("q") === word);
  const result = page.locator(".search-list li").filter({ hasText: title });
  await expect(result.locator("mark")).toHaveText(word);
  await expect(result.getByText("<img src=x onerror=alert(1)>")).toBeVisible();
  await expect(page.locator(".search-list img")).toHaveCount(0);
  await expect(result.getByText(`Opening post in Night & leg cramps · by ${username}`)).toBeVisible();
  await expect(searchForm(page).getByLabel("Search for")).toHaveValue(word);
  await checkA11y(page, "search results");

  await result.getByRole("link", { name: title }).click();
  await expect(page).toHaveURL(/\/threads\/\d+\?page=1#post-\d+$/);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await checkA11y(page, "thread opened from search");

  // The board filter keeps the words; another board has no such post.
  await page.goto(`/search?q=${word}`);
  await searchForm(page).getByLabel("Board").selectOption({ label: "Fibromyalgia" });
  await searchForm(page).getByRole("button", { name: "Search" }).click();
  await expect(page.getByRole("heading", { level: 2, name: "No results in Fibromyalgia" })).toBeVisible();
  await expect(searchForm(page).getByLabel("Search for")).toHaveValue(word);
  await checkA11y(page, "search with no results");
});

test("odd and hostile searches get a friendly page", async ({ page }) => {
  for (const q of ['"', "NEAR(", "*", "-", "((( )))"]) {
    const response = await page.goto(`/search?q=${encodeURIComponent(q)}`);
    expect(response?.status(), q).toBe(200);
    await expect(page.getByText("There were no words to search for in that.")).toBeVisible();
  }
  await checkA11y(page, "search with only punctuation");

  const long = `cramps ${'NEAR( "calf* -stiff '.repeat(60)}`.slice(0, 1000);
  const response = await page.goto(`/search?q=${encodeURIComponent(long)}`);
  expect(response?.status()).toBe(200);
  await expect(page.getByText("Only the first 200 characters of your search were used.")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2 })).toBeVisible();
  await checkA11y(page, "search with a 1,000-character query");

  const bad = await page.goto("/search?q=cramps&board=no-such-board");
  expect(bad?.status()).toBe(400);
  await expect(page.getByText("Choose a board from the list.")).toBeVisible();
  await expect(searchForm(page).getByLabel("Search for")).toHaveValue("cramps");
  await checkA11y(page, "search with an unknown board");
});
