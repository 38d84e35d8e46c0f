const parts = { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" } as const;
const formats = new Map<string, Intl.DateTimeFormat>();

function formatIn(timeZone: string) {
  let format = formats.get(timeZone);
  if (!format) {
    // A member's zone is checked when they save it; one a browser doesn't know falls back to UTC.
    try {
      format = new Intl.DateTimeFormat("en-GB", { ...parts, timeZone, timeZoneName: "short" });
    } catch {
      return formatIn("UTC");
    }
    formats.set(timeZone, format);
  }
  return format;
}

/**
 * "21 Nov 2026, 12:25 UTC", or in a member's own time zone "21 Nov 2026, 06:25 GMT-6". The
 * server and the browser are given the same zone (the root loader's), so they render alike.
 */
export function formatDateTime(date: Date, timeZone = "UTC") {
  const time = date.getTime();
  if (time === last.time && timeZone === last.timeZone) return last.text;
  const year = date.getUTCFullYear();
  const text = timeZone === "UTC" && year >= 1000 && year <= 9999 ? formatUtc(date, year) : formatIn(timeZone).format(date);
  last = { time, timeZone, text };
  return text;
}
// A post's time is written twice in a row (its link's label, then its <time>); Intl's formatting
// was a few percent of a thread page, so the last result is kept.
let last = { time: NaN, timeZone: "", text: "" };

// Intl's en-GB words for UTC, written out: what every visitor and most members see. Intl was a
// noticeable part of a board page, and the browser's own Intl may name a month differently
// ("Sep"), which would not match the server's text when the page hydrates. tests/format.test.ts checks this against Intl.
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec"];
const twoDigits = (n: number) => (n < 10 ? `0${n}` : `${n}`);
function formatUtc(date: Date, year: number) {
  return `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${year}, ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())} UTC`;
}

export function plural(count: number, one: string, many = `${one}s`) {
  // toLocaleString only adds the thousands' commas, at a microsecond a call.
  return `${count < 1000 && count > -1000 ? count : count.toLocaleString("en")} ${count === 1 ? one : many}`;
}
