import { and, eq, isNull, ne } from "drizzle-orm";
import { z } from "zod";
import { db, transaction } from "../../db/client.ts";
import { sessions, userConditions, users, type Visibility, visibilities } from "../../db/schema.ts";
import { endOtherSessions, endUserSession, listUserSessions } from "../utils/auth.server.ts";
import { notFound } from "../utils/http.server.ts";
import { PASSWORD_MAX } from "../utils/limits.ts";
import { renderMarkdown } from "../utils/markdown.server.ts";
import { hashPassword, verifyPassword } from "../utils/passwords.server.ts";
import type { Actor } from "../utils/permissions.ts";
import { newPasswordSchema } from "../utils/schemas.server.ts";
import { describeUserAgent } from "../utils/user-agent.ts";
import { scheduleDigests } from "./digests.server.ts";
import { listConditionBoards } from "./profiles.server.ts";

type Member = NonNullable<Actor>;

export const BIO_MAX = 1000;
export const themes = ["system", "light", "dark", "night", "auto-night"] as const;
export const textSizes = ["normal", "large", "larger"] as const;

export const profileSettingsSchema = z.object({
  bio: z
    .string()
    // Length first (a \r\n newline counts once, hence twice the limit), before any work on the text.
    .max(2 * BIO_MAX, `Your bio can be at most ${BIO_MAX.toLocaleString("en")} characters.`)
    .transform((s) => s.replace(/\r\n?/g, "\n").trim())
    .pipe(z.string().max(BIO_MAX, `Your bio can be at most ${BIO_MAX.toLocaleString("en")} characters.`)),
  bioVisibility: z.enum(visibilities, "Choose who sees your bio."),
  conditionsVisibility: z.enum(visibilities, "Choose who sees your conditions."),
  joinedVisibility: z.enum(visibilities, "Choose who sees when you joined."),
});

function isTimeZone(value: string) {
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const appearanceSchema = z.object({
  theme: z.enum(themes, "Choose one of the themes."),
  timeZone: z
    .string()
    .trim()
    .max(64)
    .optional()
    .refine((v) => !v || isTimeZone(v), "Choose a time zone from the list, e.g. Europe/London."),
  textSize: z.enum(textSizes, "Choose one of the text sizes."),
  reducedMotion: z.literal("on").optional(),
});

/** The welcome page's three choices (its form has no motion checkbox). */
export const welcomeSchema = appearanceSchema.omit({ reducedMotion: true });

export const passwordChangeSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password.").max(PASSWORD_MAX, "That is too long."),
  newPassword: newPasswordSchema,
});

async function getUserRow(userId: number) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user || user.deletedAt) notFound("There is no such account.");
  return user;
}

/** Everything the settings page shows, for the member themself only. */
export async function getSettings(actor: Member) {
  const user = await getUserRow(actor.id);
  const [chosenRows, conditionBoards] = await Promise.all([
    db.select({ boardId: userConditions.boardId }).from(userConditions).where(eq(userConditions.userId, actor.id)),
    listConditionBoards(),
  ]);
  const chosen = new Set(chosenRows.map((r) => r.boardId));
  return {
    username: user.username,
    email: user.email,
    bio: user.bioMarkdown ?? "",
    bioVisibility: user.bioVisibility,
    conditionsVisibility: user.conditionsVisibility,
    joinedVisibility: user.joinedVisibility,
    conditions: conditionBoards.map((b) => ({ slug: b.slug, name: b.name, chosen: chosen.has(b.id) })),
    theme: (themes as readonly string[]).includes(user.theme) ? user.theme : "system",
    textSize: user.textSize,
    reducedMotion: user.reducedMotion,
    timeZone: user.timeZone ?? "",
  };
}

/**
 * For root.tsx: how to draw every page for this member. Applied as
 * `<html data-theme data-text-size data-reduced-motion>` (see app/styles/themes.css).
 */
export async function getUserPreferences(userId: number) {
  const [row] = await db
    .select({ theme: users.theme, textSize: users.textSize, reducedMotion: users.reducedMotion, timeZone: users.timeZone })
    .from(users)
    .where(eq(users.id, userId))
    .limit(1);
  return row ?? { theme: "system" as const, textSize: "normal" as const, reducedMotion: false, timeZone: null };
}

type ProfileInput = { bio: string; conditionSlugs: string[]; bioVisibility: Visibility; conditionsVisibility: Visibility; joinedVisibility: Visibility };

/** Bio (markdown, same pipeline as posts), conditions chosen from the boards, and who sees each. */
export async function updateProfileSettings(actor: Member, { conditionSlugs, ...input }: ProfileInput) {
  const bioHtml = input.bio ? renderMarkdown(input.bio) : null;
  const boards = (await listConditionBoards()).filter((b) => conditionSlugs.includes(b.slug));
  await transaction(async (tx) => {
    await tx
      .update(users)
      .set({
        bioMarkdown: input.bio || null,
        bioHtml,
        bioVisibility: input.bioVisibility,
        conditionsVisibility: input.conditionsVisibility,
        joinedVisibility: input.joinedVisibility,
      })
      .where(eq(users.id, actor.id));
    await tx.delete(userConditions).where(eq(userConditions.userId, actor.id));
    if (boards.length > 0) {
      await tx.insert(userConditions).values(boards.map((b) => ({ userId: actor.id, boardId: b.id })));
    }
  });
}

/** Theme, text size, time zone and motion; the welcome page leaves motion as it is. */
export async function updateAppearance(
  actor: Member,
  input: { theme: (typeof themes)[number]; textSize: (typeof textSizes)[number]; reducedMotion?: boolean; timeZone?: string | null },
) {
  await transaction(async (tx) => {
    await tx.update(users).set(input).where(eq(users.id, actor.id));
    // Digests come at the end of the quiet hours in the member's zone.
    await scheduleDigests(tx, actor.id);
  });
}

/**
 * The zone a member's browser reports, kept only while they have chosen none (their own choice,
 * "UTC" included once saved, always wins).
 */
export async function adoptTimeZone(actor: Member, timeZone: string): Promise<"adopted" | "kept" | "invalid"> {
  if (timeZone.length > 64 || !isTimeZone(timeZone)) return "invalid";
  const adopted = await transaction(async (tx) => {
    const rows = await tx
      .update(users)
      .set({ timeZone })
      .where(and(eq(users.id, actor.id), isNull(users.timeZone)))
      .returning({ id: users.id });
    if (rows.length > 0) await scheduleDigests(tx, actor.id);
    return rows;
  });
  return adopted.length > 0 ? "adopted" : "kept";
}

type Outcome = { ok: true } | { ok: false; errors: Record<string, string> };

/**
 * Needs the current password. On success every OTHER session of the member ends (a stolen
 * session must not outlive the password change); the one making the change stays signed in.
 * The new password and the end of those sessions commit together.
 */
export async function changePassword(actor: Member, currentSessionId: string, input: { currentPassword: string; newPassword: string }): Promise<Outcome> {
  const user = await getUserRow(actor.id);
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
    return { ok: false, errors: { currentPassword: "That isn't your current password." } };
  }
  if (input.currentPassword === input.newPassword) {
    return { ok: false, errors: { newPassword: "Choose a password different from your current one." } };
  }
  // Hashed before the transaction: argon2 is slow, and other writes wait while one is open.
  const passwordHash = await hashPassword(input.newPassword);
  await transaction(async (tx) => {
    await tx.update(users).set({ passwordHash }).where(eq(users.id, actor.id));
    await tx.delete(sessions).where(and(eq(sessions.userId, actor.id), ne(sessions.id, currentSessionId)));
  });
  return { ok: true };
}

const time = (date: Date | null) => date?.getTime() ?? 0;

/**
 * The member's sessions, this one first, then the most recently active: what browser and
 * system each is ("Firefox on Linux"), when it signed in and was last active (null for
 * sessions from before these were recorded), and `handle`, its public id, for logging it out.
 * Never the session ids: those are the cookies' secrets.
 */
export async function listSessions(actor: Member, currentSessionId: string) {
  const sessions = await listUserSessions(actor.id);
  return sessions
    .map((s) => ({
      handle: s.publicId,
      current: s.id === currentSessionId,
      device: describeUserAgent(s.userAgent),
      signedInAt: s.createdAt,
      lastActiveAt: s.lastSeenAt,
      expiresAt: s.expiresAt,
    }))
    .sort(
      (a, b) =>
        Number(b.current) - Number(a.current) ||
        time(b.lastActiveAt) - time(a.lastActiveAt) ||
        time(b.signedInAt) - time(a.signedInAt) ||
        b.expiresAt.getTime() - a.expiresAt.getTime(),
    );
}

export const sessionHandleSchema = z.object({
  session: z.string().regex(/^[0-9a-f]{32}$/, "That isn't a session on this page."),
});

/**
 * Logs out one of the member's own sessions, named by its handle. Not the session making the
 * request (the header's Log out is for that). Another member's handle ends nothing and gets the
 * same answer as one already ended, so trying handles says nothing about other members.
 */
export async function logOutSession(actor: Member, current: { id: string; publicId: string }, handle: string): Promise<Outcome> {
  if (handle === current.publicId) {
    return { ok: false, errors: { form: "That is the device you're using now. To log out here, use Log out at the top of the page." } };
  }
  if (await endUserSession(actor.id, handle, current.id)) return { ok: true };
  return { ok: false, errors: { form: "That session had already ended, so there was nothing to log out." } };
}

export async function logOutOtherSessions(actor: Member, currentSessionId: string) {
  await endOtherSessions(actor.id, currentSessionId);
}
