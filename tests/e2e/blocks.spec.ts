import { checkA11y, createAccount, expect, logIn, pageInOwnContext, postThread, test, uniqueName } from "./fixtures.ts";

const PASSWORD = "cramps at three am";
// The one neutral line both sides read (BLOCKED_THREAD in app/models/blocks.server.ts).
const NEUTRAL = "You can't reply in this thread: there is a block between you and the member who started it.";

test("block a member: their posts collapse, neither can reply in the other's thread, and settings lifts it", async ({ page, browser, javaScriptEnabled }) => {
  const [me, pest, moderator] = [uniqueName("blocker"), uniqueName("pest"), uniqueName("blockmod")];
  await createAccount({ username: me, password: PASSWORD });
  await createAccount({ username: pest, password: PASSWORD });
  await createAccount({ username: moderator, password: PASSWORD, role: "moderator" });

  const other = await pageInOwnContext(browser, javaScriptEnabled);
  try {
    await logIn(other.page, pest, PASSWORD);
    const pestThread = await postThread(other.page, "night-leg-cramps", `Everyone should stretch ${pest}`, "Stretch more, all of you.");

    await logIn(page, me, PASSWORD);
    const myThread = await postThread(page, "night-leg-cramps", `My calves at night ${me}`, "Heat helps me a little.");

    // The pest starts a reply in my thread before I block them.
    await other.page.goto(myThread);
    await other.page.getByLabel("Your reply").fill("You are doing it wrong.");

    await page.goto(`/u/${pest}`);
    await expect(page.getByText("They aren't told.").last()).toBeVisible();
    await page.getByRole("button", { name: `Block ${pest}`, exact: true }).click();
    await expect(page.getByRole("button", { name: `Unblock ${pest}`, exact: true })).toBeVisible();
    await expect(page.getByText(`You have blocked ${pest}.`)).toBeVisible();
    await checkA11y(page, "profile of a blocked member");
    // Muting them too is fine: the block is stronger.
    await page.getByRole("button", { name: `Mute ${pest}`, exact: true }).click();
    await expect(page.getByRole("button", { name: `Unmute ${pest}`, exact: true })).toBeVisible();

    // Sent anyway: refused, with the words kept on the page.
    await other.page.getByRole("button", { name: "Post reply" }).click();
    await expect(other.page.getByRole("alert")).toContainText(NEUTRAL);
    await expect(other.page.getByLabel("Your text")).toHaveValue("You are doing it wrong.");
    await other.page.goto(myThread);
    await expect(other.page.getByText(NEUTRAL)).toBeVisible();
    await expect(other.page.getByLabel("Your reply")).toHaveCount(0);
    // The blocked member's view of my post is not collapsed: they aren't told that way either.
    await expect(other.page.getByText("Heat helps me a little.")).toBeVisible();
    await checkA11y(other.page, "thread by a member who blocked the viewer");

    // My side: their thread shows their post collapsed, and the same line where the form would be.
    await page.goto(pestThread);
    const words = page.getByText("Stretch more, all of you.");
    await expect(words).toBeHidden();
    await expect(page.getByText("Post by a member you blocked (show)")).toBeVisible();
    await expect(page.getByText(NEUTRAL)).toBeVisible();
    await expect(page.getByLabel("Your reply")).toHaveCount(0);
    await checkA11y(page, "thread by a blocked member");
    await page.getByText("Post by a member you blocked").click();
    await expect(words).toBeVisible();

    // Staff can't be blocked, and the page says why.
    await page.goto(`/u/${moderator}`);
    await expect(page.getByText("Moderators and admins can't be blocked: they must be able to reach every member.")).toBeVisible();
    await expect(page.getByRole("button", { name: `Block ${moderator}`, exact: true })).toHaveCount(0);

    // Settings lists both; each is lifted from its own button.
    await page.goto("/settings");
    await page.getByRole("link", { name: "See blocked and muted members" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "Blocked and muted members" })).toBeVisible();
    await checkA11y(page, "blocked and muted members");
    await page.getByRole("button", { name: `Unblock ${pest}`, exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("The block is lifted.");
    await expect(page.getByText("You haven't blocked anyone.")).toBeVisible();
    await page.getByRole("button", { name: `Unmute ${pest}`, exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("The mute is lifted.");
    await expect(page.getByText("You haven't muted anyone.")).toBeVisible();
    await checkA11y(page, "blocked and muted members, empty");

    await page.goto(pestThread);
    await expect(page.getByText("Stretch more, all of you.")).toBeVisible();
    await expect(page.getByLabel("Your reply")).toBeVisible();
  } finally {
    await other.context.close();
  }
});
