// Installs one Debian package with apt-get when we run as root on a machine that has apt-get,
// reading the package lists first only when the install cannot find the package.
import { spawnSync } from "node:child_process";

/**
 * @param {string} pkg
 * @returns {boolean} whether apt-get ran and succeeded
 */
export function aptInstall(pkg) {
  if (process.getuid?.() !== 0) return false;
  if (spawnSync("sh", ["-c", "command -v apt-get"], { stdio: "ignore" }).status !== 0) return false;
  console.log(`Installing Debian package "${pkg}" with apt-get…`);
  const install = `apt-get install -y --no-install-recommends ${pkg}`;
  const result = spawnSync("sh", ["-c", `${install} || (apt-get update && ${install})`], {
    stdio: "inherit",
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0) console.error(`apt-get failed (exit ${result.status ?? result.signal}).`);
  return result.status === 0;
}
