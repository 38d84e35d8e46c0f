import type { Browser, Page } from "@playwright/test";
import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// "Quote" puts a post's words in the reply box, after whatever the member already wrote.

const PASSWORD = "calves like stone";
const WORDS = "Warm socks and a hot water bottle at my feet stopped the night cramps.";

async function join(page: Page, prefix: string) {
  const username = uniqueName(prefix);
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
  return username;
}

/** Alice starts a thread in her own browser; returns its address and her page. */
async function aliceAsks(browser: Browser, javaScriptEnabled: boolean, baseURL: string | undefined) {
  const context = await browser.newContext({ javaScriptEnabled, baseURL });
  const page = await context.newPage();
  const alice = await join(page, "alice");
  const title = `Night cramps ${uniqueName("t")}`;
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill(WORDS);
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return { alice, title, url: page.url().split("#")[0]!, page, context };
}

const attribution = (username: string) => `**${username.replace(/_/g, "\\_")}** wrote in post 1:`;

test("quote a post, answer it and post: a blockquote, and its author is told", async ({ page, browser, javaScriptEnabled, baseURL }) => {
  const asked = await aliceAsks(browser, javaScriptEnabled !== false, baseURL);
  const bob = await join(page, "bob");
  await page.goto(asked.url);
  await page.getByRole("link", { name: "Quote post 1", exact: true }).click();

  const box = page.getByLabel("Your reply");
  await expect(box).toHaveValue(`${attribution(asked.alice)}\n\n> ${WORDS}\n\n`);
  await expect(page.getByText(`Answering post 1 by ${asked.alice}; they will be notified.`)).toBeVisible();
  await expect(page.getByRole("heading", { name: "Reply", exact: true })).toBeInViewport();
  await checkA11y(page, "thread with a quote in the reply box");

  await box.fill(`${await box.inputValue()}Same here, plus a stretch before bed.`);
  await page.getByRole("button", { name: "Post reply" }).click();
  const answer = page.locator("article").filter({ hasText: "plus a stretch before bed" });
  await expect(answer.locator("blockquote")).toHaveText(WORDS);
  await expect(answer.getByText(`${asked.alice} wrote in post 1:`)).toBeVisible();

  await asked.page.goto("/notifications");
  await expect(asked.page.getByRole("button", { name: `${bob} answered your post in “${asked.title}”`, exact: true })).toBeVisible();
  await asked.context.close();
});

test("Quote adds to what is already typed, without leaving the page @js-only", async ({ page, browser, baseURL }) => {
  const asked = await aliceAsks(browser, true, baseURL);
  await asked.context.close();
  await join(page, "bob");
  await page.goto(asked.url);
  const box = page.getByLabel("Your reply");
  await box.fill("Not saved yet: I tried magnesium too.");
  const before = page.url();
  await page.getByRole("link", { name: "Quote post 1", exact: true }).click();

  await expect(box).toHaveValue(`Not saved yet: I tried magnesium too.\n\n${attribution(asked.alice)}\n\n> ${WORDS}\n\n`);
  await expect(box).toBeFocused();
  // The caret waits at the end, where the answer goes.
  expect(await box.evaluate((el: HTMLTextAreaElement) => el.selectionStart === el.value.length)).toBe(true);
  expect(page.url()).toBe(before);
  await expect(page.getByText(`Answering post 1 by ${asked.alice}; they will be notified.`)).toBeVisible();

  // A second tap (a tremor) doesn't paste it twice.
  await page.getByRole("link", { name: "Quote post 1", exact: true }).click();
  await page.waitForLoadState("networkidle");
  await expect(box).toHaveValue(`Not saved yet: I tried magnesium too.\n\n${attribution(asked.alice)}\n\n> ${WORDS}\n\n`);
  await checkA11y(page, "thread with typed text and a quote in the reply box");
});
