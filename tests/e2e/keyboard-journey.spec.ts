import type { Locator, Page } from "@playwright/test";
import { checkA11y, createAccount, expect, logIn, test, uniqueName } from "./fixtures.ts";

// A member who cannot use a mouse logs in, finds a thread and replies, by keyboard alone. Every
// Tab press costs a hand that spasms: each step's count is kept below, and must not grow.

const PASSWORD = "cramps at three am";

/** Presses Tab until `target` has the focus; returns how many presses that took. */
async function tabTo(page: Page, target: Locator, what: string) {
  for (let presses = 1; presses <= 80; presses++) {
    await page.keyboard.press("Tab");
    if ((await target.and(page.locator(":focus")).count()) === 1) return presses;
  }
  throw new Error(`Tab never reached ${what}`);
}

// Measured when the test was written (2026-12-06); lower is fine, higher fails. Without scripts
// each page starts again at the top; with them a followed link leaves Tab's starting point lower
// on the next page. "thread" allows one more row: the other project's run of this test may have
// just started a thread in the same board.
const MOST = {
  js: { username: 8, password: 1, board: 17, thread: 7, reply: 13 },
  nojs: { username: 8, password: 1, board: 17, thread: 17, reply: 24 },
} as const;
type Step = keyof typeof MOST.js;

test("log in, open a board and a thread, and reply, by keyboard alone, in few Tab presses", async ({ page, javaScriptEnabled }) => {
  const author = uniqueName("opener");
  const username = uniqueName("keys");
  await createAccount({ username: author, password: PASSWORD });
  await createAccount({ username, password: PASSWORD });
  // A thread to find: the author starts it through the form.
  await logIn(page, author, PASSWORD);
  const title = `Keyboard journey ${uniqueName("t")}`;
  await page.goto("/boards/introductions/new");
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Hello! I wake at 3 am with calf cramps most nights.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await page.context().clearCookies();

  const counts: Record<Step, number> = { username: 0, password: 0, board: 0, thread: 0, reply: 0 };
  await page.goto("/login");
  counts.username = await tabTo(page, page.getByLabel("Username or email", { exact: true }), "the username field");
  await page.keyboard.type(username);
  counts.password = await tabTo(page, page.getByLabel("Password", { exact: true }), "the password field");
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByText(`Signed in as ${username}`)).toBeVisible();

  await page.goto("/");
  counts.board = await tabTo(page, page.getByRole("main").getByRole("link", { name: "Introductions & general" }), "the board");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: "Introductions & general" })).toBeVisible();
  counts.thread = await tabTo(page, page.getByRole("main").getByRole("link", { name: title }), "the thread");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  counts.reply = await tabTo(page, page.getByLabel("Your reply"), "the reply box");
  await page.keyboard.type("Yes, most nights. Stretching before bed helps me a little.");
  const post = page.getByRole("button", { name: "Post reply" });
  await tabTo(page, post, "Post reply");
  await page.keyboard.press("Enter");
  await expect(page.locator(".post").getByText("Stretching before bed helps me a little.")).toBeVisible();
  await checkA11y(page, "thread after a keyboard-only reply");

  test.info().annotations.push({ type: "Tab presses", description: JSON.stringify(counts) });
  const most = MOST[javaScriptEnabled ? "js" : "nojs"];
  for (const step of Object.keys(most) as Step[]) {
    expect(counts[step], `Tab presses to reach ${step} (all: ${JSON.stringify(counts)})`).toBeLessThanOrEqual(most[step]);
  }
});
