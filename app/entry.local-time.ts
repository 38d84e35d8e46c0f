// The one script a visitor's read-only page loads (docs/decisions/027): it hydrates nothing and
// reads no loader data, it only rewrites the text of times from UTC into the browser's own zone.
// scripts/finish-client-build.mjs bundles it on its own into public/build/local-time-[hash].js.
import { showLocalTimes } from "./utils/local-time.ts";

try {
  const timeZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  // Unknown or UTC: the page already says what it should.
  if (timeZone && timeZone !== "UTC") showLocalTimes(document, timeZone);
} catch {
  // A browser without Intl's zones keeps the page in UTC, as it was sent.
}
