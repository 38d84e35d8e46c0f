/**
 * A member's email address and whether it is theirs (docs/decisions/036). Sign-up sends a link that
 * confirms the address; the forum works before it is opened, but no notification mail goes to an
 * address that isn't confirmed (`mailableAddress`). Changing the address sends a link to the new one
 * and a notice to the old one, which stays in use until the link is opened.
 *
 * The link's token is 32 random bytes; only its sha-256 is stored. It works once, for 48 hours, and
 * only the newest link a member was sent works. Opening it shows a button: a GET changes nothing,
 * since mail scanners open links by themselves. Nothing here logs a token or an address.
 */
import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { db, transaction, type Executor, type Tx } from "../../db/client.ts";
import { emailConfirmations, users } from "../../db/schema.ts";
import { notFound } from "../utils/http.server.ts";
import { PASSWORD_MAX } from "../utils/limits.ts";
import { emailChangeNoticeMail, emailConfirmMail } from "../utils/mail-templates.server.ts";
import { siteOrigin } from "../utils/mail.server.ts";
import { verifyPassword } from "../utils/passwords.server.ts";
import type { Actor } from "../utils/permissions.ts";
import { emailSchema } from "../utils/schemas.server.ts";
import { enqueueMail } from "./mail-outbox.server.ts";

type Member = NonNullable<Actor>;

export const CONFIRM_TTL_MS = 48 * 60 * 60 * 1000;

// 32 bytes in base64url are 43 characters.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const emailChangeSchema = z.object({
  email: emailSchema,
  password: z.string().min(1, "Enter your password.").max(PASSWORD_MAX, "That is too long."),
});

/** Why a link doesn't work: the page says which. "taken": another account has the address now. */
export type ConfirmProblem = "unknown" | "expired" | "used" | "taken";

type Outcome = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * Inside the caller's unit of work: a new link for `address`, replacing any earlier one (only the
 * newest works), queued to that address. `change`: it is a new address, not the member's own yet.
 */
export async function sendConfirmationIn(tx: Tx, user: { id: number; username: string }, address: string, change: boolean, now = new Date()) {
  const token = randomBytes(32).toString("base64url");
  await tx.delete(emailConfirmations).where(eq(emailConfirmations.userId, user.id));
  await tx
    .insert(emailConfirmations)
    .values({ userId: user.id, address, tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + CONFIRM_TTL_MS) });
  const origin = siteOrigin();
  const mail = emailConfirmMail({ username: user.username, link: `${origin}/email/confirm?token=${token}`, origin, change });
  await enqueueMail(tx, { ...mail, to: address, userId: user.id }, now);
}

async function accountOf(executor: Executor, userId: number) {
  const [user] = await executor.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.deletedAt) notFound("There is no such account.");
  return user;
}

/** The newest link's address while it can still be used, when it is not the address in use. */
async function pendingChange(executor: Executor, user: { id: number; email: string }, now: Date) {
  const [row] = await executor
    .select({ address: emailConfirmations.address, expiresAt: emailConfirmations.expiresAt })
    .from(emailConfirmations)
    .where(and(eq(emailConfirmations.userId, user.id), isNull(emailConfirmations.usedAt), gt(emailConfirmations.expiresAt, now)))
    .orderBy(desc(emailConfirmations.id))
    .limit(1);
  return row && row.address !== user.email ? row : null;
}

/** For Settings › Email address: the address, whether it is confirmed or was refused, and a change waiting for its link. */
export async function getEmailStatus(actor: Member, now = new Date()) {
  const user = await accountOf(db, actor.id);
  return {
    address: user.email,
    confirmed: user.emailVerifiedAt !== null,
    refusedAt: user.emailBouncedAt,
    pending: await pendingChange(db, user, now),
  };
}

/**
 * Needs the password. The address in use stays until the new one's link is opened; the old one
 * is told, if it was ever confirmed (an unconfirmed one may be a stranger's, from a typo).
 */
export async function requestEmailChange(
  actor: Member,
  input: { email: string; password: string },
  now = new Date(),
): Promise<{ ok: true; changing: boolean } | { ok: false; errors: Record<string, string> }> {
  const user = await accountOf(db, actor.id);
  if (!(await verifyPassword(user.passwordHash, input.password))) {
    return { ok: false as const, errors: { password: "That isn't your password." } };
  }
  return transaction(async (tx) => {
    const current = await accountOf(tx, actor.id);
    if (input.email === current.email) {
      if (current.emailVerifiedAt) return { ok: false as const, errors: { email: "That is already your email address, and it's confirmed." } };
      await sendConfirmationIn(tx, current, current.email, false, now);
      return { ok: true as const, changing: false };
    }
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(and(eq(users.email, input.email), ne(users.id, actor.id)))
      .limit(1);
    // The same neutral words as at sign-up: whose address it is stays unsaid.
    if (taken) return { ok: false as const, errors: { email: "This email can't be used. Please try another." } };
    await sendConfirmationIn(tx, current, input.email, true, now);
    if (current.emailVerifiedAt) {
      const notice = emailChangeNoticeMail({ username: current.username, newAddress: input.email, origin: siteOrigin() });
      await enqueueMail(tx, { ...notice, to: current.email, userId: current.id }, now);
    }
    return { ok: true as const, changing: true };
  });
}

/** "Send the link again": to the address waiting to be confirmed, else to the one in use if it isn't yet. */
export async function resendConfirmation(actor: Member, now = new Date()): Promise<Outcome> {
  return transaction(async (tx): Promise<Outcome> => {
    const user = await accountOf(tx, actor.id);
    const pending = await pendingChange(tx, user, now);
    if (pending) await sendConfirmationIn(tx, user, pending.address, true, now);
    else if (!user.emailVerifiedAt || user.emailBouncedAt) await sendConfirmationIn(tx, user, user.email, false, now);
    else return { ok: false, errors: { form: "Your email address is already confirmed, so there is no link to send." } };
    return { ok: true };
  });
}

async function findToken(executor: Executor, token: string) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await executor
    .select({
      id: emailConfirmations.id,
      userId: emailConfirmations.userId,
      address: emailConfirmations.address,
      expiresAt: emailConfirmations.expiresAt,
      usedAt: emailConfirmations.usedAt,
      username: users.username,
      email: users.email,
      deletedAt: users.deletedAt,
    })
    .from(emailConfirmations)
    .innerJoin(users, eq(users.id, emailConfirmations.userId))
    .where(eq(emailConfirmations.tokenHash, hashToken(token)))
    .limit(1);
  return row ?? null;
}

function problemWith(row: Awaited<ReturnType<typeof findToken>>, now: Date): ConfirmProblem | null {
  if (!row || row.deletedAt) return "unknown";
  if (row.usedAt) return "used";
  if (row.expiresAt <= now) return "expired";
  return null;
}

/** For the page a link opens: whether it still works, for which account and address. Changes nothing. */
export async function checkConfirmation(token: string, now = new Date()) {
  const row = await findToken(db, token);
  const problem = problemWith(row, now);
  return problem ? { ok: false as const, problem } : { ok: true as const, username: row!.username, address: row!.address };
}

/**
 * Confirms the link's address for its account, in one unit of work: a new address takes the old
 * one's place, it counts as confirmed and not refused, and the link is used up.
 */
export async function confirmEmail(token: string, now = new Date()) {
  return transaction(async (tx) => {
    const row = await findToken(tx, token);
    const problem = problemWith(row, now);
    if (problem || !row) return { ok: false as const, problem: problem ?? "unknown" };
    if (row.address !== row.email) {
      const [taken] = await tx
        .select({ id: users.id })
        .from(users)
        .where(and(eq(users.email, row.address), ne(users.id, row.userId)))
        .limit(1);
      if (taken) return { ok: false as const, problem: "taken" as const };
    }
    await tx.update(users).set({ email: row.address, emailVerifiedAt: now, emailBouncedAt: null }).where(eq(users.id, row.userId));
    await tx.update(emailConfirmations).set({ usedAt: now }).where(eq(emailConfirmations.id, row.id));
    return { ok: true as const, userId: row.userId, changed: row.address !== row.email };
  });
}

/**
 * The one check before any notification mail (the next step of issue 27 sends those): the member's
 * address when it is confirmed and no mail server has refused it, else null. Pass the unit of
 * work's `tx` when deciding inside one. Password reset and confirmation links don't ask: they are
 * how an address gets confirmed or an account back.
 */
export async function mailableAddress(userId: number, executor: Executor = db): Promise<string | null> {
  const [row] = await executor.select(mailableColumns).from(users).where(eq(users.id, userId)).limit(1);
  return row ? mailableOf(row) : null;
}

/** What mailableOf reads of a member, for a caller that reads many members at once. */
export const mailableColumns = { email: users.email, verifiedAt: users.emailVerifiedAt, bouncedAt: users.emailBouncedAt, deletedAt: users.deletedAt };

export function mailableOf(row: { email: string; verifiedAt: Date | null; bouncedAt: Date | null; deletedAt: Date | null }) {
  return row.verifiedAt && !row.bouncedAt && !row.deletedAt ? row.email : null;
}
