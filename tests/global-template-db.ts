import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";
import { startCluster } from "./pg-cluster.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** SQLite: the template file. PostgreSQL: the template database's name. */
    templateDatabase: string;
    /** PostgreSQL only (`npm run test:pg`): a URL of the throw-away cluster with no database name. */
    postgresCluster: string;
  }
}

/** `npm run test:pg` (or UNCLENCH_TEST_DB=postgres before vitest) runs every file on PostgreSQL. */
export const testsOnPostgres = () => process.env.UNCLENCH_TEST_DB === "postgres";

// Migrating and seeding is the slow part of a fresh database, so it happens once per run, here;
// tests/setup-db.ts gives every test file its own copy (a file copy, or CREATE DATABASE … TEMPLATE).
export default async function templateDatabase(project: TestProject) {
  return testsOnPostgres() ? postgresTemplate(project) : sqliteTemplate(project);
}

/** Migrates and seeds the database the environment points at, then closes it. */
async function migrateAndSeed(env: Record<string, string>, beforeClose?: (client: typeof import("../db/client.ts")) => void) {
  const given = { DATABASE_PATH: process.env.DATABASE_PATH, DATABASE_URL: process.env.DATABASE_URL };
  Object.assign(process.env, env);
  try {
    const client = await import("../db/client.ts");
    const { seed } = await import("../db/seed.ts");
    await client.migrateDatabase();
    await seed();
    beforeClose?.(client);
    await client.closeDatabase();
  } finally {
    for (const [key, value] of Object.entries(given)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

async function sqliteTemplate(project: TestProject) {
  const dir = mkdtempSync(join(tmpdir(), "unclench-template-"));
  const path = join(dir, "template.db");
  // Everything in the main file and the WAL gone, so a plain file copy is the whole database.
  await migrateAndSeed({ DATABASE_PATH: path }, ({ sqlite }) => sqlite.writer.pragma("wal_checkpoint(TRUNCATE)"));
  project.provide("templateDatabase", path);
  project.provide("postgresCluster", "");
  return () => rmSync(dir, { recursive: true, force: true });
}

async function postgresTemplate(project: TestProject) {
  const cluster = startCluster();
  try {
    await migrateAndSeed({ DATABASE_URL: await cluster.createDatabase("unclench_template") });
  } catch (error) {
    cluster.stop();
    throw error;
  }
  project.provide("templateDatabase", "unclench_template");
  project.provide("postgresCluster", cluster.url(""));
  return () => cluster.stop();
}
