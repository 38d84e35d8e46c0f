import { and, eq } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { mutes, users } from "../../db/schema.ts";
import { badRequest, notFound } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";

type Member = NonNullable<Actor>;

function findMember(username: string) {
  const user = db.select({ id: users.id, deletedAt: users.deletedAt }).from(users).where(eq(users.username, username.toLowerCase())).get();
  if (!user || user.deletedAt) notFound("There is no member with that name.");
  return user;
}

/**
 * Muting is private: the muted member is never told. Their posts collapse for the muter, and
 * they no longer trigger notifications for them (see notifyAboutPost in notifications.server.ts).
 */
export function muteMember(actor: Member, username: string) {
  const target = findMember(username);
  if (target.id === actor.id) badRequest("You can't mute yourself.");
  db.insert(mutes).values({ userId: actor.id, mutedUserId: target.id }).onConflictDoNothing().run();
}

export function unmuteMember(actor: Member, username: string) {
  const target = findMember(username);
  db.delete(mutes)
    .where(and(eq(mutes.userId, actor.id), eq(mutes.mutedUserId, target.id)))
    .run();
}

export function getMutedUserIds(userId: number) {
  return db
    .select({ id: mutes.mutedUserId })
    .from(mutes)
    .where(eq(mutes.userId, userId))
    .all()
    .map((r) => r.id);
}

export function hasMuted(userId: number, otherId: number) {
  return !!db
    .select({ id: mutes.mutedUserId })
    .from(mutes)
    .where(and(eq(mutes.userId, userId), eq(mutes.mutedUserId, otherId)))
    .get();
}
