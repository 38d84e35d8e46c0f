import { AsyncLocalStorage } from "node:async_hooks";
import { randomBytes } from "node:crypto";
import { redirect } from "@remix-run/node";
import { parse as parseCookies } from "cookie";
import { and, eq, isNull, lt, ne, or } from "drizzle-orm";
import { Lucia, TimeSpan, type Session, type User } from "lucia";
import { bestEffort, transaction, type Tx } from "../../db/client.ts";
import { sessions, type Role } from "../../db/schema.ts";
import { forbidden } from "./http.server.ts";
import { sessionStore } from "./session-store.server.ts";
import { isStaff } from "./permissions.ts";

// The only module that imports lucia, so it can be swapped without touching routes or models.
export const lucia = new Lucia(sessionStore, {
  sessionExpiresIn: new TimeSpan(30, "d"),
  sessionCookie: {
    name: "unclench_session",
    attributes: { secure: secureCookies(), sameSite: "lax" },
  },
  getSessionAttributes: (attributes) => ({
    publicId: attributes.publicId,
    userAgent: attributes.userAgent,
    createdAt: attributes.createdAt,
    lastSeenAt: attributes.lastSeenAt,
  }),
  getUserAttributes: (attributes) => ({
    username: attributes.username,
    role: attributes.role,
    silencedUntil: restriction(attributes.silencedAt, attributes.silencedUntil),
    suspendedUntil: restriction(attributes.suspendedAt, attributes.suspendedUntil),
  }),
});

declare module "lucia" {
  interface Register {
    Lucia: typeof lucia;
    UserId: number;
    DatabaseSessionAttributes: {
      publicId: string;
      userAgent: string | null;
      createdAt: Date | null;
      lastSeenAt: Date | null;
    };
    DatabaseUserAttributes: {
      username: string;
      role: Role;
      silencedAt: Date | null;
      silencedUntil: Date | null;
      suspendedAt: Date | null;
      suspendedUntil: Date | null;
    };
  }
}

export type SessionUser = User;

/**
 * A restriction in force: its end (a Date), "permanent", or null when there is none or it has
 * lapsed — restrictions lift at expiry by themselves, with no job to run.
 */
export function restriction(startedAt: Date | number | null, until: Date | number | null): Date | "permanent" | null {
  if (!startedAt) return null;
  if (until === null) return "permanent";
  const end = new Date(until);
  return end.getTime() > Date.now() ? end : null;
}

export function secureCookies() {
  const flag = process.env.SECURE_COOKIES;
  if (flag === "true" || flag === "false") return flag === "true";
  return process.env.NODE_ENV === "production";
}

type Validation = ReturnType<typeof lucia.validateSession>;

// A request validates its session once, like a memoised current user: the middleware, the root
// loader and the route's loader or action would otherwise each run the same query (about a
// fifth of a millisecond each). What a request sees is the session as it was when the request
// began; ending a session (below) forgets it, so a logout is seen at once.
const validations = new AsyncLocalStorage<Map<string, Validation>>();

/** Runs one request's handling with its own memo of validated sessions. */
export function withSessionMemo<T>(handle: () => T): T {
  return validations.run(new Map(), handle);
}

function validate(sessionId: string): Validation {
  const memo = validations.getStore();
  if (!memo) return lucia.validateSession(sessionId);
  let validation = memo.get(sessionId);
  if (!validation) memo.set(sessionId, (validation = lucia.validateSession(sessionId)));
  return validation;
}

/** After a session may have ended, this request validates again. */
function forgetValidations() {
  validations.getStore()?.clear();
}

/**
 * The session id from a Cookie header. lucia's own reader throws on any cookie it cannot
 * percent-decode (a stray `_ga=%` from another site's script), which would fail every page.
 */
function readSessionId(header: string | null | undefined) {
  if (!header) return null;
  return parseCookies(header)[lucia.sessionCookieName] || null;
}

export async function getSession(request: Request): Promise<{ user: User; session: Session } | null> {
  const sessionId = readSessionId(request.headers.get("Cookie"));
  if (!sessionId) return null;
  const { user, session } = await validate(sessionId);
  if (!user || !session) return null;
  // Suspension ends sessions at once; this also covers a session that raced with it.
  if (user.suspendedUntil) return null;
  return { user, session };
}

export async function getUser(request: Request) {
  return (await getSession(request))?.user ?? null;
}

/** Visitors are sent to log in and brought back to where they were. */
export async function requireUser(request: Request, redirectTo?: string) {
  const user = await getUser(request);
  if (!user) {
    const url = new URL(request.url);
    const back = redirectTo ?? url.pathname + url.search;
    throw redirect(`/login?${new URLSearchParams({ redirectTo: back })}`);
  }
  return user;
}

/** Enough for any real browser's User-Agent; the rest is dropped rather than stored. */
export const USER_AGENT_MAX = 512;

/**
 * A new session id on every login; returns the Set-Cookie header value. `request` is the
 * sign-in request: its User-Agent is kept so the member can tell their sessions apart.
 */
export async function startSession(userId: number, request: Request) {
  const now = new Date();
  const userAgent = request.headers.get("User-Agent")?.slice(0, USER_AGENT_MAX) || null;
  const session = await lucia.createSession(userId, {
    publicId: randomBytes(16).toString("hex"),
    userAgent,
    createdAt: now,
    lastSeenAt: now,
  });
  return lucia.createSessionCookie(session.id).serialize();
}

/** Moderators and admins only; a member gets a 403, a visitor is sent to log in. */
export async function requireStaff(request: Request) {
  const user = await requireUser(request);
  if (!isStaff(user)) forbidden("This page is for moderators.");
  return user;
}

export async function endSession(request: Request) {
  const current = await getSession(request);
  if (current) await lucia.invalidateSession(current.session.id);
  forgetValidations();
  return lucia.createBlankSessionCookie().serialize();
}

export async function endAllSessions(userId: number) {
  await lucia.invalidateUserSessions(userId);
  forgetValidations();
}

/** Ends every session of a member inside the caller's transaction (suspension, deletion). */
export async function endAllSessionsIn(tx: Tx, userId: number) {
  await tx.delete(sessions).where(eq(sessions.userId, userId));
  forgetValidations();
}

/**
 * Lucia extends a session in the database once half its life has passed; this hands the
 * browser a matching cookie. Called by server.ts once per request, before Remix runs.
 */
export async function refreshedSessionCookie(cookieHeader: string | undefined) {
  const sessionId = readSessionId(cookieHeader);
  if (!sessionId) return null;
  const { session } = await validate(sessionId);
  if (!session) return lucia.createBlankSessionCookie().serialize();
  await touchSession(session);
  if (session.fresh) return lucia.createSessionCookie(session.id).serialize();
  return null;
}

/** The signed-in user and their current session; visitors are sent to log in, as requireUser. */
export async function requireSession(request: Request) {
  const current = await getSession(request);
  if (!current) await requireUser(request);
  return current!;
}

/**
 * "Last active" is only as fine as this. Recording every request would turn every page view
 * (most of them plain reads) into a write on the one SQLite writer; a member looking for a
 * session they don't recognise only needs to know roughly when it was used.
 */
export const LAST_SEEN_GRANULARITY_MS = 10 * 60 * 1000;

/**
 * Records that a session was used, at most once per LAST_SEEN_GRANULARITY_MS. The WHERE repeats
 * the check, so workers racing on the same session write once between them.
 */
async function touchSession(session: Pick<Session, "id" | "lastSeenAt">, now = new Date()) {
  const stale = new Date(now.getTime() - LAST_SEEN_GRANULARITY_MS);
  if (session.lastSeenAt && session.lastSeenAt > stale) return;
  await bestEffort((tx) =>
    tx
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(and(eq(sessions.id, session.id), or(isNull(sessions.lastSeenAt), lt(sessions.lastSeenAt, stale)))),
  );
}

/** The member's live sessions. Session ids are secrets: callers must never send them to a page. */
export async function listUserSessions(userId: number) {
  const all = await lucia.getUserSessions(userId);
  return all.map((s) => ({
    id: s.id,
    publicId: s.publicId,
    userAgent: s.userAgent,
    createdAt: s.createdAt,
    lastSeenAt: s.lastSeenAt,
    expiresAt: s.expiresAt,
  }));
}

/**
 * Ends one of the member's sessions, named by its public id; never `keepSessionId` (the one
 * making the request: logging out here is the header's Log out). Scoped to `userId`, so
 * another member's public id ends nothing. Returns whether a session ended.
 */
export async function endUserSession(userId: number, publicId: string, keepSessionId: string) {
  const ended = await transaction((tx) =>
    tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), eq(sessions.publicId, publicId), ne(sessions.id, keepSessionId)))
      .returning({ id: sessions.id }),
  );
  forgetValidations();
  return ended.length > 0;
}

/** Ends every session of the member except `keepSessionId` (the one making the request). */
export async function endOtherSessions(userId: number, keepSessionId: string) {
  await transaction((tx) => endOtherSessionsIn(tx, userId, keepSessionId));
}

/** The same inside the caller's transaction, so the change that calls for it commits with it (a passkey removed). */
export async function endOtherSessionsIn(tx: Tx, userId: number, keepSessionId: string) {
  await tx.delete(sessions).where(and(eq(sessions.userId, userId), ne(sessions.id, keepSessionId)));
  forgetValidations();
}
