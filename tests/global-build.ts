import { execFileSync } from "node:child_process";

// The server tests (http-edge, proxy, shutdown) and the bundle checks run the built app. `npm test`
// builds once before both runners and sets UNCLENCH_BUILT; run alone, vitest builds here, once,
// before any test file starts, so no two files ever build at the same time.
export default function buildOnce() {
  if (!process.env.UNCLENCH_BUILT) execFileSync("npm", ["run", "build"], { stdio: "inherit" });
}
