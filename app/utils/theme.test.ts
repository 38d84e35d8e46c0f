import { describe, expect, it } from "vitest";
import { resolveTheme } from "./theme.ts";

describe("automatic night theme", () => {
  const at = (iso: string) => new Date(iso);

  it("is night from 22:00 to 06:00 in the member's own time zone", () => {
    // London is on GMT in November, so 21:30 UTC is 21:30 there: not yet night.
    expect(resolveTheme("auto-night", "Europe/London", at("2026-11-21T21:30:00Z"))).toBe("system");
    expect(resolveTheme("auto-night", "Europe/London", at("2026-11-21T22:00:00Z"))).toBe("night");
    expect(resolveTheme("auto-night", "Europe/London", at("2026-11-22T05:59:00Z"))).toBe("night");
    expect(resolveTheme("auto-night", "Europe/London", at("2026-11-22T06:00:00Z"))).toBe("system");
    // 04:00 UTC is 22:00 the evening before in Chicago.
    expect(resolveTheme("auto-night", "America/Chicago", at("2026-11-22T04:00:00Z"))).toBe("night");
    expect(resolveTheme("auto-night", "America/Chicago", at("2026-11-21T22:30:00Z"))).toBe("system");
  });

  it("falls back to UTC for an unknown or missing zone, and leaves other choices alone", () => {
    expect(resolveTheme("auto-night", null, at("2026-11-21T23:00:00Z"))).toBe("night");
    expect(resolveTheme("auto-night", "Not/AZone", at("2026-11-21T12:00:00Z"))).toBe("system");
    expect(resolveTheme("night", "Europe/London", at("2026-11-21T12:00:00Z"))).toBe("night");
    expect(resolveTheme("dark", null, at("2026-11-21T23:00:00Z"))).toBe("dark");
  });
});
