/**
 * "Forgot your password?": a member who can't log in asks for a link by email and chooses a new
 * password with it. The link's token is 32 random bytes; only its sha-256 is stored. It works
 * once, for an hour, and only the newest link a member was sent works.
 *
 * The token is the permission: whoever holds it reads the account's mailbox. Nothing here logs
 * the token or the link.
 *
 * Suspended members can reset their password too. Logging in with the password is how they read
 * their suspension notice and ask for a review, so a forgotten password must not cut them off
 * from that. The reset changes only the password: the suspension stays as it was, and no session
 * is started for them (getSession refuses suspended members anyway).
 */
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import { z } from "zod";
import { db, transaction, type Executor } from "../../db/client.ts";
import { passwordResets, users } from "../../db/schema.ts";
import { endAllSessionsIn, restriction } from "../utils/auth.server.ts";
import { PASSWORD_MAX } from "../utils/limits.ts";
import { logEvent } from "../utils/logger.server.ts";
import { passwordResetMail } from "../utils/mail-templates.server.ts";
import { hashPassword } from "../utils/passwords.server.ts";
import { emailSchema, newPasswordSchema } from "../utils/schemas.server.ts";
import { enqueueMail } from "./mail-outbox.server.ts";

export const RESET_TTL_MS = 60 * 60 * 1000;

// 32 bytes in base64url are 43 characters.
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export const forgotPasswordSchema = z.object({ email: emailSchema });

export const newPasswordFormSchema = z
  .object({
    password: newPasswordSchema,
    confirm: z.string().min(1, "Type your new password again here.").max(PASSWORD_MAX, "That is too long."),
  })
  .refine((v) => v.password === v.confirm, {
    path: ["confirm"],
    message: "The two passwords aren't the same. Please type your new password in both boxes again.",
  });

/** Why a link doesn't work: the page says which, and offers a new one. */
export type ResetProblem = "unknown" | "expired" | "used";

async function findToken(tx: Executor, token: string) {
  if (!TOKEN_PATTERN.test(token)) return null;
  const [row] = await tx
    .select({
      id: passwordResets.id,
      userId: passwordResets.userId,
      expiresAt: passwordResets.expiresAt,
      usedAt: passwordResets.usedAt,
      username: users.username,
      deletedAt: users.deletedAt,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
    })
    .from(passwordResets)
    .innerJoin(users, eq(users.id, passwordResets.userId))
    .where(eq(passwordResets.tokenHash, hashToken(token)))
    .limit(1);
  return row;
}

function problemWith(row: Awaited<ReturnType<typeof findToken>>, now: Date): ResetProblem | null {
  if (!row || row.deletedAt) return "unknown";
  if (row.usedAt) return "used";
  if (row.expiresAt <= now) return "expired";
  return null;
}

/**
 * Queues a reset link to the account using `email`, if there is one, in the same unit of work that
 * issues it (app/models/mail-outbox.server.ts sends it). Callers answer the same way whether or not
 * there is one. Deleted accounts have no address any more and get nothing.
 */
export async function requestPasswordReset(email: string, origin: string): Promise<void> {
  const [user] = await db
    .select({ id: users.id, username: users.username, email: users.email })
    .from(users)
    .where(and(eq(users.email, email), isNull(users.deletedAt)))
    .limit(1);
  if (!user) return;

  const token = randomBytes(32).toString("base64url");
  const now = new Date();
  const mail = passwordResetMail({ username: user.username, link: `${origin}/password/reset?token=${token}`, origin });
  await transaction(async (tx) => {
    // Only the newest link works: an older email lying around opens nothing.
    await tx.delete(passwordResets).where(eq(passwordResets.userId, user.id));
    await tx.insert(passwordResets).values({ userId: user.id, tokenHash: hashToken(token), createdAt: now, expiresAt: new Date(now.getTime() + RESET_TTL_MS) });
    await enqueueMail(tx, { ...mail, to: user.email, userId: user.id }, now);
  });
  logEvent("password_reset.queued", { userId: user.id });
}

/** For the reset page: whether the link still works, and whose account it is for. */
export async function checkResetToken(token: string): Promise<{ ok: true; username: string } | { ok: false; problem: ResetProblem }> {
  const row = await findToken(db, token);
  const problem = problemWith(row, new Date());
  return problem ? { ok: false, problem } : { ok: true, username: row!.username };
}

/**
 * Sets the new password (already validated by newPasswordFormSchema) if the token still works,
 * uses the token up, drops the member's other links and ends every session they have, all in one
 * transaction. `canSignIn` is false for a suspended member: the caller must not start a session.
 */
export async function resetPassword(
  token: string,
  password: string,
): Promise<{ ok: true; userId: number; canSignIn: boolean } | { ok: false; problem: ResetProblem }> {
  const early = problemWith(await findToken(db, token), new Date());
  if (early) return { ok: false, problem: early };
  // Hashed before the transaction (argon2 is slow and async); the token is checked again inside it.
  const passwordHash = await hashPassword(password);
  return transaction(async (tx) => {
    const now = new Date();
    const row = await findToken(tx, token);
    const problem = problemWith(row, now);
    if (problem || !row) return { ok: false as const, problem: problem ?? "unknown" };
    // The link reached the member's mailbox, so the address works: it counts as confirmed.
    await tx
      .update(users)
      .set({ passwordHash, emailVerifiedAt: sql`coalesce(${users.emailVerifiedAt}, ${sql.param(now, users.emailVerifiedAt)})`, emailBouncedAt: null })
      .where(eq(users.id, row.userId));
    await tx.update(passwordResets).set({ usedAt: now }).where(eq(passwordResets.id, row.id));
    await tx.delete(passwordResets).where(and(eq(passwordResets.userId, row.userId), ne(passwordResets.id, row.id)));
    // Whoever knew the old password (or held a session) is out.
    await endAllSessionsIn(tx, row.userId);
    const suspended = restriction(row.suspendedAt, row.suspendedUntil) !== null;
    return { ok: true as const, userId: row.userId, canSignIn: !suspended };
  });
}
