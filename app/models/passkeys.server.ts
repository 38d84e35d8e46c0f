/**
 * Passkeys (issue 29, docs/decisions/029): a member adds one in settings, with their password, and
 * logs in with it instead of typing the password, which stays as the way back in. WebAuthn's
 * checks are @simplewebauthn/server's; the rules around them (who may add or remove, single-use
 * challenges in the database, the signature counter, who may log in) are here.
 */
import { randomBytes } from "node:crypto";
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { and, asc, count, eq, isNull, lt, or } from "drizzle-orm";
import { z } from "zod";
import { db, transaction, type Tx } from "../../db/client.ts";
import { passkeys, users, webauthnChallenges } from "../../db/schema.ts";
import { endOtherSessionsIn } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { PASSKEY_RESPONSE_MAX, PASSKEYS_MAX } from "../utils/limits.ts";
import { verifyPassword } from "../utils/passwords.server.ts";
import { describeUserAgent } from "../utils/user-agent.ts";
import { loginColumns, loginOutcome } from "./users.server.ts";

type Member = { id: number; username: string };
type Errors = Record<string, string>;

const RP_NAME = "Unclench";
const CHALLENGE_TTL_MS = 5 * 60 * 1000;
// A passkey alone logs a member in, so the device must have checked it is them (fingerprint, face,
// PIN), not only that someone touched it.
const USER_VERIFICATION = "required";

/** Who the ceremony is for: the site's public origin and its host name (the WebAuthn "RP ID"). */
export type RelyingParty = { origin: string; rpID: string };

/**
 * The request's public origin. server.ts builds every Request's URL on the origin requestOrigin()
 * decided (ORIGIN when set, never a Host a client chose behind a proxy), so the URL says it.
 */
export function relyingParty(request: Request): RelyingParty {
  const { origin, hostname } = new URL(request.url);
  return { origin, rpID: hostname };
}

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/);
/** A credential id: at most 1023 bytes (WebAuthn), so at most 1364 characters of base64url. */
export const passkeyIdSchema = base64url.max(1364);
export const challengeIdSchema = z.string().regex(/^[A-Za-z0-9_-]{24}$/);

const KNOWN_TRANSPORTS = ["ble", "cable", "hybrid", "internal", "nfc", "smart-card", "usb"] as const;

const registrationSchema = z.object({
  id: passkeyIdSchema,
  rawId: passkeyIdSchema,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    attestationObject: base64url,
    transports: z.array(z.string().max(32)).max(10).optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

const authenticationSchema = z.object({
  id: passkeyIdSchema,
  rawId: passkeyIdSchema,
  type: z.literal("public-key"),
  response: z.object({
    clientDataJSON: base64url,
    authenticatorData: base64url,
    signature: base64url,
    userHandle: base64url.optional(),
  }),
  authenticatorAttachment: z.enum(["platform", "cross-platform"]).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});

const UNREADABLE = "Your device's answer could not be read. Please try again.";

/** A browser's answer, as JSON text: its size is checked before it is parsed, its shape after. */
function readResponse<S extends z.ZodType>(schema: S, text: string): z.infer<S> | null {
  if (text.length > PASSKEY_RESPONSE_MAX) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return null;
  }
  const result = schema.safeParse(parsed);
  return result.success ? result.data : null;
}

/** A new challenge's row; expired ones of anyone's are swept in the same unit of work. */
async function storeChallenge(tx: Tx, challenge: string, purpose: "register" | "login", userId: number | null, now: Date) {
  const id = randomBytes(18).toString("base64url");
  await tx.delete(webauthnChallenges).where(lt(webauthnChallenges.expiresAt, now));
  // Only the newest request to add a passkey works, as with a password reset link.
  if (userId !== null) await tx.delete(webauthnChallenges).where(and(eq(webauthnChallenges.userId, userId), eq(webauthnChallenges.purpose, purpose)));
  await tx.insert(webauthnChallenges).values({ id, challenge, purpose, userId, expiresAt: new Date(now.getTime() + CHALLENGE_TTL_MS) });
  return id;
}

/**
 * Takes a challenge out of the database, whatever comes of the answer to it: each is good for one
 * try. Null when it is unknown, already used, for something else or someone else, or expired.
 */
async function claimChallenge(id: string, purpose: "register" | "login", userId: number | null, now = new Date()) {
  if (!challengeIdSchema.safeParse(id).success) return null;
  const [row] = await transaction((tx) =>
    tx
      .delete(webauthnChallenges)
      .where(
        and(
          eq(webauthnChallenges.id, id),
          eq(webauthnChallenges.purpose, purpose),
          userId === null ? isNull(webauthnChallenges.userId) : eq(webauthnChallenges.userId, userId),
        ),
      )
      .returning({ challenge: webauthnChallenges.challenge, expiresAt: webauthnChallenges.expiresAt }),
  );
  return row && row.expiresAt > now ? row.challenge : null;
}

const EXPIRED = "That request took too long or was already used. Please try again.";

async function passwordHashOf(actor: Member) {
  const [user] = await db.select({ passwordHash: users.passwordHash, deletedAt: users.deletedAt }).from(users).where(eq(users.id, actor.id)).limit(1);
  if (!user || user.deletedAt) notFound("There is no such account.");
  return user.passwordHash;
}

async function passkeyCount(actor: Member, executor: Pick<Tx, "select"> = db) {
  const [row] = await executor.select({ n: count() }).from(passkeys).where(eq(passkeys.userId, actor.id));
  return row?.n ?? 0;
}

const TOO_MANY = `You have ${PASSKEYS_MAX} passkeys, the most one account can have. Remove one you no longer use to add another.`;

/**
 * The first step of adding a passkey: needs the member's password, so a session someone else got
 * hold of cannot leave a way in that outlives it. Returns the options for the browser, and the
 * challenge's id to send back with its answer.
 */
export async function registrationOptions(actor: Member, password: string, rp: RelyingParty, now = new Date()) {
  if (!(await verifyPassword(await passwordHashOf(actor), password))) {
    return { ok: false as const, errors: { password: "That isn't your password." } as Errors };
  }
  if ((await passkeyCount(actor)) >= PASSKEYS_MAX) return { ok: false as const, errors: { form: TOO_MANY } as Errors };
  const existing = await db.select({ id: passkeys.id, transports: passkeys.transports }).from(passkeys).where(eq(passkeys.userId, actor.id));
  const options = await generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpID,
    userName: actor.username,
    userDisplayName: actor.username,
    attestationType: "none",
    // A device that already holds one of the member's passkeys says so instead of making another.
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: USER_VERIFICATION },
  });
  const challengeId = await transaction((tx) => storeChallenge(tx, options.challenge, "register", actor.id, now));
  return { ok: true as const, options, challengeId };
}

function transportsOf(stored: string): AuthenticatorTransportFuture[] {
  return stored.split(",").filter((t): t is AuthenticatorTransportFuture => (KNOWN_TRANSPORTS as readonly string[]).includes(t));
}

/**
 * The second step: checks the device's answer against the challenge (single use, five minutes,
 * this member's) and the site's origin, and keeps the passkey, named after the browser and system
 * it was added from ("Chrome on Android").
 */
export async function finishRegistration(actor: Member, challengeId: string, responseText: string, userAgent: string | null, rp: RelyingParty) {
  const refuse = (form: string) => ({ ok: false as const, errors: { form } as Errors });
  const challenge = await claimChallenge(challengeId, "register", actor.id);
  if (!challenge) return refuse(EXPIRED);
  const response = readResponse(registrationSchema, responseText);
  if (!response) return refuse(UNREADABLE);
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: response as RegistrationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: true,
    });
  } catch {
    return refuse("Your device's answer did not check out, so no passkey was added. Please try again.");
  }
  if (!verification.verified) return refuse("Your device's answer did not check out, so no passkey was added. Please try again.");
  const { credential } = verification.registrationInfo;
  const transports = (response.response.transports ?? []).filter((t) => (KNOWN_TRANSPORTS as readonly string[]).includes(t));
  return transaction(async (tx) => {
    const [taken] = await tx.select({ id: passkeys.id }).from(passkeys).where(eq(passkeys.id, credential.id)).limit(1);
    if (taken) return refuse("That passkey is already registered here.");
    if ((await passkeyCount(actor, tx)) >= PASSKEYS_MAX) return refuse(TOO_MANY);
    await tx.insert(passkeys).values({
      id: credential.id,
      userId: actor.id,
      publicKey: Buffer.from(credential.publicKey),
      counter: credential.counter,
      transports: transports.join(","),
      name: describeUserAgent(userAgent),
    });
    return { ok: true as const };
  });
}

/** The member's passkeys, oldest first: names and dates, never key material. */
export async function listPasskeys(actor: Member) {
  return db
    .select({ id: passkeys.id, name: passkeys.name, createdAt: passkeys.createdAt, lastUsedAt: passkeys.lastUsedAt })
    .from(passkeys)
    .where(eq(passkeys.userId, actor.id))
    .orderBy(asc(passkeys.createdAt), asc(passkeys.id));
}

/**
 * Removes one of the member's own passkeys and, in the same unit of work, ends their other
 * sessions: whoever logged in with it elsewhere is logged out. Another member's passkey is
 * answered as one already removed, so trying ids says nothing about other members.
 */
export async function removePasskey(actor: Member, id: string, keepSessionId: string) {
  return transaction(async (tx) => {
    const gone = await tx
      .delete(passkeys)
      .where(and(eq(passkeys.id, id), eq(passkeys.userId, actor.id)))
      .returning({ id: passkeys.id });
    if (gone.length === 0) return { ok: false as const, errors: { form: "That passkey had already been removed." } as Errors };
    await endOtherSessionsIn(tx, actor.id, keepSessionId);
    return { ok: true as const };
  });
}

/**
 * The first step of logging in with a passkey. Nobody is named: the device offers the passkeys it
 * holds for this site (discoverable credentials), so allowCredentials is empty.
 */
export async function loginOptions(rp: RelyingParty, now = new Date()) {
  const options = await generateAuthenticationOptions({ rpID: rp.rpID, allowCredentials: [], userVerification: USER_VERIFICATION });
  const challengeId = await transaction((tx) => storeChallenge(tx, options.challenge, "login", null, now));
  return { options, challengeId };
}

const UNKNOWN_PASSKEY = "That passkey isn't registered here: it may have been removed. Please log in with your password.";

/**
 * The second step: checks the answer and the passkey's signature counter, then says who logs in
 * and the suspension they would meet (as a password login does: users.server.ts loginOutcome).
 * The counter must go up when the device counts (a copied key shows up as a count gone back);
 * devices that always send 0 are allowed.
 */
export async function finishLogin(challengeId: string, responseText: string, rp: RelyingParty, now = new Date()) {
  const refuse = (error: string) => ({ ok: false as const, error });
  const challenge = await claimChallenge(challengeId, "login", null, now);
  if (!challenge) return refuse(EXPIRED);
  const response = readResponse(authenticationSchema, responseText);
  if (!response) return refuse(UNREADABLE);
  const [row] = await db
    .select({ passkey: { id: passkeys.id, publicKey: passkeys.publicKey, counter: passkeys.counter, transports: passkeys.transports }, user: loginColumns })
    .from(passkeys)
    .innerJoin(users, eq(users.id, passkeys.userId))
    .where(eq(passkeys.id, response.id))
    .limit(1);
  const outcome = row ? loginOutcome(row.user) : null;
  if (!row || !outcome) return refuse(UNKNOWN_PASSKEY);
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      // The counter rule is applied below, where its refusal can say what it means.
      credential: { id: row.passkey.id, publicKey: new Uint8Array(row.passkey.publicKey), counter: 0, transports: transportsOf(row.passkey.transports) },
      requireUserVerification: true,
    });
  } catch {
    return refuse("Your passkey's answer did not check out. Please try again, or log in with your password.");
  }
  if (!verification.verified) return refuse("Your passkey's answer did not check out. Please try again, or log in with your password.");
  const newCounter = verification.authenticationInfo.newCounter;
  const stored = row.passkey.counter;
  const cloned = { ok: false as const, error: "This passkey was refused because it may have been copied. Please log in with your password.", cloned: true };
  if (stored > 0 && newCounter <= stored) return cloned;
  // Compare-and-set: of two logins racing with one count, only the first gets through.
  const updated = await transaction((tx) =>
    tx
      .update(passkeys)
      .set({ counter: newCounter, lastUsedAt: now })
      .where(and(eq(passkeys.id, row.passkey.id), or(eq(passkeys.counter, stored), lt(passkeys.counter, newCounter))))
      .returning({ id: passkeys.id }),
  );
  if (updated.length === 0) return cloned;
  return { ok: true as const, userId: outcome.id, suspension: outcome.suspension };
}
