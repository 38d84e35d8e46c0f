import { DrizzleSQLiteAdapter } from "@lucia-auth/adapter-drizzle";
import { redirect } from "@remix-run/node";
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
