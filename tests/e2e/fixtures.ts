import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { test as base, expect, type Browser, type Locator, type Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import { readMailFile, type MailFile } from "../mail-file.ts";
import { e2eDatabaseEnv, inE2eDatabase, tables } from "./database.ts";

export { inE2eDatabase, tables };

export { expect };

/** Whether JavaScript is enabled in each test's `page` (axe cannot run without it). */
const jsEnabled = new WeakMap<Page, boolean>();

/**
 * Playwright's `test`; its `page` fixture additionally fails the test if an
 * uncaught exception was thrown inside the page (only possible in `js`).
 */
export const test = base.extend({
  page: async ({ page, javaScriptEnabled }, use) => {
    jsEnabled.set(page, javaScriptEnabled !== false);
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.stack ?? error.message));
    await use(page);
    expect(errors, "uncaught exceptions in the page").toEqual([]);
  },
});

/**
 * With scripts on, waits until React has hydrated this element. CI's busy machine once lost a
 * moderator's <select> choice made while the page was still loading its scripts; React itself keeps
 * a choice made before hydration (checked with the scripts held back), so the cause was the race.
 */
export async function untilHydrated(target: Locator): Promise<void> {
  if (jsEnabled.get(target.page()) === false) return;
  await expect.poll(() => target.evaluate((element) => Object.keys(element).some((key) => key.startsWith("__reactFiber")))).toBe(true);
}

/** A page in a browser context of its own, scripts on or off, that checkA11y knows how to audit. */
export async function pageInOwnContext(browser: Browser, javaScriptEnabled: boolean) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL, javaScriptEnabled });
  const page = await context.newPage();
  jsEnabled.set(page, javaScriptEnabled);
  return { context, page };
}

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];

// Legacy mode runs axe.run() inside the page. The default mode additionally
// opens a blank page per audit to merge per-frame results, which only matters
// for cross-origin iframes (the app has none) and costs a second or more per
// call on a 2-core machine.
const axe = (page: Page) => new AxeBuilder({ page }).withTags(AXE_TAGS).setLegacyMode(true);

/**
 * Playwright cannot evaluate scripts in a page whose JavaScript is disabled, so
 * for those pages axe audits a copy: the current DOM with scripts removed,
 * served at the same URL (same styles) in a JavaScript-enabled context.
 */
async function runAxe(page: Page) {
  const js = jsEnabled.get(page) ?? test.info().project.use.javaScriptEnabled !== false;
  if (js) return { ...(await axe(page).analyze()), idProblems: await page.evaluate(findIdProblems) };
  const url = page.url().split("#")[0]!;
  const html = (await page.content()).replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, "");
  const browser = page.context().browser();
  if (!browser) throw new Error("checkA11y: cannot open a JavaScript-enabled copy of this page");
  const context = await browser.newContext({ viewport: page.viewportSize(), javaScriptEnabled: true });
  try {
    const copy = await context.newPage();
    await copy.route("**/*", (route) => (route.request().resourceType() === "script" ? route.abort() : route.fallback()));
    await copy.route(
      (u) => u.href === url,
      (route) => route.fulfill({ contentType: "text/html; charset=utf-8", body: html }),
    );
    await copy.goto(url);
    return { ...(await axe(copy).analyze()), idProblems: await copy.evaluate(findIdProblems) };
  } finally {
    await context.close();
  }
}

/**
 * What axe 4 no longer checks: an id used twice (a label or aria-describedby then points at the
 * first one only), and a label whose `for` names no form control. Runs in the page.
 */
function findIdProblems(): string[] {
  const problems: string[] = [];
  const counts = new Map<string, number>();
  for (const element of document.querySelectorAll("[id]")) counts.set(element.id, (counts.get(element.id) ?? 0) + 1);
  for (const [id, count] of counts) if (count > 1) problems.push(`id="${id}" is on ${count} elements`);
  for (const label of document.querySelectorAll("label[for]")) {
    const target = document.getElementById((label as HTMLLabelElement).htmlFor);
    if (!target?.matches("button, input:not([type=hidden]), meter, output, progress, select, textarea")) {
      problems.push(`<label for="${(label as HTMLLabelElement).htmlFor}"> ("${label.textContent?.trim()}") names no form control`);
    }
  }
  return problems;
}

/** Runs axe on the current page and fails with a readable list of violations. */
export async function checkA11y(page: Page, label?: string): Promise<void> {
  const { violations, idProblems } = await runAxe(page);
  const where = label ?? page.url();
  if (violations.length > 0) {
    await test.info().attach(`axe violations (${where})`, {
      body: JSON.stringify(violations, null, 2),
      contentType: "application/json",
    });
  }
  const report = violations
    .map((v) => {
      const targets = v.nodes.map((n) => n.target.map((part) => (Array.isArray(part) ? part.join(" >>> ") : part)).join(" | "));
      return `- ${v.id} [${v.impact ?? "n/a"}]: ${v.help}\n    ${targets.join("\n    ")}`;
    })
    .join("\n");
  expect(violations.length, `${violations.length} accessibility violation(s) on ${where}:\n${report}\n`).toBe(0);
  expect(idProblems, `ids and labels on ${where}`).toEqual([]);
}

let nameCounter = 0;

/**
 * A lowercase username-safe string (a–z, 0–9, _ and -; at most 24 chars),
 * unique per call: project initial + worker index + per-worker counter make it
 * unique within a run, time + random make it unique across runs.
 */
export function uniqueName(prefix: string): string {
  let project = "x";
  let worker = 0;
  try {
    project =
      test
        .info()
        .project.name.toLowerCase()
        .replace(/[^a-z0-9]/g, "")
        .charAt(0) || "x";
    worker = test.info().workerIndex;
  } catch {
    // called outside a test: keep the defaults
  }
  nameCounter += 1;
  const suffix =
    project +
    worker.toString(36) +
    nameCounter.toString(36) +
    Date.now().toString(36).slice(-5) +
    Math.floor(Math.random() * 36 ** 2)
      .toString(36)
      .padStart(2, "0");
  const head = prefix
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, "")
    .slice(0, Math.max(0, 24 - suffix.length - 1));
  return (head ? `${head}_${suffix}` : suffix).slice(0, 24);
}

/** Signs up through the form and waits until the app navigates away from /signup. */
export async function signUp(
  page: Page,
  { username, email, password, acceptGuidelines = true }: { username: string; email: string; password: string; acceptGuidelines?: boolean },
): Promise<void> {
  await page.goto("/signup");
  await page.getByLabel("Username", { exact: true }).fill(username);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Create account", exact: true }).click();
  await expect(page, `sign-up as ${username} should leave /signup`).not.toHaveURL((url) => url.pathname === "/signup", {
    timeout: 15_000,
  });
  // The guidelines gate before a first post has its own journey; elsewhere accept it up front.
  if (acceptGuidelines) {
    const origin = new URL(page.url()).origin;
    const res = await page.request.post("/guidelines/accept", { form: { redirectTo: "/" }, headers: { Origin: origin }, maxRedirects: 0 });
    expect(res.status(), "accepting the guidelines").toBe(302);
  }
}

/** Logs in through the form and waits until the app navigates away from /login. */
export async function logIn(page: Page, identifier: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username or email", { exact: true }).fill(identifier);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page, `log-in as ${identifier} should leave /login`).not.toHaveURL((url) => url.pathname === "/login", {
    timeout: 15_000,
  });
}

/**
 * Creates an account straight in the e2e database with the CLI: the server runs in another
 * process, so a test cannot promote a member itself.
 */
export async function createAccount({ username, password, role = "member" }: { username: string; password: string; role?: "member" | "moderator" | "admin" }) {
  const args = ["scripts/user-create.ts", "--username", username, "--email", `${username}@example.org`];
  if (role !== "member") args.push(`--${role}`);
  execFileSync(join(process.cwd(), "node_modules", ".bin", "tsx"), args, {
    env: { ...process.env, ...e2eDatabaseEnv(), UNCLENCH_PASSWORD: password },
    stdio: "pipe",
  });
  // Accounts made here have read the guidelines (the gate has its own journey).
  await updateUser(username, { guidelinesAcceptedAt: new Date() });
}

/** Changes a member's row as a form elsewhere would; fails the test when there is no such member. */
export async function updateUser(username: string, values: Partial<typeof tables.users.$inferInsert>) {
  const changed = await inE2eDatabase((tx) =>
    tx.update(tables.users).set(values).where(eq(tables.users.username, username)).returning({ id: tables.users.id }),
  );
  expect(changed, `${username} exists`).toHaveLength(1);
  return changed[0]!.id;
}

/** A member's id, for rows keyed by it. */
export async function userIdOf(username: string) {
  const [row] = await inE2eDatabase((tx) => tx.select({ id: tables.users.id }).from(tables.users).where(eq(tables.users.username, username)));
  expect(row, `${username} exists`).toBeDefined();
  return row!.id;
}

/** Suspends an account for a week, as a moderator would. */
export async function suspendAccount(username: string, reason: string) {
  await updateUser(username, { suspendedAt: new Date(), suspendedUntil: new Date(Date.now() + 7 * 86_400_000), suspendReason: reason });
}

/** Logs in as someone who is suspended: the login page answers with the notice. */
export async function logInSuspended(page: Page, identifier: string, password: string): Promise<void> {
  await page.goto("/login");
  await page.getByLabel("Username or email").fill(identifier);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your account is suspended" })).toBeVisible();
}

export async function logOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: "Log out" }).click();
  await expect(page.getByRole("link", { name: "Log in", exact: true })).toBeVisible();
}

/**
 * The e2e server's outbox: it has no mail server, so each email is an .eml file here
 * (MAIL_OUTBOX in playwright.config.ts).
 */
export function outboxDir(): string {
  const tmp = process.env.UNCLENCH_E2E_TMPDIR;
  if (!tmp) throw new Error("UNCLENCH_E2E_TMPDIR is not set: run this through playwright.config.ts");
  return join(tmp, "outbox");
}

/**
 * The newest email to `address` in the outbox (with `subject`, when given: a member's confirmation
 * link lands there too), its parts decoded; waits for it to arrive.
 */
export async function latestMailTo(address: string, subject?: string): Promise<MailFile> {
  let found: MailFile | undefined;
  await expect
    .poll(
      () => {
        const dir = outboxDir();
        const files = existsSync(dir) ? readdirSync(dir).filter((file) => file.endsWith(".eml")) : [];
        for (const file of files.sort().reverse()) {
          const mail = readMailFile(readFileSync(join(dir, file), "utf8"));
          if (mail.to !== address || (subject !== undefined && mail.subject !== subject)) continue;
          found = mail;
          return true;
        }
        return false;
      },
      { message: `an email to ${address} in the outbox`, timeout: 10_000 },
    )
    .toBe(true);
  return found!;
}

/** A standalone target must be at least 44 CSS px tall and wide. */
export async function expectBigTarget(target: Locator, what: string): Promise<void> {
  await expect(target, what).toBeVisible();
  const box = await target.boundingBox();
  expect(box, what).not.toBeNull();
  expect(box!.height, `${what}: height`).toBeGreaterThanOrEqual(44);
  expect(box!.width, `${what}: width`).toBeGreaterThanOrEqual(44);
}

/** Starts a thread as the signed-in member; returns its path. */
export async function postThread(page: Page, board: string, title: string, body: string): Promise<string> {
  await page.goto(`/boards/${board}/new`);
  await page.getByLabel("Title").fill(title);
  await page.getByLabel("Your post").fill(body);
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: title })).toBeVisible();
  return new URL(page.url()).pathname;
}
