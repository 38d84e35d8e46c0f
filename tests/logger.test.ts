import { afterEach, describe, expect, it } from "vitest";
import { createLogger, logEvent, logger, setLoggerForTests } from "~/utils/logger.server.ts";

function capture() {
  const lines: string[] = [];
  process.env.LOG_LEVEL = "info";
  setLoggerForTests(createLogger({ write: (line: string) => void lines.push(line) }));
  return () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);
}

const original = logger;
afterEach(() => {
  delete process.env.LOG_LEVEL;
  setLoggerForTests(original);
});

describe("logEvent", () => {
  it("writes one JSON object per event with its name and fields", () => {
    const read = capture();
    logEvent("login.success", { userId: 12, ip: "203.0.113.7" });
    const [entry] = read();
    expect(entry).toMatchObject({ event: "login.success", userId: 12, ip: "203.0.113.7", level: 30, service: "unclench" });
    expect(typeof entry!.time).toBe("string");
  });

  it("never writes a password, session id, cookie or email", () => {
    const read = capture();
    logEvent("login.failure", {
      userId: 3,
      password: "calf cramps at 3am",
      sessionId: "abc123sessionid",
      cookie: "unclench_session=abc123sessionid",
      email: "owl@example.org",
      identifier: "owl@example.org",
      request: { password: "calf cramps at 3am", email: "owl@example.org" },
      note: "tried to log in as owl@example.org",
    });
    const text = JSON.stringify(read());
    for (const secret of ["calf cramps at 3am", "abc123sessionid", "owl@example.org"]) expect(text).not.toContain(secret);
    expect(read()[0]).toMatchObject({ userId: 3, note: "tried to log in as [email]" });
  });

  it("is silent under vitest unless LOG_LEVEL is set", () => {
    expect(createLogger().level).toBe("silent");
  });
});
