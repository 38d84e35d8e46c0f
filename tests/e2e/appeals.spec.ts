import type { Page } from "@playwright/test";
import { eq } from "drizzle-orm";
import {
  checkA11y,
  createAccount,
  expect,
  expectBigTarget,
  inE2eDatabase,
  logIn,
  logInSuspended,
  logOut,
  suspendAccount,
  tables,
  test,
  uniqueName,
  userIdOf,
} from "./fixtures.ts";

const PASSWORD = "spasms before breakfast";

/** The moderator's queue item for one member's request. */
async function openQueueItem(page: Page, username: string) {
  await expect(page.getByRole("link", { name: /^Appeals \(\d+ open\)$/ })).toBeVisible();
  await page.getByRole("link", { name: /^Appeals/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Requests for review" })).toBeVisible();
  return page.locator(".queue > li").filter({ has: page.getByRole("heading", { name: `Request from ${username}` }) });
}

test("a suspended member asks for a review and a moderator lifts the suspension", async ({ page }) => {
  const mod = uniqueName("mod");
  const member = uniqueName("appealer");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await createAccount({ username: member, password: PASSWORD });
  await suspendAccount(member, "Sharp replies in the fatigue thread");

  await logInSuspended(page, member, PASSWORD);
  await expect(page.getByText("Sharp replies in the fatigue thread")).toBeVisible();
  await expect(page.getByRole("heading", { level: 2, name: "Ask for a review" })).toBeVisible();
  const send = page.getByRole("button", { name: "Send my request" });
  await expectBigTarget(send, "send button");
  await checkA11y(page, "suspension notice with the review form");
  const text = `I was in a bad flare and snapped. I've apologised to the member (${member}).`;
  await page.getByLabel("Your request for review").fill(text);
  await send.click();
  await expect(page.getByRole("heading", { level: 1, name: "Your request is in" })).toBeVisible();
  await checkA11y(page, "request sent");

  // Logging in again: the notice says the request is waiting, and offers no second form.
  await logInSuspended(page, member, PASSWORD);
  await expect(page.getByText(/We received your request for review on .+ It is waiting for a moderator/)).toBeVisible();
  await expect(page.getByLabel("Your request for review")).toHaveCount(0);

  await logIn(page, mod, PASSWORD);
  const item = await openQueueItem(page, member);
  await expect(item.getByText(text)).toBeVisible();
  await expect(item.getByText("Sharp replies in the fatigue thread")).toBeVisible();
  await expectBigTarget(item.getByRole("link", { name: member, exact: true }), "member link in the queue");
  await expectBigTarget(item.getByRole("button", { name: `Lift the suspension of ${member}` }), "lift button");
  await checkA11y(page, "requests for review");
  await item.getByLabel(`Reply to ${member}`).fill("Thank you for explaining. Welcome back.");
  await item.getByRole("button", { name: `Lift the suspension of ${member}` }).click();
  await expect(page.getByRole("status")).toContainText(`You lifted ${member}'s suspension.`);
  await expect(page.locator(".queue > li").filter({ hasText: `Request from ${member}` })).toHaveCount(0);
  await page.goto("/mod/log?action=appeal-granted");
  await expect(page.getByRole("row").filter({ hasText: "Thank you for explaining. Welcome back." }).first()).toBeVisible();
  await logOut(page);

  await logIn(page, member, PASSWORD);
  await page.goto("/notifications");
  await expect(page.getByText("A moderator lifted your suspension: Thank you for explaining. Welcome back.", { exact: true })).toBeVisible();
});

test("an expired form keeps the text through logging in again; a kept suspension shows the moderator's reply", async ({ page }) => {
  const mod = uniqueName("mod");
  const member = uniqueName("appealer");
  await createAccount({ username: mod, password: PASSWORD, role: "moderator" });
  await createAccount({ username: member, password: PASSWORD });
  await suspendAccount(member, "Selling supplements");

  await logInSuspended(page, member, PASSWORD);
  const text = "They were links to the study, not to a shop. Please look again.";
  await page.getByLabel("Your request for review").fill(text);
  // The hour passes before they send it.
  const memberId = await userIdOf(member);
  await inE2eDatabase((tx) =>
    tx
      .update(tables.appealTokens)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(tables.appealTokens.userId, memberId)),
  );
  await page.getByRole("button", { name: "Send my request" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "This form has expired" })).toBeVisible();
  await expect(page.getByLabel("Your request for review")).toHaveValue(text);
  await checkA11y(page, "expired review form");
  await page.getByLabel("Username or email").fill(member);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your account is suspended" })).toBeVisible();
  await expect(page.getByLabel("Your request for review")).toHaveValue(text);
  await page.getByRole("button", { name: "Send my request" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your request is in" })).toBeVisible();

  await logIn(page, mod, PASSWORD);
  const item = await openQueueItem(page, member);
  await expect(item.getByText(text)).toBeVisible();
  const reply = "The links went to a shop page, so the suspension stays for the week.";
  await item.getByLabel(`Reply to ${member}`).fill(reply);
  await item.getByRole("button", { name: `Keep the suspension of ${member}` }).click();
  await expect(page.getByRole("status")).toContainText(`${member}'s suspension stays.`);
  await logOut(page);

  await logInSuspended(page, member, PASSWORD);
  await expect(page.getByText(/Your request for review on .+ was reviewed: the suspension stays\./)).toBeVisible();
  await expect(page.getByText(reply)).toBeVisible();
  await expect(page.getByText(/You can ask for another review from/)).toBeVisible();
  await expect(page.getByLabel("Your request for review")).toHaveCount(0);
  await checkA11y(page, "notice with the moderator's reply");
});

test("@js-only a request for review being written survives a closed tab, for its writer only, and is forgotten once sent", async ({ page }) => {
  const member = uniqueName("appealer");
  const other = uniqueName("appealer");
  await createAccount({ username: member, password: PASSWORD });
  await createAccount({ username: other, password: PASSWORD });
  await suspendAccount(member, "Arguing about quinine doses");
  await suspendAccount(other, "Spam links");

  await logInSuspended(page, member, PASSWORD);
  const field = page.getByLabel("Your request for review");
  await expect(page.getByText("Kept on this device while you write, until you send it.")).toBeVisible();
  const text = "I quoted my neurologist, not a dose to copy. I'll add that to the post if I may come back.";
  await field.fill(text);

  // The tab closes before it is sent; later, in a new one, the member logs in again (with their
  // email this time: the text is kept for the member, whatever they log in with).
  const context = page.context();
  await page.close();
  const again = await context.newPage();
  await logInSuspended(again, `${member}@example.org`, PASSWORD);
  await expect(again.getByLabel("Your request for review")).toHaveValue(text);
  await expect(again.getByText("What you wrote here before is back.")).toBeVisible();
  await checkA11y(again, "review form with the kept text back");

  // Someone else suspended, on the same computer, gets an empty form.
  await logInSuspended(again, other, PASSWORD);
  await expect(again.getByLabel("Your request for review")).toHaveValue("");
  await expect(again.getByText("What you wrote here before is back.")).toHaveCount(0);

  await logInSuspended(again, member, PASSWORD);
  await expect(again.getByLabel("Your request for review")).toHaveValue(text);
  await again.getByRole("button", { name: "Send my request" }).click();
  await expect(again.getByRole("heading", { level: 1, name: "Your request is in" })).toBeVisible();
  const kept = () => again.evaluate(() => Object.values(localStorage).filter((value) => value.startsWith("I quoted my neurologist")));
  await expect.poll(kept, { message: "the sent request, still kept in the browser" }).toEqual([]);
});
