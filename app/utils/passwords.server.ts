import { hash, verify } from "@node-rs/argon2";
import { dictionary } from "@zxcvbn-ts/language-common";

// @node-rs/argon2 defaults to argon2id with OWASP's recommended memory and time costs.
export function hashPassword(password: string) {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string) {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Compared against when no account matches, so a wrong login takes as long either way.
let dummyHash: Promise<string> | undefined;
export async function verifyAgainstNothing(password: string) {
  dummyHash ??= hash("unclench-no-such-account");
  await verifyPassword(await dummyHash, password);
  return false;
}

let common: Set<string> | undefined;
/** The ~50,000 most common passwords, from the zxcvbn-ts dictionary shipped in the package. */
export function isCommonPassword(password: string) {
  common ??= new Set(dictionary.passwords);
  return common.has(password.toLowerCase());
}
