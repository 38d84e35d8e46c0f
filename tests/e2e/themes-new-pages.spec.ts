import type { Page } from "@playwright/test";
import {
  checkA11y,
  createAccount,
  expect,
  latestMailTo,
  logIn,
  logInSuspended,
  logOut,
  postThread,
  suspendAccount,
  test,
  uniqueName,
  updateUser,
} from "./fixtures.ts";

// The pages added after care.spec.ts's "axe finds nothing in the dark and night themes": each is
// audited in the light, dark and night themes, with JavaScript on (project "js") and off ("nojs").

const PASSWORD = "heat pack on the calf";
const THEMES = ["light", "dark", "night"] as const;
type Theme = (typeof THEMES)[number];

/** A member's saved theme, as the settings page would save it; the next page load uses it. */
async function saveTheme(username: string, theme: Theme) {
  await updateUser(username, { theme });
}

/**
 * A visitor's page in `theme`. Light and dark are the device's scheme (data-theme="system").
 * Night is only ever a member's setting, and a suspended member has no session to carry it, so
 * for a visitor the server's <html data-theme> is rewritten to "night": the same attribute the
 * server sets for a night member, so the same CSS applies. (Works with JavaScript off too.)
 */
async function visitorTheme(page: Page, theme: Theme) {
  await page.unrouteAll({ behavior: "wait" });
  await page.emulateMedia({ colorScheme: theme === "light" ? "light" : "dark" });
  if (theme !== "night") return;
  await page.route("**/*", async (route) => {
    if (route.request().resourceType() !== "document") return route.fallback();
    // Redirects are handed to the browser as they are (a POST must not be sent twice).
    const response = await route.fetch({ maxRedirects: 0 });
    const type = response.headers()["content-type"] ?? "";
    if (!type.startsWith("text/html")) return route.fulfill({ response });
    const body = (await response.text()).replace(/(<html\b[^>]*\bdata-theme=")system"/, '$1night"');
    return route.fulfill({ response, body });
  });
}

async function expectTheme(page: Page, theme: Theme, who: "visitor" | "member") {
  await expect(page.locator("html")).toHaveAttribute("data-theme", who === "visitor" && theme !== "night" ? "system" : theme);
}

test("axe finds nothing on the password pages in every theme", async ({ page }) => {
  // A reset link for an account, asked for once (only the newest link works).
  const resetter = uniqueName("reset");
  await createAccount({ username: resetter, password: PASSWORD });
  await page.goto("/password/forgot");
  await page.getByLabel("Email", { exact: true }).fill(`${resetter}@example.org`);
  await page.getByRole("button", { name: "Send me a link" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Check your email." })).toBeVisible();
  const mail = await latestMailTo(`${resetter}@example.org`, "Reset your Unclench password");
  const link = new URL(/https?:\/\/\S+\/password\/reset\?token=\S+/.exec(mail.text)![0]);

  for (const theme of THEMES) {
    await visitorTheme(page, theme);
    await page.goto("/password/forgot");
    await expect(page.getByRole("heading", { level: 1, name: "Forgot your password?" })).toBeVisible();
    await expectTheme(page, theme, "visitor");
    await checkA11y(page, `forgot password, ${theme}`);
    // An address without an account gets the same answer, and no email.
    await page.getByLabel("Email", { exact: true }).fill(`${uniqueName("nobody")}@example.org`);
    await page.getByRole("button", { name: "Send me a link" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Check your email." })).toBeVisible();
    await expectTheme(page, theme, "visitor");
    await checkA11y(page, `forgot password: sent, ${theme}`);

    await page.goto(link.pathname + link.search);
    await expect(page.getByRole("heading", { level: 1, name: "Choose a new password" })).toBeVisible();
    await expectTheme(page, theme, "visitor");
    await checkA11y(page, `choose a new password, ${theme}`);

    await page.goto(`/password/reset?token=${"A".repeat(43)}`);
    await expect(page.getByRole("heading", { level: 1, name: "This link doesn't work" })).toBeVisible();
    await expectTheme(page, theme, "visitor");
    await checkA11y(page, `reset link that doesn't work, ${theme}`);
  }
});

test("axe finds nothing on the suspension notice, the review request and the appeals queue in every theme", async ({ page }) => {
  const mod = uniqueName("mod");
  const member = uniqueName("appealer");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await createAccount({ username: member, password: PASSWORD });
  await suspendAccount(member, "Sharp replies in the fatigue thread");

  for (const theme of THEMES) {
    await visitorTheme(page, theme);
    await logInSuspended(page, member, PASSWORD);
    await expect(page.getByRole("heading", { level: 2, name: "Ask for a review" })).toBeVisible();
    await expectTheme(page, theme, "visitor");
    await checkA11y(page, `suspension notice with the review form, ${theme}`);
  }
  // Sent once (a second request is refused while this one is open); the page it lands on is reloaded per theme.
  await page.getByLabel("Your request for review").fill("I was in a bad flare and snapped. I've apologised.");
  await page.getByRole("button", { name: "Send my request" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your request is in" })).toBeVisible();
  const sentPath = new URL(page.url()).pathname + new URL(page.url()).search;
  for (const theme of THEMES) {
    await visitorTheme(page, theme);
    await page.goto(sentPath);
    await expect(page.getByRole("heading", { level: 1, name: "Your request is in" })).toBeVisible();
    await expectTheme(page, theme, "visitor");
    await checkA11y(page, `request sent, ${theme}`);
  }

  await visitorTheme(page, "light");
  await logIn(page, mod, PASSWORD);
  for (const theme of THEMES) {
    await saveTheme(mod, theme);
    await page.goto("/mod/appeals");
    await expect(page.getByRole("heading", { level: 1, name: "Requests for review" })).toBeVisible();
    await expect(page.locator(".queue > li").filter({ has: page.getByRole("heading", { name: `Request from ${member}` }) })).toBeVisible();
    await expectTheme(page, theme, "member");
    await checkA11y(page, `requests for review, ${theme}`);
  }
});

test("axe finds nothing on the report queue's Reopen notice and the restore form in every theme", async ({ page }) => {
  const mod = uniqueName("mod");
  const author = uniqueName("author");
  const reporter = uniqueName("reporter");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await createAccount({ username: author, password: PASSWORD });
  await createAccount({ username: reporter, password: PASSWORD });
  const title = `Night shift cramps ${author}`;

  await logIn(page, author, PASSWORD);
  const threadPath = await postThread(page, "night-leg-cramps", title, "Just walk it off, cramps are all in the head.");
  await page.getByLabel("Your reply").fill("Buy my magnesium at the link in my profile");
  await page.getByRole("button", { name: "Post reply" }).click();
  await expect(page.getByText("Buy my magnesium at the link in my profile")).toBeVisible();
  await logOut(page);

  await logIn(page, reporter, PASSWORD);
  await page.goto(threadPath);
  await page.getByRole("link", { name: "Report post 1" }).click();
  await page.getByLabel("Misinformation or unsafe medical advice").check();
  await page.getByRole("button", { name: "Send report" }).click();
  await expect(page.getByText("Your report is in the moderators' queue and will be reviewed.")).toBeVisible();
  await logOut(page);

  await logIn(page, mod, PASSWORD);
  const item = () => page.locator(".queue > li").filter({ hasText: title });
  for (const theme of THEMES) {
    await saveTheme(mod, theme);
    await page.goto("/mod/reports");
    await item().getByRole("button", { name: "Dismiss reports" }).click();
    const notice = page.getByRole("status").filter({ hasText: "Reports on post 1 dismissed" });
    await expect(notice).toContainText(title);
    await expectTheme(page, theme, "member");
    await checkA11y(page, `report queue with the Reopen notice, ${theme}`);
    // Reopened, so the next theme can dismiss them again.
    await notice.getByRole("button", { name: "Reopen reports on post 1" }).click();
    await expect(item()).toHaveCount(1);
  }

  await page.goto(threadPath);
  await page.getByRole("link", { name: "Moderate post 2" }).click();
  await page.getByLabel("Reason (shown to everyone)").selectOption("spam");
  await page.getByRole("button", { name: "Remove post" }).click();
  await expect(page.getByText("Removed by moderators — Spam")).toBeVisible();
  await page.getByRole("link", { name: "Restore post 2" }).click();
  await expect(page.getByRole("heading", { name: "Restore this post" })).toBeVisible();
  const moderatePath = new URL(page.url()).pathname;
  for (const theme of THEMES) {
    await saveTheme(mod, theme);
    await page.goto(moderatePath);
    await expect(page.getByRole("heading", { name: "Restore this post" })).toBeVisible();
    await expectTheme(page, theme, "member");
    await checkA11y(page, `moderate page of a removed post (restore form), ${theme}`);
  }
});
