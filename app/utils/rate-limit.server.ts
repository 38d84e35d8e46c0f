/**
 * Rate limits, kept in the database (the `rate_limits` table) so a restart or a second server
 * does not hand an attacker a fresh allowance. Every window is fixed: it starts with the first
 * hit and ends `duration` later however hard someone keeps hammering, so nobody is ever locked
 * out for longer than one window. All limiters share the table; keys are "<keyPrefix>:<key>".
 */
import { json } from "@remix-run/node";
import { lt } from "drizzle-orm";
import { RateLimiterDrizzle, RateLimiterRes } from "rate-limiter-flexible";
import { currentTransaction, isUnavailable, transaction } from "../../db/client.ts";
import { rateLimits } from "../../db/schema.ts";
import { logEvent } from "./logger.server.ts";

const MINUTE = 60;
const HOUR = 60 * MINUTE;

/**
 * RATE_LIMIT_SCALE multiplies every allowance. For the e2e server and test suites, where every
 * sign-up comes from 127.0.0.1 and one member posts many times a minute; never set it in
 * production.
 */
function scale() {
  const value = Number(process.env.RATE_LIMIT_SCALE ?? 1);
  return Number.isFinite(value) && value >= 1 ? value : 1;
}

// The library is handed its client once; each call below runs inside a transaction of ours,
// so its statements take their turn with the forum's other writes.
const storeClient = {
  insert: (table: typeof rateLimits) => currentTransaction().insert(table),
  select: (...args: Parameters<ReturnType<typeof currentTransaction>["select"]>) => currentTransaction().select(...args),
  delete: (table: typeof rateLimits) => currentTransaction().delete(table),
};

type Limiter = RateLimiterDrizzle;

function limiter(keyPrefix: string, points: number, durationSeconds: number): Limiter {
  // Expired rows are swept by sweepRateLimits(), on our schedule and inside our transaction.
  return new RateLimiterDrizzle({
    storeClient,
    schema: rateLimits,
    keyPrefix,
    points: Math.round(points * scale()),
    duration: durationSeconds,
    clearExpiredByTimeout: false,
  });
}

/** Deletes windows that ended over an hour ago; returns how many. */
export async function sweepRateLimits(now = new Date()) {
  const gone = await transaction((tx) =>
    tx
      .delete(rateLimits)
      .where(lt(rateLimits.expire, new Date(now.getTime() - HOUR * 1000)))
      .returning({ key: rateLimits.key }),
  );
  return gone.length;
}

let sweeper: ReturnType<typeof setInterval> | undefined;
/** Started by the first limit taken, so a process that limits nothing runs no timer. */
function keepSweeping() {
  sweeper ??= setInterval(
    () => {
      sweepRateLimits().catch((error: unknown) => logEvent("rate_limit.sweep_failed", { error: String(error) }, "error"));
    },
    10 * MINUTE * 1000,
  ).unref();
}

export const limiters = {
  /** Failed logins per account (key: the lower-cased username or email typed). */
  loginByAccount: limiter("login-account", 10, 15 * MINUTE),
  /** Failed logins per client IP. */
  loginByIp: limiter("login-ip", 10, 15 * MINUTE),
  signupByIp: limiter("signup-ip", 5, HOUR),
  /** New threads and replies together, per member. */
  posts: limiter("posts", 10, 10 * MINUTE),
  /** The same, for accounts less than 24 hours old. */
  newMemberPosts: limiter("posts-new", 3, 10 * MINUTE),
  reports: limiter("reports", 20, HOUR),
  /** Private messages per member, with the posts' allowance and its tighter one for day-old accounts. */
  messages: limiter("messages", 10, 10 * MINUTE),
  newMemberMessages: limiter("messages-new", 3, 10 * MINUTE),
  /** New private conversations per member: each can reach nine people. */
  conversations: limiter("conversations", 5, HOUR),
  /** Requests for review of a suspension, per client IP (the sender has no session to key on). */
  appealsByIp: limiter("appeals-ip", 10, HOUR),
  /** "Forgot your password?" per address typed, so nobody's inbox can be flooded with links. */
  passwordResetByAddress: limiter("reset-address", 3, HOUR),
  /** The same per client IP, so one visitor cannot send links to many addresses. */
  passwordResetByIp: limiter("reset-ip", 10, HOUR),
  /** Links that confirm an email address (a change, or "send the link again"), per member. */
  emailLinks: limiter("email-link", 5, HOUR),
  /** Text kept for a logged-out writer until they log in (up to ~20 KB each), per client IP. */
  pendingTextByIp: limiter("pending-ip", 20, HOUR),
  /** Passkey challenges handed out to visitors (each a row until it is used or expires), per client IP. */
  passkeyChallengesByIp: limiter("passkey-ip", 30, 15 * MINUTE),
};

export type LimitResult = { ok: true } | { ok: false; retryAfterSeconds: number };

const OK: LimitResult = { ok: true };

function denied(res: RateLimiterRes): LimitResult {
  return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)) };
}

/** Takes `points` from the key's allowance; refuses once it is used up. */
export async function consume(limiter: Limiter, key: string | number, points = 1): Promise<LimitResult> {
  keepSweeping();
  try {
    // A refusal is an answer, not a failure: the transaction commits the points it counted.
    return await transaction(() =>
      limiter.consume(key, points).then(
        () => OK,
        (refusal: unknown) => (refusal instanceof RateLimiterRes ? denied(refusal) : Promise.reject(refusal)),
      ),
    );
  } catch (error) {
    // A database that cannot be written now would refuse what the limit guards as well: say so
    // at once (503, the text kept) rather than wait for it a second time.
    if (isUnavailable(error)) throw error;
    // Any other storage failure must not take the forum down with it: let the request through, loudly.
    logEvent("rate_limit.error", { limiter: limiter.keyPrefix, error: String(error) }, "error");
    return OK;
  }
}

/** Forgets the key's counter (e.g. the account's failed logins after a successful one). */
export async function reset(limiter: Limiter, key: string | number) {
  await transaction(() => limiter.delete(key));
}

/** Gives back points taken by `consume` (e.g. an attempt that turned out to be fine). */
export async function refund(limiter: Limiter, key: string | number, points = 1) {
  await transaction(async () => {
    const res = await limiter.get(key);
    if (res && res.consumedPoints > 0) await limiter.reward(key, Math.min(points, res.consumedPoints));
  });
}

function worst(results: LimitResult[]): LimitResult {
  let retryAfterSeconds = 0;
  for (const r of results) if (!r.ok) retryAfterSeconds = Math.max(retryAfterSeconds, r.retryAfterSeconds);
  return retryAfterSeconds ? { ok: false, retryAfterSeconds } : OK;
}

export const CLIENT_IP_HEADER = "X-Unclench-Client-IP";

/**
 * The client's IP, as server.ts found it (Express's req.ip, which honours TRUST_PROXY). server.ts
 * overwrites any incoming header of that name, so a client cannot choose its own key. Null when
 * the request did not come through server.ts (tests): per-IP limits are then skipped.
 */
export function clientIp(request: Request): string | null {
  return request.headers.get(CLIENT_IP_HEADER) || null;
}

// ---- Rules, so routes only call one function per decision ----

/**
 * Call before checking the password: every attempt is counted up front (so parallel guesses
 * cannot slip past the limit), and a successful one is handed back by `loginSucceeded`.
 */
export async function beginLoginAttempt(identifier: string, ip: string | null): Promise<LimitResult> {
  const results = [await consume(limiters.loginByAccount, identifier.trim().toLowerCase())];
  if (ip) results.push(await consume(limiters.loginByIp, ip));
  return worst(results);
}

/** Only failures count: the account's counter starts over and the IP gets its point back. */
export async function loginSucceeded(identifier: string, ip: string | null) {
  await reset(limiters.loginByAccount, identifier.trim().toLowerCase());
  if (ip) await refund(limiters.loginByIp, ip);
}

/**
 * A passkey login names no account, and a passkey cannot be guessed: only the IP's failed-login
 * allowance counts, up front like a password's; `passkeyLoginSucceeded` hands the point back.
 */
export async function beginPasskeyLogin(ip: string | null): Promise<LimitResult> {
  return ip ? consume(limiters.loginByIp, ip) : OK;
}

export async function passkeyLoginSucceeded(ip: string | null) {
  if (ip) await refund(limiters.loginByIp, ip);
}

/** A challenge for logging in with a passkey, asked for by someone not logged in. */
export async function limitPasskeyChallenge(ip: string | null): Promise<LimitResult> {
  return ip ? consume(limiters.passkeyChallengesByIp, ip) : OK;
}

/** One more email with a confirmation link, asked for by a member, so nobody's inbox can be flooded. */
export async function limitEmailLinks(userId: number): Promise<LimitResult> {
  return consume(limiters.emailLinks, userId);
}

/** A change refused (wrong password, address taken) sent no link: its point is given back. */
export async function emailLinkNotSent(userId: number) {
  await refund(limiters.emailLinks, userId);
}

export async function limitSignup(ip: string | null): Promise<LimitResult> {
  return ip ? consume(limiters.signupByIp, ip) : OK;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** One new thread or reply. Accounts under a day old get the tighter allowance. */
export async function limitPosting(author: { id: number; createdAt: Date }, now = new Date()): Promise<LimitResult> {
  const isNew = now.getTime() - author.createdAt.getTime() < DAY_MS;
  return consume(isNew ? limiters.newMemberPosts : limiters.posts, author.id);
}

export async function limitReport(userId: number): Promise<LimitResult> {
  return consume(limiters.reports, userId);
}

export async function limitAppeal(ip: string | null): Promise<LimitResult> {
  return ip ? consume(limiters.appealsByIp, ip) : OK;
}

export async function limitPendingText(ip: string | null): Promise<LimitResult> {
  return ip ? consume(limiters.pendingTextByIp, ip) : OK;
}

/**
 * One "Forgot your password?" request. Counted whether or not an account uses the address, so a
 * refusal says nothing about who is a member.
 */
export async function limitPasswordReset(email: string, ip: string | null): Promise<LimitResult> {
  const results = [await consume(limiters.passwordResetByAddress, email.trim().toLowerCase())];
  if (ip) results.push(await consume(limiters.passwordResetByIp, ip));
  return worst(results);
}

export function retryMessage(retryAfterSeconds: number, what = "That was a lot of tries in a short time.") {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  const when = minutes <= 1 ? "in a minute" : `in ${minutes} minutes`;
  return `${what} Please try again ${when}.`;
}

/**
 * Every 429 is made here, so none goes out without Retry-After (seconds). A form sent without
 * JavaScript gets it too: entry.server.tsx carries it from the action to the page.
 */
export function rateLimited<D>(retryAfterSeconds: number, data: D) {
  return json(data, { status: 429, headers: { "Retry-After": String(retryAfterSeconds) } });
}

/**
 * The 429 an action returns: the same { values, errors } shape as a validation failure, so the
 * form re-renders with the member's text and the message at the top.
 */
export function tooManyRequests<V extends Record<string, unknown>>(retryAfterSeconds: number, values: V, what?: string) {
  return rateLimited(retryAfterSeconds, { values, errors: { form: retryMessage(retryAfterSeconds, what) } as Record<string, string> });
}
