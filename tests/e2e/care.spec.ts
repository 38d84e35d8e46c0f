import type { Page } from "@playwright/test";
import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "warm bath then stretch";

/**
 * Every control that acts, at least 44×44 CSS px. Links inside running text (a sentence in a
 * post or a paragraph) are the WCAG 2.5.8 inline exception and are not counted; a link that is
 * its paragraph's whole text stands alone, and is.
 */
async function smallTargets(page: Page) {
  return page.evaluate(() => {
    const controls = [...document.querySelectorAll<HTMLElement>("a[href], button, input:not([type=hidden]), select, textarea, summary")];
    return controls
      .filter((el) => {
        if (el.closest(".visually-hidden, [aria-hidden=true]")) return false;
        const style = getComputedStyle(el);
        if (style.display === "none" || style.visibility === "hidden") return false;
        const standalone = el.tagName === "A" && el.parentElement?.tagName === "P" && el.parentElement.textContent?.trim() === el.textContent?.trim();
        if (el.tagName === "A" && !standalone && el.closest("p, .prose, td, li.inline")) return false;
        return true;
      })
      .map((el) => {
        // A checkbox or radio is hit through its label too: measure them together.
        const rects = [el, ...((el as HTMLInputElement).labels ?? [])].map((e) => e.getBoundingClientRect());
        const box = el.matches("input[type=checkbox], input[type=radio]")
          ? new DOMRect(
              Math.min(...rects.map((r) => r.left)),
              Math.min(...rects.map((r) => r.top)),
              Math.max(...rects.map((r) => r.right)) - Math.min(...rects.map((r) => r.left)),
              Math.max(...rects.map((r) => r.bottom)) - Math.min(...rects.map((r) => r.top)),
            )
          : el.getBoundingClientRect();
        return { el, box };
      })
      .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
      .map(
        ({ el, box }) =>
          `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute("aria-label") || el.getAttribute("name") || "").trim().slice(0, 40)}" ${Math.round(box.width)}×${Math.round(box.height)}`,
      );
  });
}

test("every control on the main pages is at least 44×44 px @js-only", async ({ page }) => {
  const name = uniqueName("targets");
  await signUp(page, { username: name, email: `${name}@example.org`, password: PASSWORD });
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(`Big targets ${name}`);
  await page.getByLabel("Your post").fill("Checking the size of every button.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Big targets ${name}` })).toBeVisible();
  const thread = new URL(page.url()).pathname;
  for (const path of ["/", "/boards/night-leg-cramps", thread, "/search?q=cramps", "/articles", "/settings", "/notifications", "/drafts"]) {
    await page.goto(path);
    expect(await smallTargets(page), `small targets on ${path}`).toEqual([]);
  }
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
  for (const path of ["/", "/login", "/signup", thread, "/guidelines", "/transparency"]) {
    await page.goto(path);
    expect(await smallTargets(page), `small targets on ${path} (visitor)`).toEqual([]);
  }
});

test("axe finds nothing in the dark and night themes", async ({ page }) => {
  await page.emulateMedia({ colorScheme: "dark" });
  await page.goto("/");
  await checkA11y(page, "home, dark (system)");
  await page.goto("/boards/ms-spasticity");
  await checkA11y(page, "board, dark (system)");

  const name = uniqueName("night");
  await signUp(page, { username: name, email: `${name}@example.org`, password: PASSWORD });
  await page.goto("/settings");
  await page.getByLabel("Night: warm and dim, low glare").check();
  await page.getByRole("button", { name: "Save appearance" }).click();
  await expect(page.getByText("Your appearance settings are saved.")).toBeVisible();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "night");
  for (const path of ["/", "/boards/ms-spasticity", "/articles/night-and-leg-cramps", "/settings"]) {
    await page.goto(path);
    await expect(page.locator("html")).toHaveAttribute("data-theme", "night");
    await checkA11y(page, `${path}, night`);
  }
  await page.getByLabel("Light", { exact: true }).check();
  await page.getByRole("button", { name: "Save appearance" }).click();
  await expect(page.locator("html")).toHaveAttribute("data-theme", "light");
  await checkA11y(page, "settings, light");
});

test("a keyboard-only journey: sign up, post, reply, react, report @js-only", async ({ page, browser }) => {
  const name = uniqueName("keys");
  const press = (key: string) => page.keyboard.press(key);
  // Tab to a control by its accessible name, never touching the mouse.
  async function tabTo(role: "link" | "button" | "textbox" | "radio", label: string | RegExp) {
    const target = page.getByRole(role, { name: label }).first();
    for (let i = 0; i < 80; i++) {
      if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
      await press("Tab");
    }
    throw new Error(`could not reach ${role} ${label} by Tab`);
  }
  await page.goto("/");
  await press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
  await tabTo("link", "Sign up");
  await press("Enter");
  await expect(page).toHaveURL(/\/signup/);
  await tabTo("textbox", "Username");
  await page.keyboard.type(name);
  await press("Tab");
  await page.keyboard.type(`${name}@example.org`);
  await press("Tab");
  await page.keyboard.type(PASSWORD);
  await press("Enter");
  await expect(page.getByRole("link", { name: `Signed in as ${name}` })).toBeVisible();

  await page.goto("/boards/medications/new");
  await tabTo("button", "I've read these and I'll follow them");
  await press("Enter");
  await tabTo("textbox", "Title");
  await page.keyboard.type(`Keyboard only ${name}`);
  await tabTo("textbox", "Your post");
  await page.keyboard.type("Typed without a mouse.");
  await tabTo("button", "Post thread");
  await press("Enter");
  await expect(page.getByRole("heading", { level: 1, name: `Keyboard only ${name}` })).toBeVisible();
  const thread = new URL(page.url()).pathname;

  // A second member replies, reacts and reports, by keyboard too.
  const other = uniqueName("keys2");
  const context = await browser.newContext();
  const second = await context.newPage();
  await signUp(second, { username: other, email: `${other}@example.org`, password: PASSWORD });
  await context.close();

  await tabTo("textbox", "Your reply");
  await page.keyboard.type("A reply, still by keyboard.");
  await tabTo("button", "Post reply");
  await press("Enter");
  await expect(page.getByText("A reply, still by keyboard.")).toBeVisible();
  await page.getByRole("button", { name: "Log out" }).focus();
  await press("Enter");
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();

  await page.goto(`/login?redirectTo=${encodeURIComponent(thread)}`);
  await tabTo("textbox", "Username or email");
  await page.keyboard.type(other);
  await press("Tab");
  await page.keyboard.type(PASSWORD);
  await press("Enter");
  await expect(page).toHaveURL((url) => url.pathname === thread);
  await tabTo("button", /Helpful/);
  await press("Enter");
  await expect(page.getByRole("button", { name: /Helpful/ }).first()).toHaveAttribute("aria-pressed", "true");
  await tabTo("link", "Report post 1");
  await press("Enter");
  await tabTo("radio", "Spam");
  await press("Space");
  await tabTo("button", "Send report");
  await press("Enter");
  await expect(page.getByText("Your report is in the moderators' queue and will be reviewed.")).toBeVisible();
});

test("after a session ends mid-reply, the login page says the reply is safe, and it is back after logging in", async ({ page, context }) => {
  const name = uniqueName("expiry");
  await signUp(page, { username: name, email: `${name}@example.org`, password: PASSWORD });
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(`Slow reply ${name}`);
  await page.getByLabel("Your post").fill("Opening post.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Slow reply ${name}` })).toBeVisible();
  const thread = new URL(page.url()).pathname;

  const text = "Typed one finger at a time while the session ran out.";
  await page.getByLabel("Your reply").fill(text);
  await context.clearCookies();
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await expect(page.getByRole("main").getByText(/^What you wrote is safe\. .*It will be back, ready to post, after you log in\.$/)).toBeVisible();
  await checkA11y(page, "login after the session ended mid-reply");

  await page.getByLabel("Username or email", { exact: true }).fill(name);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page).toHaveURL((url) => url.pathname === thread && !url.searchParams.has("restore"));
  await expect(page.getByLabel("Your reply")).toHaveValue(text);

  // Nothing was kept on an ordinary login, nor when the address only points elsewhere.
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
  for (const redirectTo of ["/settings", "https://elsewhere.example/?restore=abcdefghijklmnopqrstuvwx", `${thread}?restore=`]) {
    await page.goto(`/login?${new URLSearchParams({ redirectTo })}`);
    await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
    await expect(page.getByText("What you wrote is safe.", { exact: false }), `no notice for ${redirectTo}`).toHaveCount(0);
  }
});
