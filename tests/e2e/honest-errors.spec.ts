import type { Page } from "@playwright/test";
import { sql } from "drizzle-orm";
import { checkA11y, createAccount, expect, inE2eDatabase, logIn, postThread, signUp, tables, test, uniqueName, updateUser, userIdOf } from "./fixtures.ts";

// Where a member can't write, they are told why and what happens to their words: a silenced
// member sees the moderator's reason and the end date instead of a form; a reply refused because
// the thread was locked meanwhile comes back inside their own page (their name, their theme),
// with the text kept as a draft; and a refusal for posting too fast says when to try again.

const PASSWORD = "cramps at the top of the stairs";

/** Makes the account read-only, as a moderator's "Silence" does. */
async function silence(username: string, reason: string, days: number | null) {
  const until = days === null ? null : new Date(Date.now() + days * 86_400_000);
  await updateUser(username, { silencedAt: new Date(), silencedUntil: until, silenceReason: reason });
}

async function useDarkTheme(page: Page) {
  await page.goto("/settings");
  await page.getByLabel("Dark").check();
  await page.getByRole("button", { name: "Save appearance" }).click();
  await expect(page.getByText("Your appearance settings are saved.")).toBeVisible();
}

test("a silenced member is told why and until when where they would write, and offered no form", async ({ page }) => {
  const me = uniqueName("quiet");
  await signUp(page, { username: me, email: `${me}@example.org`, password: PASSWORD });
  const threadPath = await postThread(page, "neuropathy", `Burning feet ${me}`, "Worse at night, every night.");
  await silence(me, "Mocked another member's symptoms", 3);

  await page.goto("/boards/neuropathy");
  const notice = page.getByRole("region", { name: /Your account is read-only until/ });
  await expect(notice).toBeVisible();
  await expect(notice).toContainText("Their reason: Mocked another member's symptoms");
  await expect(notice).toContainText("It ends by itself on");
  await expect(page.getByRole("link", { name: "Start a thread" })).toHaveCount(0);
  await checkA11y(page, "board, silenced");

  await page.goto("/boards/neuropathy/new");
  await expect(page.getByRole("region", { name: /Your account is read-only until/ })).toContainText("Mocked another member's symptoms");
  await expect(page.getByLabel("Your post")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Post thread" })).toHaveCount(0);
  await checkA11y(page, "new thread, silenced");

  await page.goto(threadPath);
  await expect(page.getByRole("region", { name: /Your account is read-only until/ })).toContainText("Mocked another member's symptoms");
  await expect(page.getByLabel("Your reply")).toHaveCount(0);
  await expect(page.getByRole("button", { name: "Post reply" })).toHaveCount(0);
  await checkA11y(page, "thread, silenced");

  // With no end date, the notice says who ends it.
  await silence(me, "Mocked another member's symptoms", null);
  await page.goto("/boards/neuropathy");
  await expect(page.getByRole("region", { name: "Your account is read-only until a moderator lifts it" })).toBeVisible();
});

test("a reply refused because the thread was locked meanwhile comes back in the member's own page, kept as a draft", async ({ page, browser }) => {
  const me = uniqueName("typist");
  const mod = uniqueName("mod");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await signUp(page, { username: me, email: `${me}@example.org`, password: PASSWORD });
  await useDarkTheme(page);
  const threadPath = await postThread(page, "fibromyalgia", `Flare after travel ${me}`, "Two days in a car and now everything hurts.");

  const text = `Heat helps me most; I keep a wheat bag by the bed. (${me})`;
  await page.getByLabel("Your reply").fill(text);
  // Meanwhile, a moderator locks the thread from their own browser.
  const modContext = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  try {
    const modPage = await modContext.newPage();
    await logIn(modPage, mod, PASSWORD);
    await modPage.goto(`${threadPath}/moderate`);
    await modPage.getByLabel("Reason (shown on the thread)").fill("Moved to a newer thread");
    await modPage.getByRole("button", { name: "Lock thread" }).click();
    await expect(modPage.getByText("Locked", { exact: true })).toBeVisible();
  } finally {
    await modContext.close();
  }

  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "Your post wasn't published: This thread is locked, so new replies are closed." })).toBeVisible();
  await expect(page.getByText("This thread is locked — Moved to a newer thread. New replies are closed.")).toBeVisible();
  await expect(page.getByText("Your text is kept as a draft")).toBeVisible();
  await expect(page.getByLabel("Your text")).toHaveValue(text);
  await expect(page.getByLabel("Your reply")).toHaveCount(0);
  // The page is still the member's: their name in the header, their theme.
  await expect(page.getByRole("link", { name: `Signed in as ${me}` })).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "dark");
  await checkA11y(page, "reply refused, thread locked");

  await page.getByRole("link", { name: "your drafts page" }).click();
  // The refused page holds the same words in its "Your text" box.
  await expect(page.getByRole("heading", { level: 1, name: "Your drafts" })).toBeVisible();
  await expect(page.getByText(text)).toBeVisible();
  await checkA11y(page, "drafts after a refused reply");
});

test("posting too fast is refused with a Retry-After header and the text kept", async ({ page }) => {
  const me = uniqueName("quick");
  await signUp(page, { username: me, email: `${me}@example.org`, password: PASSWORD });
  const threadPath = await postThread(page, "neuropathy", `Quick replies ${me}`, "Posting a few in a row.");
  const id = await userIdOf(me);
  // The limiter's own rows, spent for the next ten minutes.
  const spent = [`posts:${id}`, `posts-new:${id}`].map((key) => ({ key, points: 1_000_000_000, expire: new Date(Date.now() + 10 * 60_000) }));
  await inE2eDatabase((tx) =>
    tx
      .insert(tables.rateLimits)
      .values(spent)
      .onConflictDoUpdate({ target: tables.rateLimits.key, set: { points: sql`excluded.points`, expire: sql`excluded.expire` } }),
  );

  await page.getByLabel("Your reply").fill("One more thought.");
  const refused = page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname === threadPath);
  await page.getByRole("button", { name: "Post reply" }).click();
  const response = await refused;
  expect(response.status()).toBe(429);
  const seconds = Number(response.headers()["retry-after"]);
  expect(seconds).toBeGreaterThan(500);
  expect(seconds).toBeLessThanOrEqual(600);
  await expect(page.getByText("You've posted a lot in the last few minutes. Please try again in 10 minutes.")).toBeVisible();
  await expect(page.getByLabel("Your reply")).toHaveValue("One more thought.");
  await expect(page.getByRole("link", { name: `Signed in as ${me}` })).toBeVisible();
  await checkA11y(page, "reply refused, too fast");
});
