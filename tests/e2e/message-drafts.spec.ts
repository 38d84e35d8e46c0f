import type { Page } from "@playwright/test";
import { season } from "./conversations.ts";
import { checkA11y, createAccount, expect, logIn, test, uniqueName } from "./fixtures.ts";

// Nothing typed in a private message is lost: text sent after the session ran out comes back
// after logging in, a half-written message is kept as a draft (by autosave, or by "Save draft"),
// and the draft goes once the message is sent or the conversation is left.

const PASSWORD = "cramps at three am";

/** A member who may start conversations, and someone to write to, logged in as the first. */
async function writerAndReader(page: Page) {
  const writer = uniqueName("mdwriter");
  const reader = uniqueName("mdreader");
  for (const username of [writer, reader]) await createAccount({ username, password: PASSWORD });
  await season(writer);
  await logIn(page, writer, PASSWORD);
  return { writer, reader };
}

/** Starts a conversation through the form; returns its address. */
async function startConversation(page: Page, reader: string, subject: string) {
  await page.goto(`/messages/new?to=${reader}`);
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Your message").fill("Hello, how are your nights lately?");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  return page.url().split("#")[0]!;
}

async function logInAgain(page: Page, username: string) {
  await expect(page.getByRole("heading", { level: 1, name: "Log in" })).toBeVisible();
  await page.getByLabel("Username or email", { exact: true }).fill(username);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Log in", exact: true }).click();
}

test("a new message and a reply sent after the session expired are back in their forms after logging in", async ({ page, context }) => {
  const { writer, reader } = await writerAndReader(page);
  const subject = `Magnesium ${uniqueName("s")}`;
  const first = "Did magnesium help your calf cramps? Mine are worse since the new dose.";
  await page.goto(`/messages/new?to=${reader}`);
  await page.getByLabel("Subject").fill(subject);
  await page.getByLabel("Your message").fill(first);
  await context.clearCookies();
  await page.getByRole("button", { name: "Send message" }).click();

  await logInAgain(page, writer);
  await expect(page).toHaveURL((url) => url.pathname === "/messages/new" && url.searchParams.get("to") === reader && !url.searchParams.has("restore"));
  await expect(page.getByText(/Your draft from .* is back in the form below/)).toBeVisible();
  await expect(page.getByLabel("To")).toHaveValue(reader);
  await expect(page.getByLabel("Subject")).toHaveValue(subject);
  await expect(page.getByLabel("Your message")).toHaveValue(first);
  await checkA11y(page, "new message kept through a login");
  await page.getByRole("button", { name: "Send message" }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  await expect(page.locator(".message").getByText("Mine are worse since the new dose.")).toBeVisible();
  const conversation = page.url().split("#")[0]!;

  const answer = "Stretching before bed helps me more than anything I take; I'll write more tomorrow.";
  await page.getByLabel("Your reply").fill(answer);
  await context.clearCookies();
  await page.getByRole("button", { name: "Send reply" }).click();
  await logInAgain(page, writer);
  await expect(page).toHaveURL((url) => url.href.startsWith(conversation) && !url.searchParams.has("restore"));
  await expect(page.getByLabel("Your reply")).toHaveValue(answer);
  await checkA11y(page, "conversation with the kept reply");
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.locator(".message").getByText("Stretching before bed helps me")).toBeVisible();

  // Sent, so nothing is left over as a draft.
  await page.goto("/drafts");
  await expect(page.getByText("You have no drafts.")).toBeVisible();
});

test("Save draft keeps a reply on /drafts under the conversation's subject, and leaving discards it", async ({ page }) => {
  const { reader } = await writerAndReader(page);
  const subject = `Night cramps ${uniqueName("s")}`;
  const conversation = await startConversation(page, reader, subject);
  await page.getByLabel("Your reply").fill("Half a thought about quinine, to finish later.");
  await page.getByRole("button", { name: "Save draft" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Draft saved." })).toBeVisible();
  await expect(page.getByLabel("Your reply")).toHaveValue("Half a thought about quinine, to finish later.");
  await checkA11y(page, "conversation, reply saved as a draft");

  await page.goto("/drafts");
  await expect(page.getByRole("heading", { level: 2, name: `Message in “${subject}”` })).toBeVisible();
  await expect(page.getByText("Half a thought about quinine, to finish later.")).toBeVisible();
  await checkA11y(page, "drafts with a message");
  await page.getByRole("link", { name: /Continue writing/ }).click();
  await expect(page).toHaveURL((url) => url.href.startsWith(conversation));
  await expect(page.getByLabel("Your reply")).toHaveValue("Half a thought about quinine, to finish later.");

  await page.getByText("Leave this conversation…").click();
  await page.getByRole("button", { name: "Leave the conversation" }).click();
  await expect(page.getByRole("status")).toContainText("You left the conversation.");
  await page.goto("/drafts");
  await expect(page.getByText("You have no drafts.")).toBeVisible();
});

test("autosave keeps a reply and a new message when the tab is closed @js-only", async ({ page, context }) => {
  const { reader } = await writerAndReader(page);
  const subject = `Heat pads ${uniqueName("s")}`;
  const conversation = await startConversation(page, reader, subject);
  await page.getByLabel("Your reply").fill("This reply was typed and then the tab was closed.");
  // Saved on leaving the field, or by the timer within a few seconds.
  await page.getByLabel("Your reply").blur();
  await expect(page.getByRole("status").filter({ hasText: /Draft saved \d/ })).toBeVisible({ timeout: 10_000 });
  await checkA11y(page, "conversation, reply autosaved");
  await page.close();

  const again = await context.newPage();
  await again.goto(conversation);
  await expect(again.getByText(/Your draft from .* is back in the form below/)).toBeVisible();
  await expect(again.getByLabel("Your reply")).toHaveValue("This reply was typed and then the tab was closed.");
  await checkA11y(again, "conversation with the autosaved reply restored");
  await again.getByRole("button", { name: "Send reply" }).click();
  await expect(again.locator(".message").getByText("This reply was typed and then the tab was closed.")).toBeVisible();

  await again.goto("/messages/new");
  await again.getByLabel("To").fill(reader);
  await again.getByLabel("Subject").fill("Another question");
  await again.getByLabel("Your message").fill("Does anyone else's hand cramp while typing?");
  await again.getByLabel("Your message").blur();
  await expect(again.getByRole("status").filter({ hasText: /Draft saved \d/ })).toBeVisible({ timeout: 10_000 });
  await again.reload();
  await expect(again.getByLabel("To")).toHaveValue(reader);
  await expect(again.getByLabel("Subject")).toHaveValue("Another question");
  await expect(again.getByLabel("Your message")).toHaveValue("Does anyone else's hand cramp while typing?");

  // The sent reply left no draft; the new message waits on /drafts.
  await again.goto("/drafts");
  await expect(again.getByRole("heading", { level: 2 })).toHaveText(["New message"]);
  await expect(again.getByText(`To: ${reader}`)).toBeVisible();
  await checkA11y(again, "drafts with a new message");
});

test("text typed while a save is on its way is saved next, and only then called saved @js-only", async ({ page }) => {
  const { reader } = await writerAndReader(page);
  // The first save is held back, as on a slow connection.
  let release = () => {};
  const held = new Promise<void>((resolve) => (release = resolve));
  let first = true;
  await page.route("**/drafts/save", async (route) => {
    if (first) {
      first = false;
      await held;
    }
    await route.continue();
  });
  await page.goto("/messages/new");
  await page.getByLabel("Subject").fill("On a slow connection");
  // Leaving the subject starts the held save; what is typed while it waits is not in it.
  await page.getByLabel("To").fill(reader);
  await page.getByLabel("Your message").fill("Typed while the first save was on its way.");
  await page.getByLabel("Your message").blur();
  release();
  await expect(page.getByRole("status").filter({ hasText: /Draft saved \d/ })).toBeVisible({ timeout: 10_000 });
  await page.reload();
  await expect(page.getByLabel("Your message")).toHaveValue("Typed while the first save was on its way.");
});
