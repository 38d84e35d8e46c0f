#!/usr/bin/env node
// Finds nginx for tests/proxy.test.ts, which proves the README's reverse-proxy setup with a real
// proxy. Like ensure-chromium.mjs: the test only looks (findNginx); CI (.ci/run) runs this file,
// which installs Debian's `nginx` with apt-get when it is missing and we run as root.
import { accessSync, constants } from "node:fs";
import { aptInstall } from "./apt-install.mjs";
import { fileURLToPath } from "node:url";
import { resolve } from "node:path";

const CANDIDATES = ["/usr/sbin/nginx", "/usr/bin/nginx"];

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

/**
 * Path of nginx ($NGINX_PATH, then Debian's), or null. Never installs anything.
 * @returns {string | null}
 */
export function findNginx() {
  const fromEnv = process.env.NGINX_PATH;
  if (fromEnv && isExecutable(fromEnv)) return fromEnv;
  return CANDIDATES.find(isExecutable) ?? null;
}

/**
 * Like findNginx, but when nothing is found and we run as root, installs Debian's `nginx` with
 * apt-get (reading the package lists first only when the install cannot find the package).
 * @returns {string | null}
 */
export function ensureNginx() {
  const found = findNginx();
  if (found) return found;
  aptInstall("nginx");
  return findNginx();
}

export const INSTALL_HELP = [
  "No nginx found for the reverse-proxy test (tests/proxy.test.ts). Install one of:",
  "  - Debian/Ubuntu: sudo apt-get install -y nginx   (provides /usr/sbin/nginx)",
  "  - or point NGINX_PATH at an existing nginx binary.",
].join("\n");

const isCli = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isCli) {
  const path = ensureNginx();
  if (!path) {
    console.error(INSTALL_HELP);
    process.exit(1);
  }
  console.log(`nginx: ${path}`);
}
