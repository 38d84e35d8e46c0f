import type { Page } from "@playwright/test";
import { checkA11y, expect, postThread, signUp, test, uniqueName } from "./fixtures.ts";

// Pages a visitor can only read come without JavaScript, even when the browser runs it
// (app/utils/scripts.ts); a member gets the scripts and everything they add.

const PASSWORD = "calf stretch against the wall";

/** Script elements in the page and whether Remix handed it data to hydrate with. */
const scriptsIn = (page: Page) =>
  page.evaluate(() => ({
    scripts: document.querySelectorAll("script, link[rel=modulepreload]").length,
    hydrating: "__remixContext" in window,
  }));

test("a visitor reads the home page, a board and a thread with no scripts loaded, and every link still works @js-only", async ({ page, browser, baseURL }) => {
  const author = await browser.newContext({ baseURL });
  const authorPage = await author.newPage();
  const username = uniqueName("reader");
  await signUp(authorPage, { username, email: `${username}@example.org`, password: PASSWORD });
  const title = `Magnesium before bed ${username}`;
  // A word nobody else writes, so the search finds this thread whatever else is in the database.
  const word = `zq${username.replace(/[^a-z0-9]/g, "")}`;
  const threadUrl = await postThread(authorPage, "night-leg-cramps", title, `Two weeks of ${word}: the **night cramps** come less often.`);
  await author.close();

  const scriptRequests: string[] = [];
  page.on("request", (request) => {
    if (request.resourceType() === "script") scriptRequests.push(request.url());
  });

  await page.goto("/");
  expect(await scriptsIn(page)).toEqual({ scripts: 0, hydrating: false });
  await page.getByRole("link", { name: "Night & leg cramps" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Night & leg cramps" })).toBeVisible();
  expect(await scriptsIn(page)).toEqual({ scripts: 0, hydrating: false });
  await checkA11y(page, "board page, visitor");

  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(new URL(threadUrl, baseURL).pathname);
  await expect(page.getByText("come less often")).toBeVisible();
  expect(await scriptsIn(page)).toEqual({ scripts: 0, hydrating: false });
  await checkA11y(page, "thread page, visitor");

  // Search is a plain form.
  await page.getByLabel("Search the forum").fill(word);
  await page.getByLabel("Search the forum").press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: "1 thread" })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  expect(await scriptsIn(page)).toEqual({ scripts: 0, hydrating: false });

  // Log in is a form a visitor fills in: it has its scripts, and they carry on from there.
  await page.getByRole("link", { name: "Log in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await expect.poll(() => scriptsIn(page)).toMatchObject({ hydrating: true });
  expect(scriptRequests.length).toBeGreaterThan(0);
});

test("a member's thread page loads the scripts @js-only", async ({ page }) => {
  const username = uniqueName("member");
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
  const title = `Stretching before bed ${username}`;
  await postThread(page, "night-leg-cramps", title, "Calf stretches help me most nights.");
  await page.reload();
  const scripts = await scriptsIn(page);
  expect(scripts.hydrating).toBe(true);
  expect(scripts.scripts).toBeGreaterThan(0);
  await checkA11y(page, "thread page, member");
});
