// Runs before each test file (vitest isolates files): the file gets its own copy of the database
// that tests/global-template-db.ts migrated and seeded once, so every file starts from the same data.
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inject } from "vitest";

// Tests post far faster than people do; tests/rate-limit.test.ts sets its own scale.
process.env.RATE_LIMIT_SCALE ??= "1000";
process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), "unclench-test-")), "test.db");
copyFileSync(inject("templateDatabase"), process.env.DATABASE_PATH);
