import { createHash, randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gt, lt, sql } from "drizzle-orm";
import { bestEffort, db, excluded, prepared, waitForWriteLock, type Tx } from "../../db/client.ts";
import { boards, drafts, pendingDrafts, posts, threads } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { BODY_MAX, TITLE_MAX } from "../utils/limits.ts";
import { logEvent } from "../utils/logger.server.ts";
import { canEditPost, type Actor } from "../utils/permissions.ts";
import { takeWriteTurn, withWriteTurns } from "../utils/write-turn.server.ts";
import { threadRefusal } from "./visibility.server.ts";

type Member = NonNullable<Actor>;

/** Pending text (from an expired session) waits this long for its writer to log in again. */
export const PENDING_TTL_MS = 60 * 60 * 1000;
/**
 * At most this many texts wait at once (each up to ~20 KB; rate-limit.server.ts limits how many
 * one client IP may leave). When full, new text is refused (its writer still sees it) rather than
 * pushing out text that someone is logging in to claim.
 */
export const PENDING_MAX = 1_000;
/** Expired text is deleted this often, even when nobody keeps or claims any. */
export const PENDING_SWEEP_MS = 10 * 60 * 1000;

export type DraftTarget = { kind: "thread"; boardSlug: string } | { kind: "reply"; threadId: number } | { kind: "edit"; postId: number };

export const threadDraftKey = (boardSlug: string) => `thread:${boardSlug}`;
export const replyDraftKey = (threadId: number) => `reply:${threadId}`;
export const editDraftKey = (postId: number) => `edit:${postId}`;

/** Only the three forms that keep drafts; anything else is not a key we wrote. */
export function parseDraftKey(key: string): DraftTarget | null {
  const thread = /^thread:([a-z0-9-]{1,80})$/.exec(key);
  if (thread) return { kind: "thread", boardSlug: thread[1]! };
  const byId = /^(reply|edit):([1-9]\d{0,15})$/.exec(key);
  if (!byId || !Number.isSafeInteger(Number(byId[2]))) return null;
  return byId[1] === "reply" ? { kind: "reply", threadId: Number(byId[2]) } : { kind: "edit", postId: Number(byId[2]) };
}

/** The form a draft belongs to, so /drafts and the login redirect can send the member back. */
export function draftHref(key: string) {
  const target = parseDraftKey(key);
  if (!target) return "/";
  if (target.kind === "thread") return `/boards/${target.boardSlug}/new`;
  if (target.kind === "reply") return `/threads/${target.threadId}#reply-heading`;
  return `/posts/${target.postId}/edit`;
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

/**
 * An edit draft is only ever its post's author's. Ownership, not canEditPost, decides whether
 * text is *kept*: a post removed (or an account made read-only) mid-edit must not take the
 * member's text with it. Whether the draft is *offered* for editing is canEditPost's call
 * (the edit page's getPostForEdit, and listDrafts below).
 */
function postAuthorId(tx: Tx, postId: number) {
  return tx.select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, postId)).get()?.authorId;
}

// Every post saves its text as a draft first and discards it after, inside the write turn
// (db/client.ts, `prepared`).
const draftQueries = prepared((executor) => {
  const ofMember = and(eq(drafts.userId, sql.placeholder("userId")), eq(drafts.key, sql.placeholder("key")));
  return {
    upsert: executor
      .insert(drafts)
      .values({
        userId: sql.placeholder("userId"),
        key: sql.placeholder("key"),
        title: sql.placeholder("title"),
        body: sql.placeholder("body"),
        updatedAt: sql.placeholder("now"),
      })
      .onConflictDoUpdate({
        target: [drafts.userId, drafts.key],
        set: { title: excluded(drafts.title), body: excluded(drafts.body), updatedAt: excluded(drafts.updatedAt) },
      })
      .prepare(),
    discard: executor.delete(drafts).where(ofMember).prepare(),
    threadExists: executor
      .select({ id: threads.id })
      .from(threads)
      .where(eq(threads.id, sql.placeholder("threadId")))
      .prepare(),
  };
});

function upsert(tx: Tx, userId: number, key: string, text: Text, now: Date) {
  draftQueries(tx).upsert.run({ userId, key, ...clip(text), now });
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
      if (target.kind === "edit") {
        const authorId = postAuthorId(tx, target.postId);
        if (authorId === undefined) notFound("There is no form to keep a draft for.");
        if (authorId !== actor.id) forbidden("Only the author can edit this post.");
      } else {
        const exists =
          target.kind === "thread"
            ? tx.select({ id: boards.id }).from(boards).where(eq(boards.slug, target.boardSlug)).get()
            : draftQueries(tx).threadExists.get({ threadId: target.threadId });
        if (!exists) notFound("There is no form to keep a draft for.");
      }
      if (isBlank(text)) {
        draftQueries(tx).discard.run({ userId: actor.id, key });
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
  draftQueries(db).discard.run({ userId: actor.id, key });
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

export type DraftListItem = {
  id: number;
  key: string;
  title: string | null;
  /** The start of the text; all of it when the form can't be opened, so it can be copied. */
  excerpt: string;
  updatedAt: Date;
  where: string;
  /** Back to the form, or null when it can't be opened now (then `note` says why). */
  href: string | null;
  note: string | null;
};

// What listDrafts reads of a thread: its title, and what the visibility rule needs to say whether to name it.
const threadState = {
  title: threads.title,
  authorId: threads.authorId,
  removedAt: threads.removedAt,
  removedById: threads.removedById,
  removalReason: threads.removalReason,
};

/**
 * The member's drafts, newest first, each with a name for its form and a link back to it. A
 * thread the member may no longer open (visibility.server.ts) is not named; the text stays theirs.
 */
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
    let href: string | null = draftHref(row.key);
    let note: string | null = null;
    const threadGone = (what: string) => {
      where = `${what} a thread that was removed`;
      href = null;
      note = "This thread was removed, so it can't be opened now. Your whole text is below so you can copy it.";
    };
    if (target?.kind === "thread") {
      const board = db.select({ name: boards.name }).from(boards).where(eq(boards.slug, target.boardSlug)).get();
      if (board) where = `New thread in ${board.name}`;
    } else if (target?.kind === "reply") {
      const thread = db.select(threadState).from(threads).where(eq(threads.id, target.threadId)).get();
      if (thread && threadRefusal(actor, thread) !== null) threadGone("Reply to");
      else if (thread) where = `Reply to “${thread.title}”`;
    } else if (target?.kind === "edit") {
      const post = db
        .select({ authorId: posts.authorId, deletedAt: posts.deletedAt, removedAt: posts.removedAt, thread: threadState })
        .from(posts)
        .innerJoin(threads, eq(threads.id, posts.threadId))
        .where(eq(posts.id, target.postId))
        .get();
      if (post?.authorId === actor.id && threadRefusal(actor, post.thread) !== null) {
        threadGone("Edit of your post in");
      } else if (post?.authorId === actor.id) {
        where = `Edit of your post in “${post.thread.title}”`;
        // Kept rather than dropped: a removal can be undone, and the text is the member's. But
        // the edit page would refuse it, so no link; the whole text is shown to copy instead.
        if (!canEditPost(actor, post)) {
          href = null;
          note = "This post can't be edited now: it was deleted or removed, or your account is read-only. Your whole text is below so you can copy it.";
        }
      }
    }
    const excerpt = href && row.body.length > 200 ? `${row.body.slice(0, 200)}…` : row.body;
    return { id: row.id, key: row.key, title: row.title, excerpt, updatedAt: row.updatedAt, where, href, note };
  });
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const expiredBy = (now: Date) => lt(pendingDrafts.createdAt, new Date(now.getTime() - PENDING_TTL_MS));

export function sweepPendingText(now = new Date()) {
  return db.delete(pendingDrafts).where(expiredBy(now)).run().changes;
}

let sweeper: ReturnType<typeof setInterval> | undefined;
/** Started by the first text kept, so a process that keeps none runs no timer. */
function keepSweeping() {
  sweeper ??= setInterval(() => {
    void withWriteTurns(async (finish) => {
      try {
        await takeWriteTurn();
        // Best effort: a locked or read-only database is tried again next time.
        if (await waitForWriteLock()) bestEffort(() => sweepPendingText());
      } catch (error) {
        logEvent("pending_text.sweep_failed", { error: String(error) }, "error");
      } finally {
        finish();
      }
    });
  }, PENDING_SWEEP_MS).unref();
}

export type PendingKept = { ok: true; token: string } | { ok: false; retryAfterSeconds: number };

/**
 * Keeps text posted by someone whose session has ended, until they log in again. Returns the
 * token that claims it (random, single use, one hour; only its hash is stored), or, when
 * PENDING_MAX texts are already waiting, when the oldest of them expires.
 */
export function keepPendingText(key: string, text: Text, now = new Date()): PendingKept {
  requireKey(key);
  keepSweeping();
  const token = randomBytes(24).toString("base64url");
  const { title, body } = clip(text);
  return db.transaction(
    (tx): PendingKept => {
      tx.delete(pendingDrafts).where(expiredBy(now)).run();
      const waiting = tx.select({ n: count() }).from(pendingDrafts).get()?.n ?? 0;
      if (waiting >= PENDING_MAX) {
        const oldest = tx.select({ at: pendingDrafts.createdAt }).from(pendingDrafts).orderBy(asc(pendingDrafts.createdAt)).limit(1).get();
        const freedAt = (oldest?.at.getTime() ?? now.getTime()) + PENDING_TTL_MS;
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freedAt - now.getTime()) / 1000)) };
      }
      tx.insert(pendingDrafts)
        .values({ tokenHash: hashToken(token), key, title, body, createdAt: now })
        .run();
      return { ok: true, token };
    },
    { behavior: "immediate" },
  );
}

/**
 * After logging in: the pending text becomes the member's draft for its form. Returns the
 * draft's key, or null when the token is unknown, used or expired.
 */
export function claimPendingDraft(actor: Member, token: string, now = new Date()) {
  if (!/^[A-Za-z0-9_-]{10,100}$/.test(token)) return null;
  return db.transaction(
    (tx) => {
      tx.delete(pendingDrafts).where(expiredBy(now)).run();
      const row = tx
        .delete(pendingDrafts)
        .where(and(eq(pendingDrafts.tokenHash, hashToken(token)), gt(pendingDrafts.createdAt, new Date(now.getTime() - PENDING_TTL_MS))))
        .returning()
        .get();
      if (!row) return null;
      // Anyone can post text to an edit form while logged out; it only becomes the author's draft.
      const target = parseDraftKey(row.key);
      if (target?.kind === "edit" && postAuthorId(tx, target.postId) !== actor.id) return null;
      upsert(tx, actor.id, row.key, { title: row.title, body: row.body }, now);
      return row.key;
    },
    { behavior: "immediate" },
  );
}
