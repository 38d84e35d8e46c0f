import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";
// Plain JS (it must run under bare `node` in CI); typed through its JSDoc (tsconfig allowJs).
import { findChromium } from "./scripts/ensure-chromium.mjs";
import { startCluster } from "./tests/pg-cluster.ts";

// E2E_PORT lets two checkouts (or two people) run the suite side by side.
const PORT = Number(process.env.E2E_PORT ?? 3100);
const BASE_URL = `http://localhost:${PORT}`;

// The config is evaluated by the runner and again by every worker. Only the
// runner (first evaluation) creates the throwaway database directory; workers
// inherit the env var. The directory is removed when the runner exits.
const TMP_ENV = "UNCLENCH_E2E_TMPDIR";
if (!process.env[TMP_ENV]) {
  const dir = mkdtempSync(join(tmpdir(), "unclench-e2e-"));
  process.env[TMP_ENV] = dir;
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  // `npm run test:pg`: the server runs on a throw-away PostgreSQL cluster the runner owns.
  if (process.env.UNCLENCH_TEST_DB === "postgres") {
    const cluster = startCluster();
    process.env.UNCLENCH_E2E_DATABASE_URL = cluster.url("postgres");
    process.on("exit", () => cluster.stop());
  }
}
const dbPath = join(process.env[TMP_ENV]!, "e2e.db");
const database = process.env.UNCLENCH_E2E_DATABASE_URL
  ? `DATABASE_URL=${JSON.stringify(process.env.UNCLENCH_E2E_DATABASE_URL)}`
  : `DATABASE_PATH=${JSON.stringify(dbPath)}`;
// The e2e server has no mail server: email lands here as .eml files (tests/e2e/fixtures.ts reads them).
const outboxPath = join(process.env[TMP_ENV]!, "outbox");

const executablePath = findChromium();

export default defineConfig({
  testDir: "tests/e2e",
  // Artifacts (traces, screenshots) go in a subfolder: Playwright empties
  // outputDir at start, and test-results/unit.json must survive.
  outputDir: "test-results/e2e-artifacts",
  fullyParallel: false,
  // Journeys run several axe audits and take 5-40 s on 2 cores; a busy machine can take several
  // times that, and a limit is only there to stop a hung test.
  timeout: 240_000,
  expect: { timeout: 15_000 },
  workers: 2,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [["list"], ["json", { outputFile: "test-results/e2e.json" }]],
  use: {
    baseURL: BASE_URL,
    trace: "retain-on-failure",
    launchOptions: {
      ...(executablePath ? { executablePath } : {}),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "js", use: { javaScriptEnabled: true }, grepInvert: /@nojs-only/, testIgnore: /database-busy/ },
    { name: "nojs", use: { javaScriptEnabled: false }, grepInvert: /@js-only/, testIgnore: /database-busy/ },
    // Holding the whole database's write lock would refuse every other test's writes: this runs alone, last.
    { name: "locked", use: { javaScriptEnabled: true }, testMatch: /database-busy/, dependencies: ["js", "nojs"] },
  ],
  webServer: {
    // Every e2e member signs up from 127.0.0.1; scale the limits so the suite is not throttled.
    // `npm test` builds once before both runners (UNCLENCH_BUILT); run alone, the suite builds first.
    command: `${process.env.UNCLENCH_BUILT ? "" : "npm run build && "}PORT=${PORT} RATE_LIMIT_SCALE=1000 ${database} MAIL_OUTBOX=${JSON.stringify(outboxPath)} npm run serve`,
    url: `${BASE_URL}/healthz`,
    reuseExistingServer: false,
    // Starting is seconds; the margin is for a busy machine and a build when run alone.
    timeout: 180_000,
    stderr: "pipe",
  },
});
