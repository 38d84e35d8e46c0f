/**
 * "Firefox on Linux" from a User-Agent header, for the settings page's list of sessions.
 * A member only needs to tell their own devices apart, so a short table of the common
 * browsers and systems does; anything else is "Unknown browser" / left out. (The parser
 * libraries on npm carry thousands of patterns for far finer answers than this needs.)
 *
 * Order matters in both tables: Edge, Opera and Samsung Internet also say "Chrome", Chrome
 * also says "Safari", iPhones say "like Mac OS X" and Android says "Linux".
 */
const browsers: [RegExp, string][] = [
  [/\bEdg(?:e|A|iOS)?\//, "Edge"],
  [/\bOPR\/|\bOPiOS\/|\bOpera\b/, "Opera"],
  [/\bSamsungBrowser\//, "Samsung Internet"],
  [/\bVivaldi\//, "Vivaldi"],
  [/\bYaBrowser\//, "Yandex Browser"],
  [/\bFirefox\/|\bFxiOS\//, "Firefox"],
  [/\b(?:Headless)?Chrome\/|\bCriOS\/|\bChromium\//, "Chrome"],
  [/\bVersion\/[\d.]+.*\bSafari\/|\bAppleWebKit\/.*\bMobile\/\w+$/, "Safari"],
  [/\bMSIE |\bTrident\//, "Internet Explorer"],
];

const systems: [RegExp, string][] = [
  [/\biPhone\b/, "iPhone"],
  [/\biPad\b/, "iPad"],
  [/\biPod\b/, "iPod"],
  [/\bAndroid\b/, "Android"],
  [/\bCrOS\b/, "ChromeOS"],
  [/\bWindows\b/, "Windows"],
  [/\bMac OS X\b|\bMacintosh\b/, "macOS"],
  [/\bLinux\b|\bX11\b/, "Linux"],
];

function find(table: [RegExp, string][], userAgent: string) {
  return table.find(([pattern]) => pattern.test(userAgent))?.[1] ?? null;
}

export function describeUserAgent(userAgent: string | null | undefined): string {
  const browser = userAgent ? find(browsers, userAgent) : null;
  const system = userAgent ? find(systems, userAgent) : null;
  return `${browser ?? "Unknown browser"}${system ? ` on ${system}` : ""}`;
}
