/**
 * Where lucia keeps sessions: our own adapter over the one database layer, so sessions live in
 * whichever engine the forum runs on, and every write goes through transaction() like the rest.
 * One query of just the columns lucia is given looks a session and its member up.
 */
import { eq, lte } from "drizzle-orm";
import type { Adapter, DatabaseSession, DatabaseUser } from "lucia";
import { bestEffort, db, transaction } from "../../db/client.ts";
import { sessions, users } from "../../db/schema.ts";

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

type SessionRow = typeof sessions.$inferSelect;

// lucia's session ids are lowercase base32; a cookie holding anything else (a NUL, which PostgreSQL
// refuses in text, or any junk) is no session of ours and is not looked up.
const SESSION_ID = /^[a-z0-9]{1,100}$/;

function toDatabaseSession({ id, userId, expiresAt, publicId, userAgent, createdAt, lastSeenAt }: SessionRow): DatabaseSession {
  return { id, userId, expiresAt: new Date(expiresAt * 1000), attributes: { publicId, userAgent, createdAt, lastSeenAt } };
}

export const sessionStore: Adapter = {
  async getSessionAndUser(sessionId) {
    if (!SESSION_ID.test(sessionId)) return [null, null];
    const [row] = await db
      .select({
        session: sessions,
        user: {
          username: users.username,
          role: users.role,
          silencedAt: users.silencedAt,
          silencedUntil: users.silencedUntil,
          suspendedAt: users.suspendedAt,
          suspendedUntil: users.suspendedUntil,
        },
      })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.id, sessionId))
      .limit(1);
    if (!row) return [null, null];
    const user: DatabaseUser = { id: row.session.userId, attributes: row.user };
    return [toDatabaseSession(row.session), user];
  },

  async getUserSessions(userId) {
    const rows = await db.select().from(sessions).where(eq(sessions.userId, userId));
    return rows.map(toDatabaseSession);
  },

  async setSession(session) {
    const { publicId, userAgent, createdAt, lastSeenAt } = session.attributes;
    await transaction((tx) =>
      tx.insert(sessions).values({ id: session.id, userId: session.userId, expiresAt: seconds(session.expiresAt), publicId, userAgent, createdAt, lastSeenAt }),
    );
  },

  // Extending a session is bookkeeping: with the database busy or read-only the page still
  // loads, and the session keeps its old expiry until a later request extends it.
  async updateSessionExpiration(sessionId, expiresAt) {
    await bestEffort((tx) =>
      tx
        .update(sessions)
        .set({ expiresAt: seconds(expiresAt) })
        .where(eq(sessions.id, sessionId)),
    );
  },

  async deleteSession(sessionId) {
    await transaction((tx) => tx.delete(sessions).where(eq(sessions.id, sessionId)));
  },

  async deleteUserSessions(userId) {
    await transaction((tx) => tx.delete(sessions).where(eq(sessions.userId, userId)));
  },

  async deleteExpiredSessions() {
    await transaction((tx) => tx.delete(sessions).where(lte(sessions.expiresAt, seconds(new Date()))));
  },
};
