import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: { alias: { "~": fileURLToPath(new URL("./app", import.meta.url)) } },
  test: {
    include: ["app/**/*.test.ts", "tests/**/*.test.ts", "db/**/*.test.ts"],
    exclude: ["tests/e2e/**", "node_modules/**"],
    // Each test file gets its own copy of a SQLite file migrated and seeded once per run.
    setupFiles: ["tests/setup-db.ts"],
    globalSetup: ["tests/global-build.ts", "tests/global-template-db.ts"],
    pool: "forks",
    // Vitest keeps a core free by default, which on a 2-core machine means one file at a time.
    // Test files share nothing (each has its own database copy), so use both.
    maxWorkers: 2,
  },
});
