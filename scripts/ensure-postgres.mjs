#!/usr/bin/env node
// Finds PostgreSQL's server binaries for tests/postgres.test.ts, which runs the forum's models on a
// throw-away cluster (tests/pg-cluster.ts). Like ensure-nginx.mjs: the test only looks
// (findPostgres); CI (.ci/run) runs this file, which installs Debian's `postgresql` with apt-get
// when it is missing and we run as root.
import { accessSync, constants, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { aptInstall } from "./apt-install.mjs";

/** The forum needs PostgreSQL 15 or later (issue 25). */
export const MIN_VERSION = 15;
const DEBIAN_ROOT = "/usr/lib/postgresql";

/** @param {string} dir */
function hasServer(dir) {
  try {
    for (const tool of ["initdb", "pg_ctl", "postgres"]) accessSync(join(dir, tool), constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The bin directory of PostgreSQL ($PG_BIN, then Debian's newest /usr/lib/postgresql/<n>/bin with
 * n >= MIN_VERSION), or null. Never installs anything.
 * @returns {string | null}
 */
export function findPostgres() {
  const fromEnv = process.env.PG_BIN;
  if (fromEnv && hasServer(fromEnv)) return fromEnv;
  let versions = [];
  try {
    versions = readdirSync(DEBIAN_ROOT)
      .map(Number)
      .filter((n) => n >= MIN_VERSION)
      .sort((a, b) => b - a);
  } catch {
    return null;
  }
  for (const version of versions) {
    const dir = join(DEBIAN_ROOT, String(version), "bin");
    if (hasServer(dir)) return dir;
  }
  return null;
}

/**
 * Like findPostgres, but when nothing is found and we run as root, installs Debian's `postgresql`
 * with apt-get (reading the package lists first only when the install cannot find the package).
 * @returns {string | null}
 */
export function ensurePostgres() {
  const found = findPostgres();
  if (found) return found;
  aptInstall("postgresql");
  return findPostgres();
}

export const INSTALL_HELP = [
  `No PostgreSQL ${MIN_VERSION}+ server found for tests/postgres.test.ts. Install one of:`,
  "  - Debian/Ubuntu: sudo apt-get install -y postgresql   (provides /usr/lib/postgresql/<version>/bin)",
  "  - or point PG_BIN at a directory holding initdb, pg_ctl and postgres.",
].join("\n");

const isCli = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isCli) {
  const path = ensurePostgres();
  if (!path) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  console.log(`PostgreSQL: ${path}`);
}
