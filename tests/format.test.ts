import { describe, expect, it } from "vitest";
import { formatDateTime, plural } from "~/utils/format.ts";

describe("formatDateTime", () => {
  const instant = new Date("2026-11-21T21:40:00Z");

  it("says UTC when no zone is given", () => {
    expect(formatDateTime(instant)).toBe("21 Nov 2026, 21:40 UTC");
  });

  it("shows the member's own zone, named, including the date change", () => {
    expect(formatDateTime(instant, "Asia/Kolkata")).toBe("22 Nov 2026, 03:10 GMT+5:30");
  });

  it("falls back to UTC for a zone it does not know, rather than failing the page", () => {
    expect(formatDateTime(instant, "Mars/Olympus_Mons")).toBe("21 Nov 2026, 21:40 UTC");
  });
});

describe("formatDateTime in UTC, written without Intl", () => {
  const intl = new Intl.DateTimeFormat("en-GB", {
    day: "numeric",
    month: "short",
    year: "numeric",
    hour: "2-digit",
    minute: "2-digit",
    timeZone: "UTC",
    timeZoneName: "short",
  });

  it("says exactly what Intl says, across every month, day, hour and minute", () => {
    // Deterministic steps of 1 day, 1 hour and 7 minutes (plus some seconds) from 2000 to 2040.
    const start = Date.UTC(2000, 0, 1);
    for (let at = start, i = 0; at < Date.UTC(2040, 0, 1); at += 90_420_000 + (i % 59) * 1000, i++) {
      const date = new Date(at);
      expect(formatDateTime(date)).toBe(intl.format(date));
    }
  });

  it("writes September as en-GB does, and pads hours and minutes", () => {
    expect(formatDateTime(new Date("2026-09-03T04:05:00Z"))).toBe("3 Sept 2026, 04:05 UTC");
  });
});

describe("plural", () => {
  it("counts in words, with thousands separated", () => {
    expect(plural(1, "reply", "replies")).toBe("1 reply");
    expect(plural(0, "reply", "replies")).toBe("0 replies");
    expect(plural(999, "post")).toBe("999 posts");
    expect(plural(12345, "post")).toBe("12,345 posts");
  });
});
