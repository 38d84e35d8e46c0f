// Runs before each test file (vitest isolates files): point the app at a fresh SQLite file,
// then migrate and seed it, so every file starts from the same known database.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Tests post far faster than people do; tests/rate-limit.test.ts sets its own scale.
process.env.RATE_LIMIT_SCALE ??= "1000";
process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), "unclench-test-")), "test.db");

const { db, migrateDatabase } = await import("../db/client.ts");
const { seed } = await import("../db/seed.ts");
migrateDatabase();
seed(db);
