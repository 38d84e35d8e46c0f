import { eq, or } from "drizzle-orm";
import { db, transaction } from "../../db/client.ts";
import { users, type Role } from "../../db/schema.ts";
import { restriction } from "../utils/auth.server.ts";
import { USERNAME_MAX } from "../utils/limits.ts";
import { hashPassword, verifyAgainstNothing, verifyPassword } from "../utils/passwords.server.ts";
import { sendConfirmationIn } from "./email-address.server.ts";

export type SignupInput = { username: string; email: string; password: string };

// Names that would pass for the site or its team, compared on their nameKey, so "Mod_erator",
// "ad.min2" and "adm1n" count too. Whole names only: "rootbeer" and "modesty" are fine.
const STAFF_WORDS = ["admin", "admins", "administrator", "moderator", "moderators", "mod", "mods", "support", "staff", "system", "root", "unclench"];
// "unclench" beside one of these reads as an official account: "unclench-team", "support_unclench".
const BRAND_PAIRS = [...STAFF_WORDS, "team", "official", "help", "hq"];
// What account deletion renames a member to (deleteAccount in account.server.ts), and nobody else.
const DELETED_PREFIX = "deleted-member";

// Digits and letters that pass for one another in a–z0–9 names ("r00t", "adm1n", "admln").
const LOOK_ALIKES: Record<string, string> = { "0": "o", "1": "i", l: "i", "3": "e", "4": "a", "5": "s", "7": "t" };

const plain = (name: string) =>
  name
    .normalize("NFKC")
    .toLowerCase()
    .replace(/[-_.\s]/g, "");
const fold = (name: string) => Array.from(name, (c) => LOOK_ALIKES[c] ?? c).join("");
/** The name as a reader takes it: NFKC, lower case, no separators, look-alikes folded. */
const nameKey = (name: string) => fold(plain(name));

function withoutTrailingDigits(name: string) {
  let end = name.length;
  while (end > 0 && name[end - 1]! >= "0" && name[end - 1]! <= "9") end--;
  return name.slice(0, end);
}

const STAFF_KEYS = new Set(STAFF_WORDS.map(nameKey));
const PAIR_KEYS = new Set(BRAND_PAIRS.map(nameKey));
const BRAND_KEY = nameKey("unclench");
const DELETED_KEY = nameKey(DELETED_PREFIX);

/**
 * Why a new account may not have this name, or null. Staff names are open to staff accounts,
 * which only the operator's CLI creates (scripts/user-create.ts); deleted-member names to nobody.
 */
export function reservedUsernameProblem(username: string, role: Role = "member"): string | null {
  // The schema's limit comes first on every path; this only bounds the work for other callers.
  if (username.length > USERNAME_MAX) return `Usernames are at most ${USERNAME_MAX} characters.`;
  if (nameKey(username).startsWith(DELETED_KEY)) return `Names starting “${DELETED_PREFIX}” are given to deleted accounts. Please choose another.`;
  if (role !== "member") return null;
  // "admin1", "root_99": a number after a staff word still reads as staff.
  const core = fold(withoutTrailingDigits(plain(username)));
  const rest = core.startsWith(BRAND_KEY) ? core.slice(BRAND_KEY.length) : core.endsWith(BRAND_KEY) ? core.slice(0, -BRAND_KEY.length) : null;
  if (STAFF_KEYS.has(core) || (rest !== null && PAIR_KEYS.has(rest))) return "That username is kept for the Unclench team. Please choose another.";
  return null;
}

/**
 * Creates a member, and queues the link that confirms their email address with it. Returns field
 * errors instead of throwing when a name or email is taken, or the name is reserved (reservedUsernameProblem).
 */
export async function createUser(input: SignupInput, role: Role = "member") {
  const reserved = reservedUsernameProblem(input.username, role);
  if (reserved) return { ok: false as const, errors: { username: reserved } as Record<string, string> };
  const passwordHash = await hashPassword(input.password);
  // The hash is computed first: the read-then-write below then runs in one short transaction.
  return transaction(async (tx) => {
    const taken = await tx
      .select({ username: users.username, email: users.email })
      .from(users)
      .where(or(eq(users.username, input.username), eq(users.email, input.email)));
    const errors: Record<string, string> = {};
    if (taken.some((u) => u.username === input.username)) errors.username = "That username is taken. Please try another.";
    // Saying an email is registered would reveal who is a member, but signing up twice with
    // one address must still fail; the message points to logging in instead.
    if (taken.some((u) => u.email === input.email)) errors.email = "This email can't be used for a new account. If it's yours, try logging in.";
    if (Object.keys(errors).length) return { ok: false as const, errors };
    const [user] = await tx
      .insert(users)
      .values({ username: input.username, email: input.email, passwordHash, role })
      .returning({ id: users.id, username: users.username });
    await sendConfirmationIn(tx, user!, input.email, false);
    return { ok: true as const, user: user! };
  });
}

/** What a login needs to know about an account, whether it proves itself by password or by passkey. */
export const loginColumns = {
  id: users.id,
  passwordHash: users.passwordHash,
  suspendedAt: users.suspendedAt,
  suspendedUntil: users.suspendedUntil,
  suspendReason: users.suspendReason,
};

type LoginRow = Pick<typeof users.$inferSelect, keyof typeof loginColumns>;

/**
 * Where a login that proved itself leads: null for an account nobody can log in to (a deleted
 * one: deleteAccount empties its hash), else the member and the suspension they would meet.
 */
export function loginOutcome(user: LoginRow) {
  if (!user.passwordHash) return null;
  // Only someone who proved they are the member learns about the suspension.
  const until = restriction(user.suspendedAt, user.suspendedUntil);
  const suspension = until ? { until: until === "permanent" ? null : until, reason: user.suspendReason ?? "" } : null;
  return { id: user.id, suspension };
}

/** Username or email plus password; null for any mismatch, taking the same time either way. */
export async function verifyLogin(identifier: string, password: string) {
  const [user] = await db
    .select(loginColumns)
    .from(users)
    .where(or(eq(users.username, identifier), eq(users.email, identifier)))
    .limit(1);
  if (!user || !user.passwordHash) return verifyAgainstNothing(password).then(() => null);
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  return loginOutcome(user);
}
