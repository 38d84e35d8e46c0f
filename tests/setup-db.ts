// Runs before each test file (vitest isolates files): point the app at a fresh SQLite file,
// then migrate and seed it, so every file starts from the same known database.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

process.env.DATABASE_PATH = join(mkdtempSync(join(tmpdir(), "unclench-test-")), "test.db");

const { db, migrateDatabase } = await import("../db/client.ts");
const { seed } = await import("../db/seed.ts");
migrateDatabase();
seed(db);
