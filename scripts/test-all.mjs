#!/usr/bin/env node
// `npm test`: unit tests (vitest), then end-to-end tests (Playwright) — the
// e2e suite runs even when the unit suite failed. Ends with exactly one line
// "N passed, M failed" and exits 1 if anything failed. `npm run test:pg` runs
// the same on PostgreSQL (UNCLENCH_TEST_DB=postgres: each runner starts a
// throw-away cluster). UNCLENCH_BUILT=1 reuses the build already in build/.
import { existsSync, readFileSync, rmSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { delimiter, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureChromium, INSTALL_HELP } from "./ensure-chromium.mjs";
import { ensurePostgres, INSTALL_HELP as POSTGRES_HELP } from "./ensure-postgres.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
process.chdir(root);

const UNIT_JSON = "test-results/unit.json";
const E2E_JSON = "test-results/e2e.json";
const env = { ...process.env, PATH: [join(root, "node_modules", ".bin"), process.env.PATH].join(delimiter) };

/** Runs a local bin with inherited stdio; returns true when it exited 0. */
function run(bin, args) {
  console.log(`\n> ${bin} ${args.join(" ")}\n`);
  const result = spawnSync(bin, args, { stdio: "inherit", env });
  if (result.error) console.error(`Could not run ${bin}: ${result.error.message}`);
  if (result.status !== 0) console.error(`${bin} exited with ${result.status ?? result.signal}`);
  return result.status === 0;
}

/** Parsed JSON report, or undefined (with a message) when missing/unreadable. */
function readReport(file) {
  if (!existsSync(file)) {
    console.error(`Missing report: ${file}`);
    return undefined;
  }
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    console.error(`Unreadable report ${file}: ${error.message}`);
    return undefined;
  }
}

// Stale reports from an earlier run must not be mistaken for this run's.
rmSync(UNIT_JSON, { force: true });
rmSync(E2E_JSON, { force: true });

// Tests start throw-away PostgreSQL clusters (all of them under test:pg, a few under npm test) from
// Debian's server binaries, installed here when missing as Chromium is below.
if (!ensurePostgres()) {
  console.error(POSTGRES_HELP);
  if (env.UNCLENCH_TEST_DB === "postgres") {
    console.log("\n0 passed, 1 failed");
    process.exit(1);
  }
}

// One build for both runners: the server tests and the e2e web server serve it as it is.
const built = env.UNCLENCH_BUILT === "1" || run("npm", ["run", "build"]);
env.UNCLENCH_BUILT = "1";

const unitOk = built && run("vitest", ["run", "--reporter=default", "--reporter=json", `--outputFile.json=${UNIT_JSON}`]);
// Read now: nothing later may touch it, but keep the unit result independent of the e2e run.
const unit = readReport(UNIT_JSON);

let e2eOk = false;
const chromium = ensureChromium();
if (chromium) {
  console.log(`Chromium: ${chromium}`);
  e2eOk = built && run("playwright", ["test"]);
} else {
  console.error(`${INSTALL_HELP}\nSkipping the end-to-end tests.`);
}
const e2e = readReport(E2E_JSON);

/**
 * Passed/failed counts for one runner. Files that failed to load (vitest) and
 * global errors (Playwright, e.g. the web server not starting) count as
 * failures; a runner that failed without any counted failure (non-zero exit,
 * missing report) counts as one, so the summary never says "0 failed" on failure.
 */
function tally(name, ok, report, countFromReport) {
  const counts = report ? countFromReport(report) : { passed: 0, failed: 0 };
  if (counts.failed === 0 && (!ok || !report)) {
    console.error(`${name}: runner failed without reporting a failed test; counting it as 1 failure.`);
    counts.failed = 1;
  }
  return counts;
}

const unitCounts = tally("unit", unitOk, unit, (r) => {
  const loadErrors = (r.testResults ?? []).filter(
    (file) => file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"),
  ).length;
  return { passed: r.numPassedTests ?? 0, failed: (r.numFailedTests ?? 0) + loadErrors };
});

const e2eCounts = tally("e2e", e2eOk, e2e, (r) => {
  const s = r.stats ?? {};
  return {
    passed: s.expected ?? 0,
    failed: (s.unexpected ?? 0) + (s.flaky ?? 0) + (r.errors?.length ?? 0),
  };
});

const passed = unitCounts.passed + e2eCounts.passed;
const failed = unitCounts.failed + e2eCounts.failed;
console.log(`\nunit: ${unitCounts.passed} passed, ${unitCounts.failed} failed; e2e: ${e2eCounts.passed} passed, ${e2eCounts.failed} failed`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || !unitOk || !e2eOk || !unit || !e2e ? 1 : 0);
