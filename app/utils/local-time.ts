import { formatDateTime } from "./format.ts";

/**
 * Marks an element whose aria-label repeats a time shown on the page (a post's permalink in
 * post-item.tsx), carrying that time as ISO, so the label is rewritten along with the <time>.
 */
const LABEL_TIME = "data-label-time";

/**
 * `shown` with the UTC time `dateTime` stands for written in `timeZone` instead, exactly as
 * formatDateTime writes it; null where there is nothing to change: text that does not hold that
 * UTC time (a date alone, as on a profile), a zone that reads the same as UTC, or odd input.
 */
export function localTimeText(dateTime: string | null, shown: string | null, timeZone: string): string | null {
  try {
    const date = new Date(dateTime ?? "");
    if (!shown || Number.isNaN(date.getTime())) return null;
    const utc = formatDateTime(date, "UTC");
    const local = formatDateTime(date, timeZone);
    return local !== utc && shown.includes(utc) ? shown.replace(utc, local) : null;
  } catch {
    return null;
  }
}

/**
 * Rewrites every time a page rendered in UTC, and every label that repeats one, into `timeZone`.
 * Run by the static script a visitor's read-only page loads (app/entry.local-time.ts, decision 027).
 */
export function showLocalTimes(root: ParentNode, timeZone: string) {
  for (const time of root.querySelectorAll("time[datetime]")) {
    const text = localTimeText(time.getAttribute("datetime"), time.textContent, timeZone);
    if (text !== null) time.textContent = text;
  }
  for (const element of root.querySelectorAll(`[${LABEL_TIME}]`)) {
    const label = localTimeText(element.getAttribute(LABEL_TIME), element.getAttribute("aria-label"), timeZone);
    if (label !== null) element.setAttribute("aria-label", label);
  }
}
