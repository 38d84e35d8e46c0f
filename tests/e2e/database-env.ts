// Points this process at the e2e server's database (playwright.config.ts chose it). Imported before
// db/ by tests/e2e/database.ts: db/schema.ts and db/client.ts pick their engine when first loaded.
import { join } from "node:path";

/** The environment that points a process at the e2e database. */
export function e2eDatabaseEnv(): Record<string, string> {
  if (process.env.UNCLENCH_E2E_DATABASE_URL) return { DATABASE_URL: process.env.UNCLENCH_E2E_DATABASE_URL };
  const tmp = process.env.UNCLENCH_E2E_TMPDIR;
  if (!tmp) throw new Error("UNCLENCH_E2E_TMPDIR is not set: run this through playwright.config.ts");
  return { DATABASE_PATH: join(tmp, "e2e.db") };
}

Object.assign(process.env, e2eDatabaseEnv());
