import { describe, expect, it } from "vitest";
import { formatDateTime } from "~/utils/format.ts";

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
