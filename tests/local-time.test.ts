import { readdirSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import * as thread from "~/routes/threads.$threadId.tsx";
import { formatDateTime } from "~/utils/format.ts";
import { localTimeText, showLocalTimes } from "~/utils/local-time.ts";
import { remixHandler } from "./document.ts";
import { createThread, member } from "./helpers.ts";

// A visitor's read-only page loads one static script that rewrites its UTC times into the
// browser's zone (docs/decisions/027). What it writes must be what formatDateTime writes for a
// member in that zone.

const instant = new Date("2026-11-21T21:40:00.000Z");
const iso = instant.toISOString();
const utc = "21 Nov 2026, 21:40 UTC";

describe("localTimeText", () => {
  it("writes a UTC time in the zone exactly as formatDateTime does, date change and summer time included", () => {
    expect(localTimeText(iso, utc, "America/Chicago")).toBe(formatDateTime(instant, "America/Chicago"));
    expect(localTimeText(iso, utc, "Asia/Kolkata")).toBe("22 Nov 2026, 03:10 GMT+5:30");
    const summer = new Date("2026-07-01T00:05:00Z");
    for (const zone of ["Europe/London", "America/Chicago", "Australia/Sydney", "Pacific/Chatham", "America/St_Johns"]) {
      expect(localTimeText(summer.toISOString(), formatDateTime(summer), zone)).toBe(formatDateTime(summer, zone));
    }
  });

  it("rewrites only the time inside a label that repeats it", () => {
    expect(localTimeText(iso, `Post 3, written ${utc}`, "Asia/Kolkata")).toBe("Post 3, written 22 Nov 2026, 03:10 GMT+5:30");
  });

  it("leaves text alone where the zone reads as UTC, or is unknown", () => {
    expect(localTimeText(iso, utc, "UTC")).toBeNull();
    expect(localTimeText(iso, utc, "Etc/UTC")).toBeNull();
    expect(localTimeText(iso, utc, "Mars/Olympus_Mons")).toBeNull();
    expect(localTimeText(iso, utc, "")).toBeNull();
  });

  it("leaves text that is not this time in UTC: a date alone, another instant, a time already local", () => {
    expect(localTimeText(iso, "Nov 2026", "Asia/Kolkata")).toBeNull();
    expect(localTimeText("2026-11-21T21:41:00.000Z", utc, "Asia/Kolkata")).toBeNull();
    expect(localTimeText(iso, "22 Nov 2026, 03:10 GMT+5:30", "Asia/Kolkata")).toBeNull();
  });

  it("never throws on odd input", () => {
    for (const dateTime of [null, "", "yesterday", "2026-13-45", "9".repeat(400), "+275760-09-13T00:00:00.000Z", "\u0000"]) {
      for (const shown of [null, "", utc, "\u{1F600}".repeat(100)]) {
        expect(() => localTimeText(dateTime, shown, "Asia/Kolkata")).not.toThrow();
      }
    }
    expect(localTimeText("yesterday", utc, "Asia/Kolkata")).toBeNull();
    expect(localTimeText(iso, null, "Asia/Kolkata")).toBeNull();
    // A year past 9999 is written by Intl in both zones; still no throw, and still consistent.
    const far = new Date(Date.UTC(12026, 0, 1));
    expect(localTimeText(far.toISOString(), formatDateTime(far), "Asia/Kolkata")).toBe(formatDateTime(far, "Asia/Kolkata"));
  });
});

/** Just enough of an element for showLocalTimes: attributes and text. */
function element(attributes: Record<string, string>, textContent: string | null = null) {
  return {
    attributes: { ...attributes },
    textContent,
    getAttribute(name: string) {
      return this.attributes[name] ?? null;
    },
    setAttribute(name: string, value: string) {
      this.attributes[name] = value;
    },
  };
}

describe("showLocalTimes", () => {
  it("rewrites each <time> shown in UTC and each marked label, and nothing else", () => {
    const time = element({ datetime: iso }, utc);
    const joined = element({ datetime: iso }, "Nov 2026");
    const broken = element({ datetime: "not a date" }, utc);
    const permalink = element({ "data-label-time": iso, "aria-label": `Post 1, written ${utc}` });
    const unlabelled = element({ "data-label-time": iso });
    const root = {
      querySelectorAll: (selector: string) =>
        selector === "time[datetime]" ? [time, joined, broken] : selector === "[data-label-time]" ? [permalink, unlabelled] : [],
    } as unknown as ParentNode;

    showLocalTimes(root, "Asia/Kolkata");
    expect(time.textContent).toBe("22 Nov 2026, 03:10 GMT+5:30");
    expect(permalink.getAttribute("aria-label")).toBe("Post 1, written 22 Nov 2026, 03:10 GMT+5:30");
    expect(joined.textContent).toBe("Nov 2026");
    expect(broken.textContent).toBe(utc);
    expect(unlabelled.getAttribute("aria-label")).toBeNull();
  });
});

describe("the script in the build", () => {
  const files = readdirSync("public/build").filter((name) => name.startsWith("local-time-"));

  it("is one small file named by its content's hash, with its compressed copies", () => {
    const [script] = files.filter((name) => name.endsWith(".js"));
    expect(script).toMatch(/^local-time-[A-Z0-9]{8}\.js$/);
    expect(statSync(`public/build/${script}`).size).toBeLessThan(1500);
    expect(files.sort()).toEqual([script, `${script}.br`, `${script}.gz`]);
  });

  const send = remixHandler({ "routes/threads.$threadId": { path: "threads/:threadId", module: thread } });

  it("is loaded by a visitor's thread page, which marks its permalinks' labels; a member's page has neither", async () => {
    const author = await member();
    const { threadId } = await createThread(author, "night-leg-cramps", { title: "Cramps at dawn again", body: "Calf stretches help." });
    const script = files.find((name) => name.endsWith(".js"));

    const visitor = (await send(`/threads/${threadId}`)).text;
    expect(visitor).toContain(`<script src="/build/${script}" defer=""></script>`);
    expect(visitor).toMatch(/<a href="[^"]+" class="permalink" aria-label="Post 1, written [^"]+ UTC" data-label-time="[^"]+Z"><time/);

    const own = (await send(`/threads/${threadId}`, { cookie: author.cookie })).text;
    expect(own).not.toContain("local-time-");
    expect(own).not.toContain("data-label-time");
  });
});
