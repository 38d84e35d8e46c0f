import type { Page } from "@playwright/test";
import { checkA11y, expect, postThread, signUp, test, uniqueName } from "./fixtures.ts";

// Pages a visitor can only read come without JavaScript, even when the browser runs it
// (app/utils/scripts.ts); a member gets the scripts and everything they add. The one exception,
// a static script that only shows times in the visitor's zone (decision 027), is counted apart.

const PASSWORD = "calf stretch against the wall";

const LOCAL_TIME = /\/build\/local-time-\w+\.js$/;

/** Script elements in the page (the local-time one apart) and whether Remix handed it data to hydrate with. */
const scriptsIn = (page: Page) =>
  page.evaluate((localTime) => {
    const all = [...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>("script, link[rel=modulepreload]")];
    const isLocalTime = (element: HTMLScriptElement | HTMLLinkElement) => new RegExp(localTime).test("src" in element ? element.src : element.href);
    return {
      scripts: all.filter((element) => !isLocalTime(element)).length,
      localTime: all.filter(isLocalTime).length,
      hydrating: "__remixContext" in window,
    };
  }, LOCAL_TIME.source);

test("a visitor reads the home page, a board and a thread with no app scripts loaded, and every link still works @js-only", async ({
  page,
  browser,
  baseURL,
}) => {
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
    if (request.resourceType() === "script" && !LOCAL_TIME.test(request.url())) scriptRequests.push(request.url());
  });

  await page.goto("/");
  expect(await scriptsIn(page)).toEqual({ scripts: 0, localTime: 1, hydrating: false });
  await page.getByRole("link", { name: "Night & leg cramps" }).first().click();
  await expect(page.getByRole("heading", { level: 1, name: "Night & leg cramps" })).toBeVisible();
  expect(await scriptsIn(page)).toEqual({ scripts: 0, localTime: 1, hydrating: false });
  await checkA11y(page, "board page, visitor");

  await page.getByRole("link", { name: title }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  expect(new URL(page.url()).pathname).toBe(new URL(threadUrl, baseURL).pathname);
  await expect(page.getByText("come less often")).toBeVisible();
  expect(await scriptsIn(page)).toEqual({ scripts: 0, localTime: 1, hydrating: false });
  await checkA11y(page, "thread page, visitor");
  // Without scripts a link is a plain one, and its address is the one the router would write.
  await expect(page.getByRole("main").getByRole("link", { name: username, exact: true }).first()).toHaveAttribute("href", `/u/${username}`);
  await expect(page.locator("a[data-discover]")).toHaveCount(0);

  // Search is a plain form.
  await page.getByLabel("Search the forum").fill(word);
  await page.getByLabel("Search the forum").press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: "1 thread" })).toBeVisible();
  await expect(page.getByRole("link", { name: title })).toBeVisible();
  expect(await scriptsIn(page)).toEqual({ scripts: 0, localTime: 1, hydrating: false });

  // Log in is a form a visitor fills in: it has its scripts, and they carry on from there.
  expect(scriptRequests).toEqual([]);
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
  expect(scripts.localTime).toBe(0);
  await checkA11y(page, "thread page, member");

  // A member's links are the router's (app/components/link.tsx): the page is swapped in place.
  await page.evaluate(() => Object.assign(window, { samePage: true }));
  await page.getByRole("main").getByRole("link", { name: username, exact: true }).first().click();
  // The thread's own heading holds the username too.
  await expect(page).toHaveURL((url) => url.pathname === `/u/${username}`);
  await expect(page.getByRole("heading", { level: 1, name: username })).toBeVisible();
  expect(await page.evaluate(() => "samePage" in window)).toBe(true);
});

test("a member's thread page hydrates from the posts already on it, and keeps them through a reaction @js-only", async ({ page, browser, baseURL }) => {
  const author = await browser.newContext({ baseURL });
  const authorPage = await author.newPage();
  const username = uniqueName("writer");
  await signUp(authorPage, { username, email: `${username}@example.org`, password: PASSWORD });
  const word = `zq${username.replace(/[^a-z0-9]/g, "")}`;
  const threadUrl = await postThread(authorPage, "night-leg-cramps", `Cramps at dawn ${username}`, `Pickle juice and **${word}** helped me.`);
  await author.close();

  const reader = uniqueName("reader");
  await signUp(page, { username: reader, email: `${reader}@example.org`, password: PASSWORD });
  await page.goto(threadUrl);
  const body = page.locator(".prose").filter({ hasText: "Pickle juice" });
  // Hydrated: React has taken over the post's element (it keeps its fiber on the node).
  await expect.poll(() => body.evaluate((node) => Object.keys(node).some((key) => key.startsWith("__reactFiber")))).toBe(true);
  // The text came once, in the HTML: the data embedded for hydration does not carry it again.
  expect(await page.evaluate(() => JSON.stringify((window as unknown as { __remixContext: { state: unknown } }).__remixContext.state))).not.toContain(word);
  await expect(body.locator("strong")).toHaveText(word);

  // A reaction runs the loaders again in the browser; the post is still there, as it was.
  const helpful = page.getByRole("group", { name: "Reactions to post 1" }).getByRole("button", { name: /^Helpful/ });
  await helpful.click();
  await expect(helpful).toHaveAccessibleName("Helpful, 1 member");
  await expect(helpful).toHaveAttribute("aria-pressed", "true");
  await expect(body.locator("strong")).toHaveText(word);
  await checkA11y(page, "thread page, member, after a reaction");
});
