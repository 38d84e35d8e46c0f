/** Moderators' actions on a member (suspend, silence, lift), admins' role changes, and the member views staff get. */
import { and, asc, eq, isNull, sql } from "drizzle-orm";
import { db, transaction, type Tx } from "../../db/client.ts";
import { users, type Role } from "../../db/schema.ts";
import { endAllSessionsIn } from "../utils/auth.server.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { canChangeRole, canModerate, type Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { assertStaff, moderate, resolveReports, type Staff } from "./moderation.server.ts";

export const restrictionDurations = {
  "1d": { label: "1 day", days: 1 },
  "3d": { label: "3 days", days: 3 },
  "7d": { label: "1 week", days: 7 },
  "14d": { label: "2 weeks", days: 14 },
  "30d": { label: "30 days", days: 30 },
  "90d": { label: "90 days", days: 90 },
  "365d": { label: "1 year", days: 365 },
  permanent: { label: "Permanently", days: null },
} as const;
export type RestrictionDuration = keyof typeof restrictionDurations;

async function memberForModeration(tx: Tx, actor: Staff, userId: number) {
  const [subject] = await tx.select({ id: users.id, role: users.role, username: users.username }).from(users).where(eq(users.id, userId)).limit(1);
  if (!subject) notFound("There is no such member.");
  if (!canModerate(actor, subject)) {
    forbidden(actor.id === subject.id ? "You can't restrict your own account." : "Moderators can't restrict admins or other moderators.");
  }
  return subject;
}

function endOf(duration: RestrictionDuration) {
  const days = restrictionDurations[duration].days;
  return days === null ? null : new Date(Date.now() + days * 86_400_000);
}

/** A restriction's log entry: the moderator's reason, and for how long. */
async function logRestriction(tx: Tx, staff: Staff, userId: number, action: "suspend" | "silence", input: { duration: RestrictionDuration; reason: string }) {
  await logModeratorAction(tx, {
    actorId: staff.id,
    action,
    targetType: "user",
    targetId: userId,
    subjectUserId: userId,
    reason: `${input.reason} (${restrictionDurations[input.duration].label.toLowerCase()})`,
  });
}

/** Suspension: every session ends at once, and logging in shows only the notice. */
export async function suspendMember(actor: Actor, userId: number, input: { duration: RestrictionDuration; reason: string; fromReportPostId?: number }) {
  return moderate(actor, memberForModeration, userId, async (tx, subject, staff) => {
    const until = endOf(input.duration);
    await tx.update(users).set({ suspendedAt: new Date(), suspendedUntil: until, suspendReason: input.reason }).where(eq(users.id, userId));
    await endAllSessionsIn(tx, userId);
    await logRestriction(tx, staff, userId, "suspend", input);
    if (input.fromReportPostId) await resolveReports(tx, staff, input.fromReportPostId, "suspended");
    return subject;
  });
}

/** Silence: read-only, sessions kept. */
export async function silenceMember(actor: Actor, userId: number, input: { duration: RestrictionDuration; reason: string }) {
  return moderate(actor, memberForModeration, userId, async (tx, subject, staff) => {
    await tx
      .update(users)
      .set({ silencedAt: new Date(), silencedUntil: endOf(input.duration), silenceReason: input.reason })
      .where(eq(users.id, userId));
    await logRestriction(tx, staff, userId, "silence", input);
    return subject;
  });
}

export async function liftRestriction(actor: Actor, userId: number, which: "suspension" | "silence") {
  assertStaff(actor);
  return transaction((tx) => liftRestrictionIn(tx, actor, userId, which));
}

/** The lift inside the caller's transaction: a granted appeal lifts the suspension with its decision. */
export async function liftRestrictionIn(tx: Tx, staff: Staff, userId: number, which: "suspension" | "silence") {
  const subject = await memberForModeration(tx, staff, userId);
  const cleared =
    which === "suspension" ? { suspendedAt: null, suspendedUntil: null, suspendReason: null } : { silencedAt: null, silencedUntil: null, silenceReason: null };
  await tx.update(users).set(cleared).where(eq(users.id, userId));
  await logModeratorAction(tx, {
    actorId: staff.id,
    action: which === "suspension" ? "unsuspend" : "unsilence",
    targetType: "user",
    targetId: userId,
    subjectUserId: userId,
  });
  return subject;
}

export async function setRole(actor: Actor, userId: number, role: Extract<Role, "member" | "moderator">) {
  assertStaff(actor);
  return transaction(async (tx) => {
    const [subject] = await tx.select({ id: users.id, role: users.role, username: users.username }).from(users).where(eq(users.id, userId)).limit(1);
    if (!subject) notFound("There is no such member.");
    if (!canChangeRole(actor, subject, role)) forbidden("Only admins change roles, never their own, and never to or from admin here.");
    if (subject.role === role) return subject;
    await tx.update(users).set({ role }).where(eq(users.id, userId));
    await logModeratorAction(tx, {
      actorId: actor.id,
      action: role === "moderator" ? "grant-moderator" : "revoke-moderator",
      targetType: "user",
      targetId: userId,
      subjectUserId: userId,
    });
    return subject;
  });
}

/** The member's standing as moderators see it (for the member page). */
export async function getMemberStanding(actor: Actor, username: string) {
  assertStaff(actor);
  const [member] = await db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      createdAt: users.createdAt,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      suspendReason: users.suspendReason,
      silencedAt: users.silencedAt,
      silencedUntil: users.silencedUntil,
      silenceReason: users.silenceReason,
    })
    .from(users)
    .where(and(eq(users.username, username.toLowerCase()), isNull(users.deletedAt)))
    .limit(1);
  if (!member) notFound("There is no such member.");
  return { ...member, canRestrict: canModerate(actor, member) };
}

/**
 * Members for the admin page: a prefix search on the username, 50 at a time. substr() rather than a
 * range (>= q, < q + U+FFFF): PostgreSQL's collations order text by language rules, not code points.
 */
export async function listMembers(actor: Actor, input: { q?: string; page: number }) {
  assertStaff(actor);
  const q = input.q?.trim().toLowerCase() ?? "";
  const rows = await db
    .select({
      id: users.id,
      username: users.username,
      role: users.role,
      createdAt: users.createdAt,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      silencedAt: users.silencedAt,
      silencedUntil: users.silencedUntil,
    })
    .from(users)
    .where(and(isNull(users.deletedAt), q ? sql`substr(${users.username}, 1, ${[...q].length}) = ${q}` : undefined))
    .orderBy(asc(users.username))
    .limit(51)
    .offset((input.page - 1) * 50);
  return {
    members: rows.slice(0, 50).map((m) => ({
      ...m,
      canChangeRole: m.role !== "admin" && canChangeRole(actor, m, m.role === "moderator" ? "member" : "moderator"),
    })),
    hasMore: rows.length > 50,
  };
}
