import { and, asc, eq } from "drizzle-orm";
import { db, transaction } from "../../db/client.ts";
import { mutes, users } from "../../db/schema.ts";
import { badRequest, notFound } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";

type Member = NonNullable<Actor>;

/** A member by name; deleted accounts only when asked (a mute on one can still be lifted). */
async function findMember(username: string, withDeleted = false) {
  const [user] = await db.select({ id: users.id, deletedAt: users.deletedAt }).from(users).where(eq(users.username, username.toLowerCase())).limit(1);
  if (!user || (user.deletedAt && !withDeleted)) notFound("There is no member with that name.");
  return user;
}

/**
 * Muting is private: the muted member is never told. Their posts collapse for the muter, and
 * they no longer trigger notifications for them (see notifyAboutPost in notifications.server.ts).
 */
export async function muteMember(actor: Member, username: string) {
  const target = await findMember(username);
  if (target.id === actor.id) badRequest("You can't mute yourself.");
  await transaction((tx) => tx.insert(mutes).values({ userId: actor.id, mutedUserId: target.id }).onConflictDoNothing());
}

export async function unmuteMember(actor: Member, username: string) {
  const target = await findMember(username, true);
  await transaction((tx) => tx.delete(mutes).where(and(eq(mutes.userId, actor.id), eq(mutes.mutedUserId, target.id))));
}

export async function getMutedUserIds(userId: number) {
  const rows = await db.select({ id: mutes.mutedUserId }).from(mutes).where(eq(mutes.userId, userId));
  return rows.map((r) => r.id);
}

export async function hasMuted(userId: number, otherId: number) {
  const [row] = await db
    .select({ id: mutes.mutedUserId })
    .from(mutes)
    .where(and(eq(mutes.userId, userId), eq(mutes.mutedUserId, otherId)))
    .limit(1);
  return !!row;
}

/** The members this member muted, by name, with when (the settings page's list). */
export async function listMutedMembers(userId: number) {
  const rows = await db
    .select({ username: users.username, since: mutes.createdAt, deletedAt: users.deletedAt })
    .from(mutes)
    .innerJoin(users, eq(users.id, mutes.mutedUserId))
    .where(eq(mutes.userId, userId))
    .orderBy(asc(users.username));
  return rows.map((r) => ({ username: r.username, since: r.since, deleted: r.deletedAt !== null }));
}
