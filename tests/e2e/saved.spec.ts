import type { Browser, Page } from "@playwright/test";
import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// Saving a post to find it again, with JavaScript on ("js") and off ("nojs").

const PASSWORD = "calf stretch against the wall";

/**
 * Controls smaller than 44×44 CSS px, as care.spec.ts measures them (links inside running text
 * are the WCAG 2.5.8 inline exception). That helper is local to care.spec.ts, so it is repeated
 * here for the two pages this feature adds controls to.
 */
async function smallTargets(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, summary")]
      .filter((el) => {
        if (el.closest(".visually-hidden, [aria-hidden=true]")) return false;
        const style = getComputedStyle(el);
        if (style.display === "none" || style.visibility === "hidden") return false;
        const standalone = el.tagName === "A" && el.parentElement?.tagName === "P" && el.parentElement.textContent?.trim() === el.textContent?.trim();
        return !(el.tagName === "A" && !standalone && el.closest("p, .prose, td, li.inline"));
      })
      .map((el) => ({ el, box: el.getBoundingClientRect() }))
      .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
      .map(({ el, box }) => `${el.tagName.toLowerCase()} "${(el.textContent ?? "").trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`),
  );
}

async function authorThread(browser: Browser, baseURL: string | undefined, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ baseURL, javaScriptEnabled });
  const page = await context.newPage();
  const username = uniqueName("author");
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
  const title = `Wall stretch for calf cramps ${username}`;
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Lean on the wall with your **heel down** for thirty seconds. It stops mine.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const url = new URL(page.url());
  await context.close();
  return { title, path: url.pathname };
}

test("save a post, find it on /saved from the header, go back to it, and unsave it", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const thread = await authorThread(browser, baseURL, javaScriptEnabled);
  const me = uniqueName("saver");
  await signUp(page, { username: me, email: `${me}@example.org`, password: PASSWORD });

  const emptyState = page.getByText(/Nothing saved yet/);
  await page.goto("/saved");
  await expect(page.getByRole("heading", { level: 1, name: "Saved posts" })).toBeVisible();
  await expect(emptyState).toBeVisible();
  await checkA11y(page, "/saved, empty");

  await page.goto(thread.path);
  const post = page.locator("li.post").first();
  await expect(post.getByRole("button", { name: "Save for later (post 1)" })).toHaveAttribute("aria-pressed", "false");
  await post.getByRole("button", { name: "Save for later (post 1)" }).click();
  const saved = post.getByRole("button", { name: "Saved for later (post 1)" });
  await expect(saved).toHaveAttribute("aria-pressed", "true");
  await expect(saved).toHaveText("Saved for later (post 1)");
  await expect(page).toHaveURL(/\/threads\/\d+\?page=1#post-\d+$/);
  await checkA11y(page, "thread with a saved post");
  if (javaScriptEnabled) expect(await smallTargets(page), "small targets on the thread").toEqual([]);

  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Saved", exact: true }).click();
  await expect(page).toHaveURL(/\/saved$/);
  const link = page.getByRole("link", { name: `${thread.title} (post 1)` });
  await expect(link).toBeVisible();
  await expect(page.getByText("Lean on the wall with your heel down for thirty seconds. It stops mine.")).toBeVisible();
  await expect(page.getByText(/Opening post by author_/)).toBeVisible();
  await checkA11y(page, "/saved, one post");
  if (javaScriptEnabled) expect(await smallTargets(page), "small targets on /saved").toEqual([]);

  // A slip on Unsave is one press from undone.
  await page.getByRole("button", { name: `Unsave post 1 in ${thread.title}` }).click();
  await expect(page.getByRole("status")).toContainText("Removed from your saved posts.");
  await expect(emptyState).toBeVisible();
  await page.getByRole("button", { name: "Save it again" }).click();
  await expect(link).toBeVisible();

  await link.click();
  await expect(page).toHaveURL(new RegExp(`${thread.path}\\?page=1#post-\\d+$`));
  await expect(saved).toHaveAttribute("aria-pressed", "true");
  await saved.click();
  await expect(post.getByRole("button", { name: "Save for later (post 1)" })).toHaveAttribute("aria-pressed", "false");

  await page.goto("/saved");
  await expect(emptyState).toBeVisible();
  await expect(page.getByRole("link", { name: `${thread.title} (post 1)` })).toHaveCount(0);
});

test("a visitor sees no Save button and is asked to log in for /saved", async ({ page, browser, baseURL, javaScriptEnabled }) => {
  const thread = await authorThread(browser, baseURL, javaScriptEnabled);
  await page.goto(thread.path);
  await expect(page.getByRole("button", { name: /^Saved? for later/ })).toHaveCount(0);
  await page.goto("/saved");
  await expect(page).toHaveURL(/\/login\?redirectTo=%2Fsaved$/);
});
