import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// On a phone, below a thread of posts, a member writes that they want to end their life. The
// help must be what they see when the page comes back, not their own post at the bottom.
test("after words about ending their life, the member lands on the help, on a small screen", async ({ page }) => {
  await page.setViewportSize({ width: 320, height: 640 });
  const username = uniqueName("lowday");
  await signUp(page, { username, email: `${username}@example.org`, password: "calf cramps at 3am" });
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(`Long week ${username}`);
  await page.getByLabel("Your post").fill("The cramps have been bad all week and I'm not sleeping.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `Long week ${username}` })).toBeVisible();
  for (const words of ["Tried the stretches again tonight.", "Still awake at 4am, calves like rocks."]) {
    await page.getByLabel("Your reply").fill(words);
    await page.getByRole("button", { name: "Post reply" }).click();
    await expect(page.getByText(words)).toBeVisible();
  }

  await page.getByLabel("Your reply").fill("Honestly some nights I want to end my life.");
  await page.getByRole("button", { name: "Post reply" }).click();
  const help = page.getByRole("heading", { name: "You don't have to go through this alone" });
  await expect(help).toBeInViewport();
  // Their post is published as usual, further down.
  await expect(page.getByText("Honestly some nights I want to end my life.")).toBeAttached();
  await checkA11y(page, "thread with the crisis panel");
});
