import { createHash, randomBytes } from "node:crypto";
import { and, asc, count, desc, eq, gt, lt } from "drizzle-orm";
import { bestEffort, db, excluded, transaction, type Executor, type Tx } from "../../db/client.ts";
import { boards, conversationMembers, conversations, drafts, pendingDrafts, posts, threads } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { isWarningKind } from "../utils/content-warnings.ts";
import { BODY_MAX, TITLE_MAX, WARNING_TEXT_MAX } from "../utils/limits.ts";
import { logEvent } from "../utils/logger.server.ts";
import { MESSAGE_MAX, RECIPIENTS_FIELD_MAX, SUBJECT_MAX } from "../utils/messages.ts";
import { canEditPost, type Actor } from "../utils/permissions.ts";
import { stillIn, threadStateColumns, threadRefusal } from "./visibility.server.ts";

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

export type DraftTarget =
  | { kind: "thread"; boardSlug: string }
  | { kind: "reply"; threadId: number }
  | { kind: "edit"; postId: number }
  | { kind: "message"; conversationId: number }
  | { kind: "new-message"; to: string | null };

export const threadDraftKey = (boardSlug: string) => `thread:${boardSlug}`;
export const replyDraftKey = (threadId: number) => `reply:${threadId}`;
export const editDraftKey = (postId: number) => `edit:${postId}`;
export const messageDraftKey = (conversationId: number) => `message:${conversationId}`;

const USERNAME = /^[a-z0-9_-]{1,24}$/;

/**
 * A new message's draft. "Send a message" on a profile (`?to=<one name>`) gets a draft of its own
 * per member, so starting to write to one person never shows, or overwrites, what was meant for another.
 */
export function newMessageDraftKey(to?: string | null) {
  const name = (to ?? "").trim().replace(/^@/, "").toLowerCase();
  return USERNAME.test(name) ? `message:new:${name}` : "message:new";
}

/** Only the forms that keep drafts; anything else is not a key we wrote. */
export function parseDraftKey(key: string): DraftTarget | null {
  const thread = /^thread:([a-z0-9-]{1,80})$/.exec(key);
  if (thread) return { kind: "thread", boardSlug: thread[1]! };
  const newMessage = /^message:new(?::([a-z0-9_-]{1,24}))?$/.exec(key);
  if (newMessage) return { kind: "new-message", to: newMessage[1] ?? null };
  const byId = /^(reply|edit|message):([1-9]\d{0,15})$/.exec(key);
  if (!byId || !Number.isSafeInteger(Number(byId[2]))) return null;
  const id = Number(byId[2]);
  if (byId[1] === "message") return { kind: "message", conversationId: id };
  return byId[1] === "reply" ? { kind: "reply", threadId: id } : { kind: "edit", postId: id };
}

/** The form a draft belongs to, so /drafts and the login redirect can send the member back. */
export function draftHref(key: string) {
  const target = parseDraftKey(key);
  if (!target) return "/";
  if (target.kind === "thread") return `/boards/${target.boardSlug}/new`;
  if (target.kind === "reply") return `/threads/${target.threadId}#reply-heading`;
  if (target.kind === "message") return `/messages/${target.conversationId}#reply-heading`;
  if (target.kind === "new-message") return target.to ? `/messages/new?to=${target.to}` : "/messages/new";
  return `/posts/${target.postId}/edit`;
}

function requireKey(key: string) {
  const target = parseDraftKey(key);
  if (!target) notFound("There is no form to keep a draft for.");
  return target;
}

/**
 * What a form holds: the text, and the content warning chosen for it (kept with it, checked on
 * posting); for a new message, its subject (as `title`) and its "To" field.
 */
type Text = { title?: string | null; body: string; warningKind?: string | null; warningText?: string | null; recipients?: string | null };

// Drafts hold what was typed in the fields their form has, capped like the form itself (the
// fields' maxLength); a warning kind that isn't one of ours is not kept. Messages have no warnings.
function clip(key: string, { title, body, warningKind, warningText, recipients }: Text) {
  const target = parseDraftKey(key);
  if (target?.kind === "message" || target?.kind === "new-message") {
    const fresh = target.kind === "new-message";
    return {
      title: fresh && title ? title.slice(0, SUBJECT_MAX) : null,
      body: body.slice(0, MESSAGE_MAX),
      warningKind: null,
      warningText: null,
      recipients: fresh && recipients ? recipients.slice(0, RECIPIENTS_FIELD_MAX) : null,
    };
  }
  return {
    title: title ? title.slice(0, TITLE_MAX) : null,
    body: body.slice(0, BODY_MAX),
    warningKind: isWarningKind(warningKind) ? warningKind : null,
    warningText: warningText ? warningText.slice(0, WARNING_TEXT_MAX) : null,
    recipients: null,
  };
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
async function postAuthorId(tx: Tx, postId: number) {
  const [row] = await tx.select({ authorId: posts.authorId }).from(posts).where(eq(posts.id, postId)).limit(1);
  return row?.authorId;
}

/** The conversation's subject when the member is in it now; null when they left it, were never in it, or it doesn't exist. */
async function subjectIfIn(executor: Executor, userId: number, conversationId: number) {
  const [row] = await executor
    .select({ subject: conversations.subject })
    .from(conversationMembers)
    .innerJoin(conversations, eq(conversations.id, conversationMembers.conversationId))
    .where(stillIn(userId, conversationId))
    .limit(1);
  return row?.subject ?? null;
}

async function upsert(tx: Tx, userId: number, key: string, text: Text, now: Date) {
  await tx
    .insert(drafts)
    .values({ userId, key, ...clip(key, text), updatedAt: now })
    .onConflictDoUpdate({
      target: [drafts.userId, drafts.key],
      set: {
        title: excluded(drafts.title),
        body: excluded(drafts.body),
        warningKind: excluded(drafts.warningKind),
        warningText: excluded(drafts.warningText),
        recipients: excluded(drafts.recipients),
        updatedAt: excluded(drafts.updatedAt),
      },
    });
}

const ofMember = (userId: number, key: string) => and(eq(drafts.userId, userId), eq(drafts.key, key));

export async function getDraft(actor: Member, key: string) {
  requireKey(key);
  const [row] = await db
    .select({
      title: drafts.title,
      body: drafts.body,
      warningKind: drafts.warningKind,
      warningText: drafts.warningText,
      recipients: drafts.recipients,
      updatedAt: drafts.updatedAt,
    })
    .from(drafts)
    .where(ofMember(actor.id, key))
    .limit(1);
  return row ?? null;
}

/**
 * Saves (or replaces) the member's draft for one form. Empty text removes the draft rather
 * than keeping a blank one. Returns when it was saved, or null when nothing is kept.
 */
export async function saveDraft(actor: Member, key: string, text: Text, now = new Date()) {
  const target = requireKey(key);
  return transaction(async (tx) => {
    // A draft for a form that doesn't exist would sit on /drafts forever.
    if (target.kind === "edit") {
      const authorId = await postAuthorId(tx, target.postId);
      if (authorId === undefined) notFound("There is no form to keep a draft for.");
      if (authorId !== actor.id) forbidden("Only the author can edit this post.");
    } else if (target.kind === "message") {
      // The same 404 as for no conversation: a draft must not tell anyone a conversation exists.
      if ((await subjectIfIn(tx, actor.id, target.conversationId)) === null) notFound("There is no form to keep a draft for.");
    } else if (target.kind !== "new-message") {
      const [exists] =
        target.kind === "thread"
          ? await tx.select({ id: boards.id }).from(boards).where(eq(boards.slug, target.boardSlug)).limit(1)
          : await tx.select({ id: threads.id }).from(threads).where(eq(threads.id, target.threadId)).limit(1);
      if (!exists) notFound("There is no form to keep a draft for.");
    }
    if (isBlank(text)) {
      await tx.delete(drafts).where(ofMember(actor.id, key));
      return null;
    }
    await upsert(tx, actor.id, key, text, now);
    return now;
  });
}

/** After a successful post: the draft has become the post. */
export async function discardDraft(actor: Member, key: string) {
  await transaction((tx) => tx.delete(drafts).where(ofMember(actor.id, key)));
}

/** The discard button on /drafts: someone else's draft is a 403, a missing one a 404. */
export async function discardDraftById(actor: Member, draftId: number) {
  await transaction(async (tx) => {
    const [row] = await tx.select({ userId: drafts.userId }).from(drafts).where(eq(drafts.id, draftId)).limit(1);
    if (!row) notFound("That draft is already gone.");
    if (row.userId !== actor.id) forbidden("That draft isn't yours.");
    await tx.delete(drafts).where(eq(drafts.id, draftId));
  });
}

export type DraftListItem = {
  id: number;
  key: string;
  title: string | null;
  /** A new message's "To" field, as typed. */
  recipients: string | null;
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
  ...threadStateColumns(),
};

/**
 * The member's drafts, newest first, each with a name for its form and a link back to it. A
 * thread the member may no longer open (visibility.server.ts), or a conversation they are not in,
 * is not named; the text stays theirs.
 */
export async function listDrafts(actor: Member): Promise<DraftListItem[]> {
  const rows = await db
    .select({ id: drafts.id, key: drafts.key, title: drafts.title, body: drafts.body, recipients: drafts.recipients, updatedAt: drafts.updatedAt })
    .from(drafts)
    .where(eq(drafts.userId, actor.id))
    .orderBy(desc(drafts.updatedAt), desc(drafts.id))
    .limit(200);
  return Promise.all(
    rows.map(async (row): Promise<DraftListItem> => {
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
        const [board] = await db.select({ name: boards.name }).from(boards).where(eq(boards.slug, target.boardSlug)).limit(1);
        if (board) where = `New thread in ${board.name}`;
      } else if (target?.kind === "reply") {
        const [thread] = await db.select(threadState).from(threads).where(eq(threads.id, target.threadId)).limit(1);
        if (thread && threadRefusal(actor, thread) !== null) threadGone("Reply to");
        else if (thread) where = `Reply to “${thread.title}”`;
      } else if (target?.kind === "message") {
        // Only a member names it: a key made up, or claimed, for someone else's conversation reveals nothing.
        const subject = await subjectIfIn(db, actor.id, target.conversationId);
        if (subject !== null) where = `Message in “${subject}”`;
        else {
          where = "A message in a conversation you're not in";
          href = null;
          note = "You're not in this conversation, so it can't be opened. Your whole text is below so you can copy it.";
        }
      } else if (target?.kind === "new-message") {
        where = target.to ? `New message to ${target.to}` : "New message";
      } else if (target?.kind === "edit") {
        const [post] = await db
          .select({ authorId: posts.authorId, deletedAt: posts.deletedAt, removedAt: posts.removedAt, thread: threadState })
          .from(posts)
          .innerJoin(threads, eq(threads.id, posts.threadId))
          .where(eq(posts.id, target.postId))
          .limit(1);
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
      return { id: row.id, key: row.key, title: row.title, recipients: row.recipients, excerpt, updatedAt: row.updatedAt, where, href, note };
    }),
  );
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

const expiredBy = (now: Date) => lt(pendingDrafts.createdAt, new Date(now.getTime() - PENDING_TTL_MS));

/** Deletes expired pending text; returns how many texts went. */
async function deleteExpired(tx: Tx, now: Date) {
  const gone = await tx.delete(pendingDrafts).where(expiredBy(now)).returning({ tokenHash: pendingDrafts.tokenHash });
  return gone.length;
}

export async function sweepPendingText(now = new Date()) {
  return transaction((tx) => deleteExpired(tx, now));
}

let sweeper: ReturnType<typeof setInterval> | undefined;
/** Started by the first text kept, so a process that keeps none runs no timer. */
function keepSweeping() {
  sweeper ??= setInterval(() => {
    // Best effort: a locked or read-only database is tried again next time.
    bestEffort((tx) => deleteExpired(tx, new Date())).catch((error: unknown) => {
      logEvent("pending_text.sweep_failed", { error: String(error) }, "error");
    });
  }, PENDING_SWEEP_MS).unref();
}

export type PendingKept = { ok: true; token: string } | { ok: false; retryAfterSeconds: number };

/**
 * Keeps text posted by someone whose session has ended, until they log in again. Returns the
 * token that claims it (random, single use, one hour; only its hash is stored), or, when
 * PENDING_MAX texts are already waiting, when the oldest of them expires.
 */
export async function keepPendingText(key: string, text: Text, now = new Date()): Promise<PendingKept> {
  requireKey(key);
  keepSweeping();
  const token = randomBytes(24).toString("base64url");
  const tokenHash = hashToken(token);
  const kept = clip(key, text);
  return transaction(async (tx): Promise<PendingKept> => {
    await deleteExpired(tx, now);
    const [counted] = await tx.select({ n: count() }).from(pendingDrafts).limit(1);
    if ((counted?.n ?? 0) >= PENDING_MAX) {
      const [oldest] = await tx.select({ at: pendingDrafts.createdAt }).from(pendingDrafts).orderBy(asc(pendingDrafts.createdAt)).limit(1);
      const freedAt = (oldest?.at.getTime() ?? now.getTime()) + PENDING_TTL_MS;
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((freedAt - now.getTime()) / 1000)) };
    }
    await tx.insert(pendingDrafts).values({ tokenHash, key, ...kept, createdAt: now });
    return { ok: true, token };
  });
}

/**
 * After logging in: the pending text becomes the member's draft for its form. Returns the
 * draft's key, or null when the token is unknown, used or expired.
 */
export async function claimPendingDraft(actor: Member, token: string | null, now = new Date()) {
  if (!token || !/^[A-Za-z0-9_-]{10,100}$/.test(token)) return null;
  const tokenHash = hashToken(token);
  return transaction(async (tx) => {
    await deleteExpired(tx, now);
    const [row] = await tx
      .delete(pendingDrafts)
      .where(and(eq(pendingDrafts.tokenHash, tokenHash), gt(pendingDrafts.createdAt, new Date(now.getTime() - PENDING_TTL_MS))))
      .returning();
    if (!row) return null;
    // Anyone can post text to an edit form while logged out; it only becomes the author's draft.
    const target = parseDraftKey(row.key);
    if (target?.kind === "edit" && (await postAuthorId(tx, target.postId)) !== actor.id) return null;
    await upsert(tx, actor.id, row.key, row, now);
    return row.key;
  });
}
