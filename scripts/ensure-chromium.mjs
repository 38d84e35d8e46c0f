#!/usr/bin/env node
// Finds a Chromium that Playwright can drive, installing Debian's package if we
// are root and nothing is found. Used by playwright.config.ts (findChromium,
// never installs), scripts/test-all.mjs and .ci/run (ensureChromium / CLI).
import { accessSync, constants } from "node:fs";
import { aptInstall } from "./apt-install.mjs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

const require = createRequire(import.meta.url);
const SYSTEM_CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

/** @param {string | undefined} path */
function isExecutable(path) {
  if (!path) return false;
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Playwright's own browser build, if `npx playwright install chromium` has been run. */
function bundledChromium() {
  try {
    /** @type {{ chromium: { executablePath(): string } }} */
    const pw = require("playwright-core");
    const path = pw.chromium.executablePath();
    return isExecutable(path) ? path : undefined;
  } catch {
    return undefined; // playwright-core not installed, or no build for this platform
  }
}

/**
 * Path of a usable Chromium, or undefined. Order: $CHROMIUM_PATH, Playwright's
 * bundled chromium, the system package. Never installs anything.
 * @returns {string | undefined}
 */
export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  return bundledChromium() ?? SYSTEM_CANDIDATES.find(isExecutable);
}

/**
 * Like findChromium, but when nothing is found and we run as root, installs
 * Debian's `chromium` package with apt-get and looks again.
 * @returns {string | undefined}
 */
export function ensureChromium() {
  const found = findChromium();
  if (found) return found;
  aptInstall("chromium");
  return findChromium();
}

export const INSTALL_HELP = [
  "No usable Chromium found for the end-to-end tests. Install one of:",
  "  - Debian/Ubuntu: sudo apt-get install -y chromium   (provides /usr/bin/chromium)",
  "  - Playwright build: npx playwright install chromium",
  "  - or point CHROMIUM_PATH at an existing Chromium/Chrome binary.",
].join("\n");

const isCli = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isCli) {
  const path = ensureChromium();
  if (!path) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  console.log(`Chromium: ${path}`);
}
