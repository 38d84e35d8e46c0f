import type { CDPSession, Page } from "@playwright/test";
import { checkA11y, expect, expectBigTarget, inE2eDatabase, logIn, logOut, pageInOwnContext, signUp, tables, test, uniqueName, userIdOf } from "./fixtures.ts";

// Passkeys (issue 29): with JavaScript, added in settings and used on the login page, through
// Chromium's virtual authenticator (a device that holds passkeys and says yes to its fingerprint
// check); without JavaScript, the password form alone, and the list with its Remove buttons.

const PASSWORD = "tremor on the keys";

/** A device with a fingerprint reader for this page, through the DevTools protocol. */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("WebAuthn.enable");
  const { authenticatorId } = await cdp.send("WebAuthn.addVirtualAuthenticator", {
    options: {
      protocol: "ctap2",
      transport: "internal",
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

async function credentialsOn({ cdp, authenticatorId }: { cdp: CDPSession; authenticatorId: string }) {
  return (await cdp.send("WebAuthn.getCredentials", { authenticatorId })).credentials;
}

test("a member adds a passkey in settings, logs in with it, and removes it @js-only", async ({ page }) => {
  const device = await virtualAuthenticator(page);
  const username = uniqueName("passkey");
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
  await page.goto("/settings#passkeys");
  const section = page.locator("#passkeys");
  await expect(section.getByText("You have no passkeys yet.")).toBeVisible();

  // A wrong password is refused by the field, and stays typed to be corrected.
  await section.getByLabel("Your password").fill("not my password");
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByText("That isn't your password.")).toBeVisible();
  await expect(section.getByLabel("Your password")).toHaveValue("not my password");
  expect(await credentialsOn(device)).toHaveLength(0);
  await checkA11y(page, "settings: adding a passkey with the wrong password");

  await section.getByLabel("Your password").fill(PASSWORD);
  await section.getByRole("button", { name: "Add a passkey" }).click();
  await expect(section.getByText("Your passkey is added.")).toBeVisible();
  await expect(section.getByText("Chrome on Linux", { exact: true })).toBeVisible();
  await expect(section.getByText("Not used yet")).toBeVisible();
  await expect(section.getByLabel("Your password")).toHaveValue("");
  const held = await credentialsOn(device);
  expect(held).toHaveLength(1);
  expect(held[0]!.isResidentCredential).toBe(true);
  await checkA11y(page, "settings with a passkey");

  await logOut(page);
  await page.goto("/login?redirectTo=%2Fsaved");
  // Beside the password form, which stays.
  await expect(page.getByLabel("Username or email")).toBeVisible();
  const passkeyButton = page.getByRole("button", { name: "Log in with a passkey" });
  await expectBigTarget(passkeyButton, "Log in with a passkey");
  await checkA11y(page, "login with the passkey button");
  await passkeyButton.click();
  await expect(page).toHaveURL((url) => url.pathname === "/saved");
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();

  await page.goto("/settings#passkeys");
  await expect(section.getByText(/^Added .* · Last used /)).toBeVisible();
  await section.getByRole("button", { name: /^Remove passkey Chrome on Linux/ }).click();
  await expect(section.getByText("The passkey is removed, and you have been logged out on every other device.")).toBeVisible();
  await expect(section.getByText("You have no passkeys yet.")).toBeVisible();
  await checkA11y(page, "settings after removing the passkey");

  // The device still holds it, but it logs nobody in now; the password still does.
  await logOut(page);
  await page.goto("/login");
  await page.getByRole("button", { name: "Log in with a passkey" }).click();
  await expect(page.getByRole("alert")).toContainText("isn't registered here");
  await checkA11y(page, "login with a removed passkey");
  await logIn(page, username, PASSWORD);
});

test("a device that cannot confirm it is the member is told so, and the password form stays @js-only", async ({ page }) => {
  const device = await virtualAuthenticator(page);
  await device.cdp.send("WebAuthn.setUserVerified", { authenticatorId: device.authenticatorId, isUserVerified: false });
  await page.goto("/login");
  await page.getByRole("button", { name: "Log in with a passkey" }).click();
  await expect(page.getByRole("alert")).toContainText("You can try again, or log in with your password.");
  await expect(page.getByLabel("Username or email")).toBeVisible();
  await expect(page.getByRole("button", { name: "Log in with a passkey" })).toBeEnabled();
});

test("without JavaScript: only the password logs in, passkeys are listed and removed, adding one needs JavaScript @nojs-only", async ({ page, browser }) => {
  await page.goto("/login");
  await expect(page.getByLabel("Username or email")).toBeVisible();
  await expect(page.getByRole("button", { name: "Log in with a passkey" })).toHaveCount(0);
  await expect(page.getByText(/passkey/i)).toHaveCount(0);

  const username = uniqueName("nojspk");
  await signUp(page, { username, email: `${username}@example.org`, password: PASSWORD });
  // A passkey added earlier on a phone with JavaScript: only its row matters here.
  const userId = await userIdOf(username);
  await inE2eDatabase((tx) =>
    tx.insert(tables.passkeys).values({ id: `e2e-${username}`, userId, publicKey: Buffer.from([1, 2, 3]), name: "Safari on iPhone", lastUsedAt: new Date() }),
  );
  const other = await pageInOwnContext(browser, false);
  await logIn(other.page, username, PASSWORD);

  await page.goto("/settings");
  const section = page.locator("#passkeys");
  await expect(section.getByText("Safari on iPhone", { exact: true })).toBeVisible();
  await expect(section.getByText(/Last used/)).toBeVisible();
  await expect(section.getByText("Adding a passkey needs JavaScript")).toBeVisible();
  await expect(section.getByLabel("Your password")).toHaveCount(0);
  await checkA11y(page, "settings with a passkey, without JavaScript");

  await section.getByRole("button", { name: /^Remove passkey Safari on iPhone/ }).click();
  await expect(page).toHaveURL(/\/settings\?saved=passkey-removed#passkeys$/);
  await expect(section.getByText("The passkey is removed, and you have been logged out on every other device.")).toBeVisible();
  await expect(section.getByText("You have no passkeys yet.")).toBeVisible();
  await checkA11y(page, "settings after removing a passkey, without JavaScript");

  // The other browser was logged out; this one was not.
  await other.page.goto("/settings");
  await expect(other.page).toHaveURL(/\/login\?redirectTo=%2Fsettings$/);
  await other.context.close();
  await page.goto("/settings");
  await expect(page.getByRole("heading", { level: 1, name: "Settings" })).toBeVisible();
});
