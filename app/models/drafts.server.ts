import { createHash, randomBytes } from "node:crypto";
import { and, desc, eq, gt, lt } from "drizzle-orm";
import { db } from "../../db/client.ts";
import { boards, drafts, pendingDrafts, threads } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { BODY_MAX, TITLE_MAX } from "../utils/limits.ts";
import type { Actor } from "../utils/permissions.ts";

type Member = NonNullable<Actor>;
type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0];

/** Pending text (from an expired session) waits this long for its writer to log in again. */
export const PENDING_TTL_MS = 60 * 60 * 1000;

export type DraftTarget = { kind: "thread"; boardSlug: string } | { kind: "reply"; threadId: number };

export const threadDraftKey = (boardSlug: string) => `thread:${boardSlug}`;
export const replyDraftKey = (threadId: number) => `reply:${threadId}`;

/** Only the two forms that keep drafts; anything else is not a key we wrote. */
export function parseDraftKey(key: string): DraftTarget | null {
  const thread = /^thread:([a-z0-9-]{1,80})$/.exec(key);
  if (thread) return { kind: "thread", boardSlug: thread[1]! };
  const reply = /^reply:([1-9]\d{0,15})$/.exec(key);
  if (reply && Number.isSafeInteger(Number(reply[1]))) return { kind: "reply", threadId: Number(reply[1]) };
  return null;
}

/** The form a draft belongs to, so /drafts and the login redirect can send the member back. */
export function draftHref(key: string) {
  const target = parseDraftKey(key);
  if (!target) return "/";
  return target.kind === "thread" ? `/boards/${target.boardSlug}/new` : `/threads/${target.threadId}#reply-heading`;
}

function requireKey(key: string) {
  const target = parseDraftKey(key);
  if (!target) notFound("There is no form to keep a draft for.");
  return target;
}

type Text = { title?: string | null; body: string };

// Drafts hold what was typed, capped like the form itself (the textarea's maxLength).
function clip({ title, body }: Text) {
  return { title: title ? title.slice(0, TITLE_MAX) : null, body: body.slice(0, BODY_MAX) };
}

function isBlank({ title, body }: Text) {
  return !(title ?? "").trim() && !body.trim();
}

function upsert(tx: Tx, userId: number, key: string, text: Text, now: Date) {
  const { title, body } = clip(text);
  tx.insert(drafts)
    .values({ userId, key, title, body, updatedAt: now })
    .onConflictDoUpdate({ target: [drafts.userId, drafts.key], set: { title, body, updatedAt: now } })
    .run();
}

export function getDraft(actor: Member, key: string) {
  requireKey(key);
  const row = db
    .select({ title: drafts.title, body: drafts.body, updatedAt: drafts.updatedAt })
    .from(drafts)
    .where(and(eq(drafts.userId, actor.id), eq(drafts.key, key)))
    .get();
  return row ?? null;
}

/**
 * Saves (or replaces) the member's draft for one form. Empty text removes the draft rather
 * than keeping a blank one. Returns when it was saved, or null when nothing is kept.
 */
export function saveDraft(actor: Member, key: string, text: Text, now = new Date()) {
  const target = requireKey(key);
  return db.transaction(
    (tx) => {
      // A draft for a form that doesn't exist would sit on /drafts forever.
      const exists =
        target.kind === "thread"
          ? tx.select({ id: boards.id }).from(boards).where(eq(boards.slug, target.boardSlug)).get()
          : tx.select({ id: threads.id }).from(threads).where(eq(threads.id, target.threadId)).get();
      if (!exists) notFound("There is no form to keep a draft for.");
      if (isBlank(text)) {
        tx.delete(drafts).where(and(eq(drafts.userId, actor.id), eq(drafts.key, key))).run();
        return null;
      }
      upsert(tx, actor.id, key, text, now);
      return now;
    },
    { behavior: "immediate" },
  );
}

/** After a successful post: the draft has become the post. */
export function discardDraft(actor: Member, key: string) {
  db.delete(drafts).where(and(eq(drafts.userId, actor.id), eq(drafts.key, key))).run();
}

/** The discard button on /drafts: someone else's draft is a 403, a missing one a 404. */
export function discardDraftById(actor: Member, draftId: number) {
  return db.transaction(
    (tx) => {
      const row = tx.select({ userId: drafts.userId }).from(drafts).where(eq(drafts.id, draftId)).get();
      if (!row) notFound("That draft is already gone.");
      if (row.userId !== actor.id) forbidden("That draft isn't yours.");
      tx.delete(drafts).where(eq(drafts.id, draftId)).run();
    },
    { behavior: "immediate" },
  );
}

export type DraftListItem = { id: number; key: string; title: string | null; excerpt: string; updatedAt: Date; where: string; href: string };

/** The member's drafts, newest first, each with a name for its form and a link back to it. */
export function listDrafts(actor: Member): DraftListItem[] {
  const rows = db
    .select({ id: drafts.id, key: drafts.key, title: drafts.title, body: drafts.body, updatedAt: drafts.updatedAt })
    .from(drafts)
    .where(eq(drafts.userId, actor.id))
    .orderBy(desc(drafts.updatedAt), desc(drafts.id))
    .limit(200)
    .all();
  return rows.map((row) => {
    const target = parseDraftKey(row.key);
    let where = "A form that no longer exists";
    if (target?.kind === "thread") {
      const board = db.select({ name: boards.name }).from(boards).where(eq(boards.slug, target.boardSlug)).get();
      if (board) where = `New thread in ${board.name}`;
    } else if (target?.kind === "reply") {
      const thread = db.select({ title: threads.title }).from(threads).where(eq(threads.id, target.threadId)).get();
      if (thread) where = `Reply to “${thread.title}”`;
    }
    const excerpt = row.body.length > 200 ? `${row.body.slice(0, 200)}…` : row.body;
    return { id: row.id, key: row.key, title: row.title, excerpt, updatedAt: row.updatedAt, where, href: draftHref(row.key) };
  });
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

/**
 * Keeps text posted by someone whose session has ended, until they log in again. Returns the
 * token that claims it (random, single use, one hour); only its hash is stored.
 */
export function keepPendingText(key: string, text: Text, now = new Date()) {
  requireKey(key);
  const token = randomBytes(24).toString("base64url");
  const { title, body } = clip(text);
  db.transaction(
    (tx) => {
      // Sweep expired text here, so nothing lingers and no job is needed.
      tx.delete(pendingDrafts).where(lt(pendingDrafts.createdAt, new Date(now.getTime() - PENDING_TTL_MS))).run();
      tx.insert(pendingDrafts).values({ tokenHash: hashToken(token), key, title, body, createdAt: now }).run();
    },
    { behavior: "immediate" },
  );
  return token;
}

/**
 * After logging in: the pending text becomes the member's draft for its form. Returns the
 * draft's key, or null when the token is unknown, used or expired.
 */
export function claimPendingDraft(actor: Member, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{10,100}$/.test(token)) return null;
  return db.transaction(
    (tx) => {
      const row = tx
        .delete(pendingDrafts)
        .where(and(eq(pendingDrafts.tokenHash, hashToken(token)), gt(pendingDrafts.createdAt, new Date(now.getTime() - PENDING_TTL_MS))))
        .returning()
        .get();
      if (!row) return null;
      upsert(tx, actor.id, row.key, { title: row.title, body: row.body }, now);
      return row.key;
    },
    { behavior: "immediate" },
  );
}
