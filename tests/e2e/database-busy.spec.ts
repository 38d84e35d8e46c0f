import Database from "better-sqlite3";
import { join } from "node:path";
import { checkA11y, expect, pageInOwnContext, postThread, signUp, test, uniqueName } from "./fixtures.ts";

// Another process holds the database's write lock (a tool, a migration, a stuck writer): pages
// keep loading, and a reply that cannot be saved comes back with a clear message and the text
// still in the box, with scripts and without. Once the lock is gone, the same reply posts.
// The lock is the whole database's, so both modes run in one test, one after the other.

const PASSWORD = "a cramp in the arch of my foot";

function holdWriteLock() {
  const sqlite = new Database(join(process.env.UNCLENCH_E2E_TMPDIR!, "e2e.db"));
  sqlite.exec("BEGIN IMMEDIATE");
  return () => {
    sqlite.exec("ROLLBACK");
    sqlite.close();
  };
}

test("a reply sent while the database is locked answers 503 with the text kept, and posts once it is free @js-only", async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const { context, page } = await pageInOwnContext(browser, javaScriptEnabled);
    try {
      const me = uniqueName(javaScriptEnabled ? "scripted" : "plain");
      await signUp(page, { username: me, email: `${me}@example.org`, password: PASSWORD });
      const threadPath = await postThread(page, "night-leg-cramps", `Locked out ${me}`, "Does anyone else wake at 3 a.m.?");
      const text = `Every night this week, right at three. Stretching the calf helps. (${me})`;

      const release = holdWriteLock();
      try {
        // Reading needs no lock.
        await page.goto(threadPath);
        await expect(page.getByRole("heading", { level: 1, name: `Locked out ${me}` })).toBeVisible();
        await page.getByLabel("Your reply").fill(text);
        await page.getByRole("button", { name: "Post reply" }).click();
        await expect(page.getByRole("alert").filter({ hasText: "The forum can't save anything just now" })).toBeVisible();
        await expect(page.getByLabel("Your reply")).toHaveValue(text);
        await expect(page.getByRole("link", { name: `Signed in as ${me}` })).toBeVisible();
        await checkA11y(page, `reply refused, database locked (scripts ${javaScriptEnabled ? "on" : "off"})`);
      } finally {
        release();
      }

      await page.getByRole("button", { name: "Post reply" }).click();
      await expect(page.locator("article").filter({ hasText: text })).toBeVisible();
    } finally {
      await context.close();
    }
  }
});
