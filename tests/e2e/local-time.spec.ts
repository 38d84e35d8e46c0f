import type { Page } from "@playwright/test";
import { formatDateTime } from "../../app/utils/format.ts";
import { checkA11y, createAccount, expect, logIn, postThread, test, uniqueName } from "./fixtures.ts";

// A visitor's read-only pages hydrate nothing, but one small static script shows their times in
// the browser's own zone, exactly as a member in that zone reads them (docs/decisions/027). With
// JavaScript off, or in UTC, the page says UTC as it was sent. Each test names its zone: the
// default would be the machine's.

const PASSWORD = "cramps before sunrise";

/** A thread with a reply, posted by a member who then leaves: the page as a visitor sees it. */
async function threadAsVisitor(page: Page) {
  const author = uniqueName("zoneless");
  await createAccount({ username: author, password: PASSWORD });
  await logIn(page, author, PASSWORD);
  const title = `Up at four again ${uniqueName("t")}`;
  const thread = await postThread(page, "night-leg-cramps", title, "The clock says 4 and my calves say no.");
  await page.getByLabel("Your reply").fill("And again at five.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("And again at five.")).toBeVisible();
  await page.context().clearCookies();
  await page.goto(thread);
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return title;
}

/** Every post's time and permalink name on the page read as formatDateTime writes them in `zone`. */
async function expectPostTimesIn(page: Page, zone: string) {
  const permalinks = page.locator("a.permalink");
  await expect(permalinks).toHaveCount(2);
  for (const [index, permalink] of (await permalinks.all()).entries()) {
    const time = permalink.locator("time");
    const text = formatDateTime(new Date((await time.getAttribute("datetime"))!), zone);
    await expect(time).toHaveText(text);
    await expect(permalink).toHaveAccessibleName(`Post ${index + 1}, written ${text}`);
  }
}

test.describe("a visitor in Chicago", () => {
  test.use({ timezoneId: "America/Chicago" });

  test("reads post times in their own zone with JavaScript, and in UTC without", async ({ page, javaScriptEnabled }) => {
    const title = await threadAsVisitor(page);
    const zone = javaScriptEnabled ? "America/Chicago" : "UTC";
    await expectPostTimesIn(page, zone);
    // Chicago is never UTC: the rewrite really happened (or really did not).
    await expect(page.locator("a.permalink time").first()).toHaveText(javaScriptEnabled ? /, \d\d:\d\d (GMT-[56]|C[SD]T)$/ : / UTC$/);
    // Nothing hydrates: the page is still the one the server sent, with only its times rewritten.
    if (javaScriptEnabled) expect(await page.evaluate(() => "__remixContext" in window)).toBe(false);
    await checkA11y(page, `thread as a visitor in ${zone}`);

    // The board's list says the thread's last activity in the same zone.
    await page.getByRole("link", { name: "Night & leg cramps" }).first().click();
    const row = page.locator("li.card").filter({ has: page.getByRole("link", { name: title }) });
    const time = row.locator("time");
    await expect(time).toHaveText(formatDateTime(new Date((await time.getAttribute("datetime"))!), zone));
    await checkA11y(page, `board as a visitor in ${zone}`);
  });
});

test.describe("a visitor in UTC", () => {
  test.use({ timezoneId: "UTC" });

  test("reads the times as they were sent, in UTC", async ({ page }) => {
    await threadAsVisitor(page);
    await expectPostTimesIn(page, "UTC");
    await expect(page.locator("a.permalink time").first()).toHaveText(/ UTC$/);
    await checkA11y(page, "thread as a visitor in UTC");
  });
});
