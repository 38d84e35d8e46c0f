/**
 * Structured JSON logs (one object per line on stdout) for security-relevant events: logins,
 * logouts, permission denials, moderator actions, rate limits.
 *
 * Never logged: passwords, session ids, cookies, emails. Two layers keep them out: pino's
 * `redact` removes those keys (top level and one level down), and `logEvent` replaces anything
 * that looks like an email address inside string values (a login identifier can be an email).
 * Log user ids, not names or addresses.
 */
import pino, { type DestinationStream, type Level } from "pino";

const SECRET_KEYS = [
  "password",
  "newPassword",
  "currentPassword",
  "passwordHash",
  "sessionId",
  "session",
  "cookie",
  "Cookie",
  "authorization",
  "email",
  "identifier",
  "token",
];

const LOGGED_MAX = 1000;
const EMAIL = /[^\s@"'<>()]+@[^\s@"'<>()]+\.[^\s@"'<>()]+/g;

function defaultLevel() {
  if (process.env.LOG_LEVEL) return process.env.LOG_LEVEL;
  // Tests assert on what users see, not on log lines; keep their output readable.
  return process.env.VITEST ? "silent" : "info";
}

export function createLogger(destination?: DestinationStream) {
  const options: pino.LoggerOptions = {
    level: defaultLevel(),
    base: { service: "unclench" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: [...SECRET_KEYS, ...SECRET_KEYS.map((k) => `*.${k}`)], remove: true },
  };
  return destination ? pino(options, destination) : pino(options);
}

export let logger = createLogger();

/** For tests: send log lines somewhere they can be read. */
export function setLoggerForTests(next: pino.Logger) {
  logger = next;
}

function scrub(value: unknown): unknown {
  // Cut first: EMAIL is quadratic on a long run without "@", and no log field needs more.
  if (typeof value === "string") return value.slice(0, LOGGED_MAX).replace(EMAIL, "[email]");
  if (value instanceof Error) return scrub(value.message);
  return value;
}

/**
 * One event, e.g. logEvent("login.failure", { userId, ip }). Field values are logged as given
 * apart from the scrubbing above; nested objects pass through pino's redaction only.
 */
export function logEvent(event: string, fields: Record<string, unknown> = {}, level: Level = "info") {
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) clean[key] = scrub(value);
  logger[level]({ ...clean, event });
}
