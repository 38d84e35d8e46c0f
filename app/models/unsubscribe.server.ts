/**
 * One-click unsubscribe links (docs/decisions/040). A link names a member, the kinds of notification
 * mail it turns off and when it was made, signed with HMAC-SHA256; nothing is stored per link. It
 * works for 90 days and once: a link is spent when any of its kinds' delivery was set at or after
 * it was made (by this link, or by the member in settings since). Using it sets each kind to "site".
 *
 * The key is UNSUBSCRIBE_SECRET when set, else 32 random bytes made once in the database, so every
 * app server signs and checks with the same key. Nothing here logs a token.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { and, eq, inArray } from "drizzle-orm";
import { afterCommit, currentTransaction, db, forUpdate, inTransaction, transaction, type Executor, type Tx } from "../../db/client.ts";
import { mailPreferences, notificationKinds, type NotificationPrefKind, siteSecrets, users } from "../../db/schema.ts";
import { siteOrigin } from "../utils/mail.server.ts";
import { setDelivery } from "./mail-preferences.server.ts";

export const UNSUBSCRIBE_TTL_MS = 90 * 24 * 60 * 60 * 1000;
const SECRET_NAME = "unsubscribe-key";
// Signed with this label in front, so a signature made for anything else with the same key never passes here.
const PURPOSE = "unsubscribe:v1:";

/** What each kind's mail is about, in the words the page uses ("Email about … and …"). */
const ABOUT: Record<NotificationPrefKind, string> = {
  replies: "replies to your posts",
  mentions: "mentions of you",
  followed: "replies in threads you follow",
  watched: "new threads in boards you watch",
  moderation: "moderators' actions on your posts",
  messages: "private messages",
};

/** "replies to your posts and mentions of you", in the kinds' fixed order. */
export function describeKinds(kinds: readonly NotificationPrefKind[]) {
  const parts = notificationKinds.filter((kind) => kinds.includes(kind)).map((kind) => ABOUT[kind]);
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

let storedKey: Buffer | undefined;

async function readKey(executor: Executor) {
  const [row] = await executor.select({ value: siteSecrets.value }).from(siteSecrets).where(eq(siteSecrets.name, SECRET_NAME)).limit(1);
  return row ? Buffer.from(row.value, "hex") : null;
}

/** Inside a unit of work: the key, made first if no server has yet (insert if absent, then read the one that won). */
async function keyIn(tx: Tx) {
  let key = await readKey(tx);
  if (!key) {
    await tx
      .insert(siteSecrets)
      .values({ name: SECRET_NAME, value: randomBytes(32).toString("hex") })
      .onConflictDoNothing();
    key = (await readKey(tx))!;
  }
  // Kept only once committed: a key made by a unit of work that rolls back was never anyone's.
  const committed = key;
  afterCommit(() => (storedKey = committed));
  return key;
}

/**
 * The signing key: UNSUBSCRIBE_SECRET, else the database's own. A mailer may ask inside its own
 * unit of work, so the key is read (or made) in the caller's transaction when there is one; a page
 * only reads it, unless no link was ever made.
 */
async function signingKey(): Promise<Buffer> {
  const configured = process.env.UNSUBSCRIBE_SECRET;
  if (configured) return Buffer.from(configured, "utf8");
  if (storedKey) return storedKey;
  if (inTransaction()) return keyIn(currentTransaction());
  storedKey = (await readKey(db)) ?? undefined;
  return storedKey ?? transaction(keyIn);
}

const sign = (key: Buffer, payload: string) =>
  createHmac("sha256", key)
    .update(PURPOSE + payload)
    .digest();

/**
 * The link for `userId` that turns off mail of `kinds` (absolute, on siteOrigin()). The token is
 * `<member id>.<kinds joined by ->.<issued ms in base 36>.<signature>`: short, and safe in a path.
 */
export async function unsubscribeUrl(userId: number, kinds: NotificationPrefKind[], now = new Date()): Promise<string> {
  const sorted = notificationKinds.filter((kind) => kinds.includes(kind));
  if (sorted.length === 0) throw new Error("An unsubscribe link needs at least one kind.");
  const payload = `${userId}.${sorted.join("-")}.${now.getTime().toString(36)}`;
  const signature = sign(await signingKey(), payload).toString("base64url");
  return `${siteOrigin()}/unsubscribe/${payload}.${signature}`;
}

const TOKEN_PATTERN = /^([1-9]\d{0,15})\.([a-z]+(?:-[a-z]+)*)\.([0-9a-z]{1,11})\.([A-Za-z0-9_-]{43})$/;
const isKind = (value: string): value is NotificationPrefKind => (notificationKinds as readonly string[]).includes(value);

type Parsed = { userId: number; kinds: NotificationPrefKind[]; issuedAt: Date };

/** The token's contents when its signature is ours and its parts make sense; null for anything else. */
async function parseToken(token: string): Promise<Parsed | null> {
  const match = TOKEN_PATTERN.exec(token);
  if (!match) return null;
  const [, id, kindList, issued, signature] = match as unknown as [string, string, string, string, string];
  const expected = sign(await signingKey(), `${id}.${kindList}.${issued}`);
  const given = Buffer.from(signature, "base64url");
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const kinds = kindList.split("-");
  if (!kinds.every(isKind) || new Set(kinds).size !== kinds.length) return null;
  return { userId: Number(id), kinds, issuedAt: new Date(parseInt(issued, 36)) };
}

/** Why a link does nothing: "invalid" (forged, altered, cut short, or its account is gone), "expired", "spent". */
export type UnsubscribeProblem = "invalid" | "expired" | "spent";
/** `off`, for a spent link: every one of its kinds is "site only" now (the page after using it says so). */
export type UnsubscribeCheck =
  { ok: true; kinds: NotificationPrefKind[]; about: string } | { ok: false; problem: UnsubscribeProblem; about: string; off?: boolean };

/** Reads the member's account and the kinds' last change; inside a unit of work, locks the account row first. */
async function check(executor: Executor, token: string, now: Date, lock: boolean): Promise<UnsubscribeCheck & { userId?: number }> {
  const parsed = await parseToken(token);
  if (!parsed) return { ok: false, problem: "invalid", about: "" };
  const about = describeKinds(parsed.kinds);
  const account = executor.select({ deletedAt: users.deletedAt }).from(users).where(eq(users.id, parsed.userId)).limit(1);
  const [user] = await (lock ? forUpdate(account) : account);
  if (!user || user.deletedAt) return { ok: false, problem: "invalid", about: "" };
  if (now.getTime() - parsed.issuedAt.getTime() >= UNSUBSCRIBE_TTL_MS) return { ok: false, problem: "expired", about };
  const changes = await executor
    .select({ updatedAt: mailPreferences.updatedAt, delivery: mailPreferences.delivery })
    .from(mailPreferences)
    .where(and(eq(mailPreferences.userId, parsed.userId), inArray(mailPreferences.kind, parsed.kinds)));
  if (changes.some((row) => row.updatedAt.getTime() >= parsed.issuedAt.getTime())) {
    const off = changes.length === parsed.kinds.length && changes.every((row) => row.delivery === "site");
    return { ok: false, problem: "spent", about, off };
  }
  return { ok: true, kinds: parsed.kinds, about, userId: parsed.userId };
}

/** For the page a link opens: what it would turn off, or why it can't. Changes nothing (mail scanners open links). */
export async function checkUnsubscribe(token: string, now = new Date()): Promise<UnsubscribeCheck> {
  const { userId: _userId, ...result } = await check(db, token, now, false);
  return result;
}

/** Turns the link's kinds to "site only", in one unit of work, if the link still works. */
export async function applyUnsubscribe(token: string, now = new Date()): Promise<UnsubscribeCheck & { userId?: number }> {
  return transaction(async (tx) => {
    const result = await check(tx, token, now, true);
    if (!result.ok || result.userId === undefined) return result;
    for (const kind of result.kinds) await setDelivery(tx, result.userId, kind, "site", now);
    return result;
  });
}
