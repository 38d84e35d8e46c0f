// Runs before each test file (vitest isolates files): the file gets its own copy of the database
// that tests/global-template-db.ts migrated and seeded once, so every file starts from the same data.
import { randomBytes } from "node:crypto";
import { copyFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { inject } from "vitest";

// Tests post far faster than people do; tests/rate-limit.test.ts sets its own scale.
process.env.RATE_LIMIT_SCALE ??= "1000";
const cluster = inject("postgresCluster");
if (cluster) {
  const name = `test_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: cluster.replace("/?", "/postgres?") });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${inject("templateDatabase")}"`);
  } finally {
    await admin.end();
  }
  process.env.DATABASE_URL = cluster.replace("/?", `/${name}?`);
} else {
  process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), "unclench-test-")), "test.db");
  copyFileSync(inject("templateDatabase"), process.env.DATABASE_PATH);
}
