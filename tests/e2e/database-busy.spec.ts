import Database from "better-sqlite3";
import pg from "pg";
import { e2eDatabaseEnv } from "./database.ts";
import { checkA11y, expect, pageInOwnContext, postThread, signUp, test, uniqueName } from "./fixtures.ts";

// Another process holds the database's write lock, or on PostgreSQL locks on the tables a reply
// writes (a tool, a migration, a stuck writer): pages
// keep loading, and a reply that cannot be saved comes back with a clear message and the text
// still in the box, with scripts and without. Once the lock is gone, the same reply posts.
// The lock is the whole database's, so both modes run in one test, one after the other.

const PASSWORD = "a cramp in the arch of my foot";

async function holdWriteLock() {
  const { DATABASE_URL, DATABASE_PATH } = e2eDatabaseEnv();
  if (DATABASE_URL) {
    const other = new pg.Client({ connectionString: DATABASE_URL });
    await other.connect();
    await other.query("begin");
    // EXCLUSIVE lets others read these tables, and write none of them.
    await other.query("lock table posts, threads, thread_reads, sessions, rate_limits, drafts in exclusive mode");
    return async () => void (await other.query("rollback"), await other.end());
  }
  const sqlite = new Database(DATABASE_PATH);
  sqlite.exec("BEGIN IMMEDIATE");
  return async () => void (sqlite.exec("ROLLBACK"), sqlite.close());
}

test("a reply sent while the database is locked answers 503 with the text kept, and posts once it is free @js-only", async ({ browser }) => {
  for (const javaScriptEnabled of [true, false]) {
    const { context, page } = await pageInOwnContext(browser, javaScriptEnabled);
    try {
      const me = uniqueName(javaScriptEnabled ? "scripted" : "plain");
      await signUp(page, { username: me, email: `${me}@example.org`, password: PASSWORD });
      const threadPath = await postThread(page, "night-leg-cramps", `Locked out ${me}`, "Does anyone else wake at 3 a.m.?");
      const text = `Every night this week, right at three. Stretching the calf helps. (${me})`;

      const release = await holdWriteLock();
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
        await release();
      }

      await page.getByRole("button", { name: "Post reply" }).click();
      await expect(page.locator("article").filter({ hasText: text })).toBeVisible();
    } finally {
      await context.close();
    }
  }
});
