import { useMatches } from "@remix-run/react";

/**
 * A route whose pages a visitor can only read (no form but search, no control that needs a
 * script) sets this as its `handle`. Visitors then get the page without JavaScript: the framework
 * alone is 85 KB gzipped, and its loader data doubles the HTML, for a page that works the same
 * without them. Members get the scripts everywhere (drafts saved as they type, quoting in place).
 */
export const readOnlyForVisitors = { readOnlyForVisitors: true };

/** Whether the document sends scripts. Once scripts run, they stay for every later page. */
export function useSendsScripts(signedIn: boolean) {
  const matches = useMatches();
  if (signedIn || typeof document !== "undefined") return true;
  return !matches.some((match) => (match.handle as Partial<typeof readOnlyForVisitors> | undefined)?.readOnlyForVisitors);
}
