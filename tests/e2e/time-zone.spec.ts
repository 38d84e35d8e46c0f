import { checkA11y, expect, signUp, test, uniqueName } from "./fixtures.ts";

// A member who sets their time zone reads every time in it: at 3 a.m. "03:10" means something,
// "09:10 UTC" makes them do sums. Visitors and members without a zone see UTC, said as such.
test("times show in the member's own time zone once they set it, and say which zone", async ({ page }) => {
  const username = uniqueName("zoned");
  await signUp(page, { username, email: `${username}@example.org`, password: "night cramps again" });
  await page.goto("/boards/night-leg-cramps/new");
  await page.getByLabel("Title").fill(`What time is it ${username}`);
  await page.getByLabel("Your post").fill("Awake again.");
  await page.getByRole("button", { name: "Post thread" }).click();
  await expect(page.getByRole("heading", { level: 1, name: `What time is it ${username}` })).toBeVisible();
  const thread = page.url();
  const shown = page.locator("a.permalink time").first();
  await expect(shown).toHaveText(/ UTC$/);

  await page.goto("/settings");
  await page.getByLabel("Your time zone").fill("Asia/Kolkata");
  await page.getByRole("button", { name: "Save appearance" }).click();
  // The field holds what was typed at once; the saved note says the server has it.
  await expect(page.getByText("Your appearance settings are saved.")).toBeVisible();
  await expect(page.getByLabel("Your time zone")).toHaveValue("Asia/Kolkata");

  await page.goto(thread);
  // India is UTC+5:30 all year, so the zone and the minutes are known whatever the date.
  await expect(shown).toHaveText(/^\d{1,2} \w{3} \d{4}, \d\d:\d\d GMT\+5:30$/);
  const instant = new Date((await shown.getAttribute("datetime"))!);
  const local = new Date(instant.getTime() + 330 * 60_000);
  const hhmm = `${String(local.getUTCHours()).padStart(2, "0")}:${String(local.getUTCMinutes()).padStart(2, "0")}`;
  await expect(shown).toContainText(hhmm);
  // The link's name says exactly what it shows.
  await expect(page.getByRole("link", { name: `Post 1, written ${await shown.textContent()}` })).toBeVisible();
  await checkA11y(page, "thread in the member's time zone");
});
