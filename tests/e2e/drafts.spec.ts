import type { Page } from "@playwright/test";
import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// Nothing typed is ever lost: drafts (by button and by autosave), text posted after the
// session ran out, and Undo after deleting one's own post.

const PASSWORD = "cramps at three am";
const BOARD = "/boards/night-leg-cramps/new";

async function join(page: Page, prefix: string) {
  const username = uniqueName(prefix);
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
  return username;
}

async function startThread(page: Page, title: string, body: string) {
  await page.goto(BOARD);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill(body);
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return page.url().split("#")[0]!;
}

test("save a draft with the button, leave, come back to it, find it on /drafts, discard it", async ({ page }) => {
  await join(page, "drafter");
  await page.goto(BOARD);
  const title = `Half a thought ${uniqueName("t")}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("Started writing during a cramp, will finish later.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft saved." })).toBeVisible();
  await expect(page.getByLabel("Your post")).toHaveValue("Started writing during a cramp, will finish later.");
  await checkA11y(page, "new thread, draft saved");

  await page.goto("/");
  await page.goto(BOARD);
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Your post")).toHaveValue("Started writing during a cramp, will finish later.");
  await expect(page.getByText(/Your draft from .* is back in the form below/)).toBeVisible();
  await checkA11y(page, "new thread with a restored draft");

  await page.goto("/drafts");
  await expect(page.getByRole("heading", { level: 1, name: "Your drafts" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "New thread in Night & leg cramps" })).toBeVisible();
  await expect(page.getByText(title)).toBeVisible();
  await checkA11y(page, "drafts list");
  await page.getByRole("link", { name: /Continue writing/ }).click();
  await expect(page.getByLabel("Title")).toHaveValue(title);

  await page.goto("/drafts");
  await page.getByRole("button", { name: /Discard/ }).click();
  await expect(page.getByText("Draft discarded.")).toBeVisible();
  await expect(page.getByText("You have no drafts.")).toBeVisible();
  await checkA11y(page, "drafts list, empty");
  await page.goto(BOARD);
  await expect(page.getByLabel("Your post")).toHaveValue("");
});

test("autosave keeps a reply when the tab is closed @js-only", async ({ page, context }) => {
  await join(page, "autosaver");
  const threadUrl = await startThread(page, `Autosave ${uniqueName("t")}`, "Opening post.");
  await page.getByLabel("Your reply").fill("This reply was typed and then the tab was closed.");
  // Saved on leaving the field, or by the timer within a few seconds.
  await page.getByLabel("Your reply").blur();
  await expect(page.getByRole("status").filter({ hasText: /Draft saved \d/ })).toBeVisible({ timeout: 10_000 });
  await checkA11y(page, "thread, reply autosaved");
  await page.close();

  const again = await context.newPage();
  await again.goto(threadUrl);
  await expect(again.getByLabel("Your reply")).toHaveValue("This reply was typed and then the tab was closed.");
  await checkA11y(again, "thread with the autosaved reply restored");
  // Posting it discards the draft.
  await again.getByRole("button", { name: "Post reply" }).click();
  await expect(again.locator(".post").getByText("This reply was typed and then the tab was closed.")).toBeVisible();
  await again.goto("/drafts");
  await expect(again.getByText("You have no drafts.")).toBeVisible();
});

test("a reply posted after the session expired is back in the box after logging in", async ({ page, context }) => {
  const username = await join(page, "expired");
  const threadUrl = await startThread(page, `Expiry ${uniqueName("t")}`, "Opening post.");
  const text = "A long reply, written slowly, while the session quietly ran out.";
  await page.getByLabel("Your reply").fill(text);
  await context.clearCookies();
  await page.getByRole("button", { name: "Post reply" }).click();

  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await checkA11y(page, "login after an expired session");
  await page.getByLabel("Username or email", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();

  await expect(page).toHaveURL((url) => url.href.startsWith(threadUrl) && !url.searchParams.has("restore"));
  await expect(page.getByLabel("Your reply")).toHaveValue(text);
  await checkA11y(page, "thread with the kept reply");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.locator(".post").getByText(text)).toBeVisible();
});

test("delete your own post at once, then Undo brings it back", async ({ page }) => {
  await join(page, "undoer");
  await startThread(page, `Undo ${uniqueName("t")}`, "Opening post.");
  await page.getByLabel("Your reply").fill("A reply I will delete by mistake.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.locator(".post").getByText("A reply I will delete by mistake.")).toBeVisible();
  await expect(page.getByText("1 reply")).toBeVisible();

  await page.getByRole("button", { name: "Delete post 2" }).click();
  await expect(page.getByText("Post deleted.")).toBeVisible();
  await expect(page.locator(".post").getByText("A reply I will delete by mistake.")).toHaveCount(0);
  await expect(page.getByText("0 replies")).toBeVisible();
  await checkA11y(page, "thread with Undo");

  await page.getByRole("button", { name: "Undo deleting post 2" }).click();
  await expect(page.locator(".post").getByText("A reply I will delete by mistake.")).toBeVisible();
  await expect(page.getByText("1 reply")).toBeVisible();
  await expect(page.getByRole("button", { name: "Undo deleting post 2" })).toHaveCount(0);
  await checkA11y(page, "thread after Undo");
});
