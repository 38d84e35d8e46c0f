export type ThemePreference = "system" | "light" | "dark" | "night" | "auto-night";

/**
 * "auto-night" turns on the warm night theme between 22:00 and 06:00 in the member's own time
 * zone (UTC when we don't know it), and follows the system the rest of the day. Resolved on the
 * server so the page arrives in the right colours, with or without JavaScript.
 */
export function resolveTheme(preference: ThemePreference, timeZone: string | null | undefined, now = new Date()) {
  if (preference !== "auto-night") return preference;
  let hour: number;
  try {
    hour = Number(new Intl.DateTimeFormat("en-GB", { hour: "numeric", hourCycle: "h23", timeZone: timeZone || "UTC" }).format(now));
  } catch {
    hour = now.getUTCHours();
  }
  return hour >= 22 || hour < 6 ? "night" : "system";
}
