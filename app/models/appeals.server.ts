/**
 * Requests for review of a suspension ("appeals"). The member has no session while suspended,
 * so logging in with the right password hands their notice a short-lived single-use token, and
 * the appeal is sent with that. Moderators answer each request by lifting or keeping the
 * suspension, always with a reply the member reads on their notice.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gt, isNull, lt, or } from "drizzle-orm";
import { db, transaction, type Executor } from "../../db/client.ts";
import { appealTokens, appeals, users } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { APPEAL_QUEUE_SIZE } from "../utils/limits.ts";
import { canModerate, isStaff, type Actor } from "../utils/permissions.ts";
import { liftRestrictionIn } from "./moderation-members.server.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { notifyModeration } from "./notifications.server.ts";

type Staff = NonNullable<Actor>;

function assertStaff(actor: Actor, message: string): asserts actor is Staff {
  if (!isStaff(actor)) forbidden(message);
}

export const APPEAL_TOKEN_TTL_MS = 60 * 60 * 1000;

/**
 * After a request is turned down the member may ask once more for the same suspension, but not
 * at once: a permanent suspension should not be final forever, while asking again the next
 * minute only puts the question just answered back to the same moderators.
 */
export const APPEAL_AGAIN_AFTER_DAYS = 30;
const APPEAL_AGAIN_AFTER_MS = APPEAL_AGAIN_AFTER_DAYS * 86_400_000;

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{10,100}$/;

/** The member's suspension if it is in force at `now`, else null. */
async function suspensionInForce(tx: Executor, userId: number, now: Date) {
  const [user] = await tx
    .select({
      id: users.id,
      role: users.role,
      username: users.username,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      suspendReason: users.suspendReason,
    })
    .from(users)
    .where(and(eq(users.id, userId), isNull(users.deletedAt)))
    .limit(1);
  if (!user?.suspendedAt) return null;
  if (user.suspendedUntil && user.suspendedUntil <= now) return null;
  return { ...user, suspendedAt: user.suspendedAt };
}

/** The member's latest request about this suspension (a later suspension starts afresh). */
async function latestAppeal(tx: Executor, userId: number, suspendedAt: Date) {
  const [latest] = await tx
    .select({ id: appeals.id, status: appeals.status, createdAt: appeals.createdAt, decidedAt: appeals.decidedAt, reply: appeals.reply })
    .from(appeals)
    .where(and(eq(appeals.userId, userId), eq(appeals.suspendedAt, suspendedAt)))
    .orderBy(desc(appeals.id))
    .limit(1);
  return latest;
}

/** When the member may send a request: now (null), a later date, or never while one is open. */
function nextAppealFrom(latest: Awaited<ReturnType<typeof latestAppeal>>, now: Date): { canAppeal: boolean; againFrom: Date | null } {
  if (!latest || latest.status === "granted") return { canAppeal: true, againFrom: null };
  if (latest.status === "open") return { canAppeal: false, againFrom: null };
  const againFrom = new Date((latest.decidedAt ?? latest.createdAt).getTime() + APPEAL_AGAIN_AFTER_MS);
  return againFrom <= now ? { canAppeal: true, againFrom: null } : { canAppeal: false, againFrom };
}

/**
 * What the suspension notice shows: the suspension, the member's latest request about it and
 * its answer, and — when they may ask for a review — a fresh token for the form. Only the login
 * action calls this, after it has checked the member's password. Null when no suspension is in
 * force (it ended since): the member then simply logs in.
 */
export async function prepareSuspensionNotice(userId: number, now = new Date()) {
  return transaction(async (tx) => {
    const suspension = await suspensionInForce(tx, userId, now);
    if (!suspension) return null;
    const latest = await latestAppeal(tx, userId, suspension.suspendedAt);
    const { canAppeal, againFrom } = nextAppealFrom(latest, now);
    let token: string | null = null;
    if (canAppeal) {
      token = randomBytes(24).toString("base64url");
      // Expired tokens are swept here, so none linger and no job is needed; the member's
      // earlier ones go too, so only the form from their latest login works.
      await tx.delete(appealTokens).where(or(lt(appealTokens.expiresAt, now), eq(appealTokens.userId, userId)));
      await tx.insert(appealTokens).values({ tokenHash: hashToken(token), userId, expiresAt: new Date(now.getTime() + APPEAL_TOKEN_TTL_MS) });
    }
    return {
      member: suspension.username,
      reason: suspension.suspendReason ?? "",
      until: suspension.suspendedUntil,
      appeal: latest ? { status: latest.status, createdAt: latest.createdAt, decidedAt: latest.decidedAt, reply: latest.reply } : null,
      againFrom,
      token,
    };
  });
}

export type AppealResult =
  | { ok: true; appealId: number }
  | { ok: false; problem: "token" }
  | { ok: false; problem: "lifted" }
  | { ok: false; problem: "open"; receivedAt: Date }
  | { ok: false; problem: "too-soon"; againFrom: Date };

/**
 * Stores a request for review. The token is used up whatever the outcome, except when it is
 * unknown or expired ("token": the member logs in again for a fresh form).
 */
export async function submitAppeal(token: string, body: string, now = new Date()): Promise<AppealResult> {
  if (!TOKEN_PATTERN.test(token)) return { ok: false, problem: "token" };
  return transaction(async (tx): Promise<AppealResult> => {
    const [claimed] = await tx
      .delete(appealTokens)
      .where(and(eq(appealTokens.tokenHash, hashToken(token)), gt(appealTokens.expiresAt, now)))
      .returning({ userId: appealTokens.userId });
    if (!claimed) return { ok: false, problem: "token" };
    const suspension = await suspensionInForce(tx, claimed.userId, now);
    if (!suspension) return { ok: false, problem: "lifted" };
    const latest = await latestAppeal(tx, claimed.userId, suspension.suspendedAt);
    if (latest?.status === "open") return { ok: false, problem: "open", receivedAt: latest.createdAt };
    const { canAppeal, againFrom } = nextAppealFrom(latest, now);
    if (!canAppeal) return { ok: false, problem: "too-soon", againFrom: againFrom! };
    const [appeal] = await tx
      .insert(appeals)
      .values({ userId: claimed.userId, suspendedAt: suspension.suspendedAt, body, createdAt: now })
      .returning({ id: appeals.id });
    return { ok: true, appealId: appeal!.id };
  });
}

/**
 * Open requests whose suspension is still the one in force. A request whose suspension has
 * ended since (lifted from the member page, run out, or replaced by a new suspension) has
 * nothing left to decide, so it leaves the queue and the count by itself.
 */
const stillSuspended = (now: Date) =>
  and(
    eq(appeals.status, "open"),
    eq(users.suspendedAt, appeals.suspendedAt),
    isNull(users.deletedAt),
    or(isNull(users.suspendedUntil), gt(users.suspendedUntil, now)),
  );

/** The header's count: the open-appeals partial index, one primary-key lookup per open request. */
export async function countOpenAppeals(now = new Date()) {
  const [row] = await db.select({ n: count() }).from(appeals).innerJoin(users, eq(users.id, appeals.userId)).where(stillSuspended(now));
  return row?.n ?? 0;
}

/** The moderators' queue, longest-waiting first. The appeal text is for staff only. */
export async function listOpenAppeals(actor: Actor, now = new Date()) {
  assertStaff(actor, "Only moderators can see requests for review.");
  const rows = await db
    .select({
      id: appeals.id,
      body: appeals.body,
      createdAt: appeals.createdAt,
      userId: users.id,
      username: users.username,
      role: users.role,
      suspendReason: users.suspendReason,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
    })
    .from(appeals)
    .innerJoin(users, eq(users.id, appeals.userId))
    .where(stillSuspended(now))
    .orderBy(asc(appeals.createdAt), asc(appeals.id))
    .limit(APPEAL_QUEUE_SIZE);
  return rows.map(({ role, ...row }) => ({ ...row, canDecide: canModerate(actor, { id: row.userId, role }) }));
}

export type AppealDecision = "grant" | "deny";

export type DecisionResult = { ok: true; username: string } | { ok: false; message: string };

/**
 * A moderator answers a request: "grant" lifts the suspension (through liftRestrictionIn, inside
 * this transaction, so the lift is logged as every lift is) and tells the member in a
 * notification; "deny" keeps it. Either way the reply is stored on the request for the member's
 * notice, and the decision is logged with the reply as a private note: the appeal and the
 * answer are between the member and the moderators, never on /transparency. Moderators decide
 * requests only from members they could suspend (canModerate).
 */
export async function decideAppeal(actor: Actor, appealId: number, decision: AppealDecision, reply: string, now = new Date()): Promise<DecisionResult> {
  assertStaff(actor, "Only moderators can decide requests for review.");
  return transaction(async (tx): Promise<DecisionResult> => {
    const [appeal] = await tx
      .select({ id: appeals.id, userId: appeals.userId, status: appeals.status, suspendedAt: appeals.suspendedAt, role: users.role })
      .from(appeals)
      .innerJoin(users, eq(users.id, appeals.userId))
      .where(eq(appeals.id, appealId))
      .limit(1);
    if (!appeal) notFound("There is no such request for review.");
    if (!canModerate(actor, { id: appeal.userId, role: appeal.role })) {
      forbidden(
        actor.id === appeal.userId ? "You can't decide your own request for review." : "Moderators can't decide requests from admins or other moderators.",
      );
    }
    if (appeal.status !== "open") return { ok: false, message: "Another moderator has already answered this request." };
    const suspension = await suspensionInForce(tx, appeal.userId, now);
    if (!suspension || suspension.suspendedAt.getTime() !== appeal.suspendedAt.getTime()) {
      return { ok: false, message: "The suspension this request is about has already ended, so there is nothing left to decide." };
    }
    await tx
      .update(appeals)
      .set({ status: decision === "grant" ? "granted" : "denied", decidedById: actor.id, decidedAt: now, reply })
      .where(eq(appeals.id, appealId));
    if (decision === "grant") {
      await liftRestrictionIn(tx, actor, appeal.userId, "suspension");
      await notifyModeration(tx, { userId: appeal.userId, actorId: actor.id, text: `A moderator lifted your suspension: ${reply}` });
    }
    await logModeratorAction(tx, {
      actorId: actor.id,
      action: decision === "grant" ? "appeal-granted" : "appeal-denied",
      targetType: "user",
      targetId: appeal.userId,
      subjectUserId: appeal.userId,
      privateNote: reply,
    });
    return { ok: true, username: suspension.username };
  });
}

export const grantAppeal = (actor: Actor, appealId: number, reply: string) => decideAppeal(actor, appealId, "grant", reply);
export const denyAppeal = (actor: Actor, appealId: number, reply: string) => decideAppeal(actor, appealId, "deny", reply);
