import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { redirect } from "@remix-run/node";
import { eq } from "drizzle-orm";
import { Lucia, TimeSpan, type Session, type User } from "lucia";
import { db } from "../../db/client.ts";
import { sessions, users, type Role } from "../../db/schema.ts";
import { forbidden } from "./http.server.ts";
import { isStaff } from "./permissions.ts";

// The only module that imports lucia, so it can be swapped without touching routes or models.
const adapter = new DrizzleSQLiteAdapter(db, sessions, users);

export const lucia = new Lucia(adapter, {
  sessionExpiresIn: new TimeSpan(30, "d"),
  sessionCookie: {
    name: "unclench_session",
    attributes: { secure: secureCookies(), sameSite: "lax" },
  },
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

function secureCookies() {
  const flag = process.env.SECURE_COOKIES;
  if (flag === "true" || flag === "false") return flag === "true";
  return process.env.NODE_ENV === "production";
}

export async function getSession(request: Request): Promise<{ user: User; session: Session } | null> {
  const sessionId = lucia.readSessionCookie(request.headers.get("Cookie") ?? "");
  if (!sessionId) return null;
  const { user, session } = await lucia.validateSession(sessionId);
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

/** A new session id on every login; returns the Set-Cookie header value. */
export async function startSession(userId: number) {
  const session = await lucia.createSession(userId, {});
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
  return lucia.createBlankSessionCookie().serialize();
}

export async function endAllSessions(userId: number) {
  await lucia.invalidateUserSessions(userId);
}

/** Ends every session of a member inside the caller's transaction (suspension, deletion). */
export function endAllSessionsIn(tx: Pick<typeof db, "delete">, userId: number) {
  tx.delete(sessions).where(eq(sessions.userId, userId)).run();
}

/**
 * Lucia extends a session in the database once half its life has passed; this hands the
 * browser a matching cookie. Called by server.ts once per request, before Remix runs.
 */
export async function refreshedSessionCookie(cookieHeader: string | undefined) {
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return null;
  const { session } = await lucia.validateSession(sessionId);
  if (!session) return lucia.createBlankSessionCookie().serialize();
  if (session.fresh) return lucia.createSessionCookie(session.id).serialize();
  return null;
}

/** The signed-in user and their current session; visitors are sent to log in, as requireUser. */
export async function requireSession(request: Request) {
  const current = await getSession(request);
  if (!current) await requireUser(request);
  return current!;
}

/** The member's live sessions. Session ids are secrets: callers must never send them to a page. */
export async function listUserSessions(userId: number) {
  const all = await lucia.getUserSessions(userId);
  return all.map((s) => ({ id: s.id, expiresAt: s.expiresAt }));
}

/** Ends every session of the member except `keepSessionId` (the one making the request). */
export async function endOtherSessions(userId: number, keepSessionId: string) {
  const all = await lucia.getUserSessions(userId);
  await Promise.all(all.filter((s) => s.id !== keepSessionId).map((s) => lucia.invalidateSession(s.id)));
}
