import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    templateDatabase: string;
  }
}

// Migrating and seeding is the slow part of a fresh database, so it happens once per run, here;
// tests/setup-db.ts gives every test file its own copy of this file.
export default async function templateDatabase(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "unclench-template-"));
  const path = join(dir, "template.db");
  const given = process.env.DATABASE_PATH;
  process.env.DATABASE_PATH = path;
  try {
    const { closeDatabase, migrateDatabase, sqlite } = await import("../db/client.ts");
    const { seed } = await import("../db/seed.ts");
    await migrateDatabase();
    await seed();
    // Everything in the main file and the WAL gone, so a plain file copy is the whole database.
    sqlite.writer.pragma("wal_checkpoint(TRUNCATE)");
    await closeDatabase();
  } finally {
    if (given === undefined) delete process.env.DATABASE_PATH;
    else process.env.DATABASE_PATH = given;
  }
  project.provide("templateDatabase", path);
  return () => rmSync(dir, { recursive: true, force: true });
}
