import type { Page } from "@playwright/test";
import { checkA11y, createAccount, expect, expectBigTarget, logIn, pageInOwnContext, postThread, test, uniqueName, untilHydrated } from "./fixtures.ts";

// Issue 28, item 3: a post can carry a content warning. It shows collapsed behind its label (a
// <details>, so no JavaScript is needed), and each member chooses per kind to always show or hide.

const PASSWORD = "warm socks at night";
const WORDS = "The day the results came I thought about not being here any more.";

async function member(page: Page, prefix: string, role: "member" | "moderator" = "member") {
  const username = uniqueName(prefix);
  await createAccount({ username, password: PASSWORD, role });
  await logIn(page, username, PASSWORD);
  return username;
}

const warningLabel = (page: Page, label: string) => page.locator("summary").filter({ hasText: `Content warning: ${label}` });

test("a reply with a warning: collapsed for members and visitors, opened by keyboard, hidden by choice", async ({ page, browser, javaScriptEnabled }) => {
  const js = javaScriptEnabled !== false;
  await member(page, "writer");
  const path = await postThread(page, "ms-spasticity", `Results day ${uniqueName("t")}`, "How do you get through results days?");
  await page.getByLabel("Your reply").fill(WORDS);
  await page.getByLabel("Warn readers about").selectOption("self-harm");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(warningLabel(page, "Self-harm")).toBeVisible();
  await expect(page.getByText(WORDS)).toBeHidden();

  // Another member: the label, then the words once they open it, by keyboard.
  const reader = await pageInOwnContext(browser, js);
  try {
    await member(reader.page, "reader");
    await reader.page.goto(path);
    const label = warningLabel(reader.page, "Self-harm");
    await expect(label).toContainText("show post");
    await expect(reader.page.getByText(WORDS)).toBeHidden();
    await expectBigTarget(label, "the warning's summary");
    await checkA11y(reader.page, "thread with a warned reply, collapsed");
    await label.focus();
    await reader.page.keyboard.press("Enter");
    await expect(reader.page.getByText(WORDS)).toBeVisible();
    await expect(label).toContainText("hide post");
    await expect(label).toBeFocused();
    expect(await label.evaluate((el) => getComputedStyle(el).outlineStyle)).not.toBe("none");

    // "Always hide" for self-harm: a one-line stand-in keeps the post's place, opened on request.
    await reader.page.goto("/settings");
    await reader.page.getByRole("group", { name: "Self-harm", exact: true }).getByLabel("Always hide: one line in its place, opened on request").check();
    await reader.page.getByRole("button", { name: "Save content warning choices" }).click();
    await expect(reader.page.getByText("Your content warning choices are saved.")).toBeVisible();
    await checkA11y(reader.page, "settings with content warning choices");
    await reader.page.goto(path);
    const standIn = reader.page.locator("summary").filter({ hasText: "A post with a content warning you chose to hide: Self-harm" });
    await expect(standIn).toBeVisible();
    await expect(reader.page.getByText(WORDS)).toBeHidden();
    await checkA11y(reader.page, "thread with a hidden warned reply");
    await standIn.click();
    await expect(reader.page.getByText(WORDS)).toBeVisible();
  } finally {
    await reader.context.close();
  }

  // A visitor gets the default: collapsed behind the label.
  const visitor = await pageInOwnContext(browser, js);
  try {
    await visitor.page.goto(path);
    await expect(warningLabel(visitor.page, "Self-harm")).toBeVisible();
    await expect(visitor.page.getByText(WORDS)).toBeHidden();
    await checkA11y(visitor.page, "a visitor's thread with a warned reply");
  } finally {
    await visitor.context.close();
  }
});

test("own words need writing, the form keeps them, and a moderator's warning is logged", async ({ page, browser, javaScriptEnabled }) => {
  await member(page, "author");
  const path = await postThread(page, "medications", `Injection site ${uniqueName("t")}`, "Photos of my injection site after a month.");
  await page.getByLabel("Your reply").fill("Day 30: it looks worse than it feels.");
  await page.getByLabel("Warn readers about").selectOption("other");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("Write a few words for your warning, or choose one from the list.")).toBeVisible();
  await expect(page.getByLabel("Warn readers about")).toHaveValue("other");
  await expect(page.getByLabel("Your reply")).toHaveValue("Day 30: it looks worse than it feels.");
  await checkA11y(page, "reply refused for a warning without words");
  await page.getByLabel("Your own words for the warning").fill("injection site photos");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(warningLabel(page, "injection site photos")).toBeVisible();

  // A moderator puts a warning on the opening post from its moderation page.
  const mod = await pageInOwnContext(browser, javaScriptEnabled !== false);
  try {
    await member(mod.page, "mod", "moderator");
    await mod.page.goto(path);
    await mod.page.getByRole("link", { name: "Moderate post 1", exact: true }).click();
    // The thread's reply form has a "Warn readers about" too: wait for the moderation page itself.
    await expect(mod.page.getByRole("heading", { name: "Moderate a post", level: 1 })).toBeVisible();
    await untilHydrated(mod.page.getByLabel("Warn readers about"));
    await mod.page.getByLabel("Warn readers about").selectOption("graphic");
    await checkA11y(mod.page, "moderating a post, with its content warning form");
    await mod.page.getByRole("button", { name: "Save content warning" }).click();
    await expect(warningLabel(mod.page, "Graphic medical detail")).toBeVisible();
    await mod.page.goto("/transparency");
    await expect(mod.page.getByRole("cell", { name: "Put a content warning on a post" }).first()).toBeVisible();
    await checkA11y(mod.page, "transparency log with a content warning");
  } finally {
    await mod.context.close();
  }
  await page.goto("/notifications");
  await expect(page.getByRole("button", { name: "A moderator put a content warning on your post: Graphic medical detail.", exact: true })).toBeVisible();
});
