import { eq, or } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { users, type Role } from "../../db/schema.ts";
import { restriction } from "../utils/auth.server.ts";
import { hashPassword, verifyAgainstNothing, verifyPassword } from "../utils/passwords.server.ts";

export type SignupInput = { username: string; email: string; password: string };

/** Creates a member. Returns field errors instead of throwing when a name or email is taken. */
export async function createUser(input: SignupInput, role: Role = "member") {
  const passwordHash = await hashPassword(input.password);
  // The hash is computed first: the read-then-write below then runs in one short immediate transaction.
  return db.transaction(
    (tx) => {
      const taken = tx
        .select({ username: users.username, email: users.email })
        .from(users)
        .where(or(eq(users.username, input.username), eq(users.email, input.email)))
        .all();
      const errors: Record<string, string> = {};
      if (taken.some((u) => u.username === input.username)) errors.username = "That username is taken. Please try another.";
      // Saying an email is registered would reveal who is a member, but signing up twice with
      // one address must still fail; the message points to logging in instead.
      if (taken.some((u) => u.email === input.email))
        errors.email = "This email can't be used for a new account. If it's yours, try logging in.";
      if (Object.keys(errors).length) return { ok: false as const, errors };
      const user = tx
        .insert(users)
        .values({ username: input.username, email: input.email, passwordHash, role })
        .returning({ id: users.id, username: users.username })
        .get();
      return { ok: true as const, user };
    },
    { behavior: "immediate" },
  );
}

/** Username or email plus password; null for any mismatch, taking the same time either way. */
export async function verifyLogin(identifier: string, password: string) {
  const user = db
    .select({
      id: users.id,
      passwordHash: users.passwordHash,
      suspendedAt: users.suspendedAt,
      suspendedUntil: users.suspendedUntil,
      suspendReason: users.suspendReason,
    })
    .from(users)
    .where(or(eq(users.username, identifier), eq(users.email, identifier)))
    .get();
  if (!user || !user.passwordHash) return verifyAgainstNothing(password).then(() => null);
  if (!(await verifyPassword(user.passwordHash, password))) return null;
  // Only someone who knows the password learns about the suspension.
  const until = restriction(user.suspendedAt, user.suspendedUntil);
  const suspension = until ? { until: until === "permanent" ? null : until, reason: user.suspendReason ?? "" } : null;
  return { id: user.id, suspension };
}

export function getUserByUsername(username: string) {
  return db.query.users.findFirst({
    where: eq(users.username, username.toLowerCase()),
    columns: { id: true, username: true, role: true, createdAt: true },
  });
}
