import type { Page } from "@playwright/test";
import { and, eq, isNotNull } from "drizzle-orm";
import { checkA11y, expect, inE2eDatabase, signUp, tables, test, uniqueName } from "./fixtures.ts";

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

test("save a draft with the button, leave, come back to it, find it on /drafts, discard it", async ({ page, javaScriptEnabled }) => {
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

  // Discard asks first, in the draft's own card; "Keep it" keeps it.
  await page.goto("/drafts");
  await page.getByRole("link", { name: /^Discard… draft: New thread in Night & leg cramps$/ }).click();
  const question = page.getByText("Discard this draft? Its text will be gone for good.");
  await expect(question).toBeVisible();
  await expect(question).toBeInViewport();
  // With JS the question takes the focus from the link that went away (without, the fragment
  // sets where Tab starts).
  if (javaScriptEnabled) await expect(question).toBeFocused();
  await expect(page.getByRole("link", { name: /Continue writing/ })).toHaveCount(0);
  await checkA11y(page, "drafts list, confirming a discard");
  await page.getByRole("link", { name: /^Keep it ?: New thread in Night & leg cramps$/ }).click();
  await expect(page.getByText("Discard this draft?")).toHaveCount(0);
  await expect(page.getByText(title)).toBeVisible();
  await page.goto("/");
  await page.goto(BOARD);
  await expect(page.getByLabel("Your post")).toHaveValue("Started writing during a cramp, will finish later.");

  await page.goto("/drafts");
  await page.getByRole("link", { name: /^Discard…/ }).click();
  await page.getByRole("button", { name: /^Yes, discard it ?: New thread in Night & leg cramps$/ }).click();
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

test("Save draft pressed while an autosave is on its way keeps the newer text @js-only", async ({ page }) => {
  await join(page, "racer");
  await page.goto(BOARD);
  // Hold the autosave that leaving the title field sends, until "Save draft" has been pressed.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let autosaves = 0;
  await page.route("**/drafts/save", async (route) => {
    if (route.request().postData()?.includes("autosave=1")) {
      autosaves += 1;
      await held;
    }
    await route.fallback();
  });
  const title = `Racing the autosave ${uniqueName("t")}`;
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill("The whole sentence, typed after the title.");
  await expect.poll(() => autosaves).toBe(1);
  await page.getByRole("button", { name: "Save draft" }).click();
  release();
  await expect(page.getByRole("status").filter({ hasText: "Draft saved." })).toBeVisible();

  await page.goto("/");
  await page.goto(BOARD);
  await expect(page.getByLabel("Title")).toHaveValue(title);
  await expect(page.getByLabel("Your post")).toHaveValue("The whole sentence, typed after the title.");
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

/**
 * Moves a post's deletion `ms` into the past in the e2e database: the server's clock can't be
 * moved from here, but the row it measures the restore window from can (as createAccount in
 * fixtures.ts writes there too). No sleeping.
 */
async function deletedAgo(postId: number, ms: number) {
  const changed = await inE2eDatabase((tx) =>
    tx
      .update(tables.posts)
      .set({ deletedAt: new Date(Date.now() - ms) })
      .where(and(eq(tables.posts.id, postId), isNotNull(tables.posts.deletedAt)))
      .returning({ id: tables.posts.id }),
  );
  expect(changed, `post ${postId} is deleted`).toHaveLength(1);
}

const HOUR = 60 * 60 * 1000;

async function postIdOf(page: Page, number: number) {
  const id = await page
    .locator("li.post")
    .nth(number - 1)
    .getAttribute("id");
  return Number(id!.replace("post-", ""));
}

test("Delete stands apart from Edit; Restore still works hours later", async ({ page }) => {
  await join(page, "undoer");
  await startThread(page, `Undo ${uniqueName("t")}`, "Opening post.");
  await page.getByLabel("Your reply").fill("A reply I will delete by mistake.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.locator(".post").getByText("A reply I will delete by mistake.")).toBeVisible();
  await expect(page.getByText("1 reply")).toBeVisible();

  // Delete doesn't look like Edit, isn't next to it, and is still a 44×44 target.
  const edit = page.getByRole("link", { name: "Edit post 2" });
  const del = page.getByRole("button", { name: "Delete post 2" });
  const look = (el: Element) => {
    const style = getComputedStyle(el);
    return `${style.color} ${style.borderColor} ${style.backgroundColor}`;
  };
  expect(await del.evaluate(look)).not.toBe(await edit.evaluate(look));
  const editBox = (await edit.boundingBox())!;
  const delBox = (await del.boundingBox())!;
  expect(delBox.x - (editBox.x + editBox.width), "space between Edit and Delete").toBeGreaterThanOrEqual(32);
  expect(delBox.width).toBeGreaterThanOrEqual(44);
  expect(delBox.height).toBeGreaterThanOrEqual(44);

  await del.click();
  await expect(page.getByText(/Post deleted\. Others see .* You can restore it until \d+ \w+ \d{4}, \d\d:\d\d UTC\./)).toBeVisible();
  await expect(page.locator(".post").getByText("A reply I will delete by mistake.")).toHaveCount(0);
  await expect(page.getByText("0 replies")).toBeVisible();
  await checkA11y(page, "thread with Restore");

  // Three hours later (a nap after a bad cramp), the placeholder still offers Restore.
  await deletedAgo(await postIdOf(page, 2), 3 * HOUR);
  await page.reload();
  await page.getByRole("button", { name: "Restore post 2" }).click();
  await expect(page.locator(".post").getByText("A reply I will delete by mistake.")).toBeVisible();
  await expect(page.getByText("1 reply")).toBeVisible();
  await expect(page.getByRole("button", { name: "Restore post 2" })).toHaveCount(0);
  await checkA11y(page, "thread after Restore");
});

test("Restore pressed after 24 hours answers kindly, keeps the text to copy and leads back to the thread", async ({ page }) => {
  await join(page, "latecomer");
  const threadUrl = await startThread(page, `Too late ${uniqueName("t")}`, "Opening post.");
  await page.getByLabel("Your reply").fill("Words I deleted and forgot about.");
  await page.getByRole("button", { name: "Post reply" }).click();
  await page.getByRole("button", { name: "Delete post 2" }).click();
  await expect(page.getByRole("button", { name: "Restore post 2" })).toBeVisible();

  // The page stays open overnight and more: the button is still there, but the window has passed.
  await deletedAgo(await postIdOf(page, 2), 25 * HOUR);
  const [answer] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST" && new URL(r.url()).pathname.endsWith("/delete")),
    page.getByRole("button", { name: "Restore post 2" }).click(),
  ]);
  expect(answer.status()).toBe(410);
  await expect(page.getByRole("heading", { level: 1, name: "This post can no longer be restored" })).toBeVisible();
  await expect(page.getByText(/more than 24 hours since you deleted this post/)).toBeVisible();
  await expect(page.getByText("Not allowed")).toHaveCount(0);
  await expect(page.getByLabel(/Your text/)).toHaveValue("Words I deleted and forgot about.");
  await checkA11y(page, "restore too late");
  await page.getByRole("link", { name: "Back to the thread" }).click();
  await expect(page).toHaveURL((url) => url.href.startsWith(threadUrl));
  await expect(page.getByText("This post was deleted by its author.")).toBeVisible();
  await expect(page.getByRole("button", { name: "Restore post 2" })).toHaveCount(0);
});
