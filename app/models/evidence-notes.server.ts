// Evidence notes: instead of removing a post that gets the evidence wrong, a moderator adds a
// short note under it that points to an article or a reference. The post itself is untouched.
import { and, eq } from "drizzle-orm";
import { db, prepared, transaction } from "../../db/client.ts";
import { articles, evidenceNotes, users } from "../../db/schema.ts";
import type { FieldErrors } from "../utils/forms.server.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { EVIDENCE_NOTE_MAX } from "../utils/limits.ts";
import { renderMarkdown } from "../utils/markdown.server.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";
import { idSlots, inIdSlots } from "./id-list.server.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { requireReadablePost } from "./visibility.server.ts";

export type EvidenceNoteView = {
  id: number;
  bodyHtml: string;
  moderator: string;
  createdAt: Date;
  updatedAt: Date | null;
};

export type EvidenceNoteInput = {
  /** The note as the moderator typed it (markdown). */
  body: string;
  /** Optional: a published article to link at the end of the note. */
  articleSlug?: string | null;
};

function requireStaffActor(actor: Actor): asserts actor is NonNullable<Actor> {
  if (!isStaff(actor)) forbidden("Only moderators can add evidence notes.");
}

// Every thread page runs this, so it is built once (db/client.ts, `prepared`).
const notesForPosts = prepared(() =>
  db
    .select({
      id: evidenceNotes.id,
      postId: evidenceNotes.postId,
      bodyHtml: evidenceNotes.bodyHtml,
      moderator: users.username,
      createdAt: evidenceNotes.createdAt,
      updatedAt: evidenceNotes.updatedAt,
    })
    .from(evidenceNotes)
    .innerJoin(users, eq(users.id, evidenceNotes.authorId))
    .where(inIdSlots(evidenceNotes.postId))
    .prepare(),
);

/** Notes for the posts on one page of a thread, keyed by post id (a plain object, so it survives json()). */
export async function getEvidenceNotes(postIds: number[]): Promise<Record<number, EvidenceNoteView>> {
  const rows = await Promise.all(idSlots(postIds).map((ids) => notesForPosts().execute(ids)));
  const out: Record<number, EvidenceNoteView> = {};
  for (const { postId, ...note } of rows.flat()) out[postId] = note;
  return out;
}

async function getNoteRow(postId: number) {
  const [note] = await db
    .select({
      id: evidenceNotes.id,
      bodyMarkdown: evidenceNotes.bodyMarkdown,
      bodyHtml: evidenceNotes.bodyHtml,
      moderator: users.username,
      createdAt: evidenceNotes.createdAt,
      updatedAt: evidenceNotes.updatedAt,
    })
    .from(evidenceNotes)
    .innerJoin(users, eq(users.id, evidenceNotes.authorId))
    .where(eq(evidenceNotes.postId, postId))
    .limit(1);
  return note;
}

/** The staff page: the post, its current note (if any) and the articles a note can link. */
export async function getEvidenceEditor(actor: Actor, postId: number) {
  requireStaffActor(actor);
  const post = await requireReadablePost(actor, postId);
  const [note, articleChoices] = await Promise.all([
    getNoteRow(postId),
    db.select({ slug: articles.slug, title: articles.title }).from(articles).where(eq(articles.status, "published")).orderBy(articles.title),
  ]);
  return {
    // The words as the visibility rule shows them to staff: a removed post's, not a deleted one's.
    post: {
      id: post.id,
      threadId: post.threadId,
      number: post.number,
      author: post.author,
      createdAt: post.createdAt,
      threadTitle: post.threadTitle,
      bodyHtml: post.bodyHtml,
    },
    note: note ?? null,
    articles: articleChoices,
  };
}

// Markdown punctuation in an article title must stay text inside the link.
const escapeMarkdown = (text: string) => text.replace(/([\\`*_[\]<>#!|~])/g, "\\$1");

/**
 * The stored markdown: the moderator's words, then a link to the chosen article. Links must be
 * absolute (the markdown pipeline drops relative ones), hence the site origin.
 */
async function composeNote(input: EvidenceNoteInput, siteOrigin: string): Promise<{ ok: true; markdown: string } | { ok: false; errors: FieldErrors }> {
  const body = input.body.replace(/\r\n?/g, "\n").trim();
  if (!body) return { ok: false, errors: { body: "Write the note before saving." } };
  if (body.length > EVIDENCE_NOTE_MAX)
    return { ok: false, errors: { body: `Evidence notes are at most ${EVIDENCE_NOTE_MAX.toLocaleString("en")} characters.` } };
  let markdown = body;
  if (input.articleSlug) {
    const [article] = await db
      .select({ slug: articles.slug, title: articles.title, status: articles.status })
      .from(articles)
      .where(eq(articles.slug, input.articleSlug))
      .limit(1);
    if (!article || article.status !== "published") return { ok: false, errors: { article: "Choose a published article from the list." } };
    markdown += `\n\nRead more: [${escapeMarkdown(article.title)}](${siteOrigin}/articles/${article.slug})`;
  }
  return { ok: true, markdown };
}

/** A note must point somewhere: an article, or a reference link (DOI, PubMed, guideline...). */
const hasLink = (html: string) => /<a href="(?:https?|mailto):/.test(html);
const NEEDS_LINK = "Link an article from the list, or add a link to a reference in the note (for example https://doi.org/… or a PubMed address).";

export async function previewEvidenceNote(input: EvidenceNoteInput, siteOrigin: string) {
  const composed = await composeNote(input, siteOrigin);
  return renderMarkdown(composed.ok ? composed.markdown : input.body.slice(0, EVIDENCE_NOTE_MAX));
}

/** Adds the note under a post, or replaces its text if there is one. */
export async function saveEvidenceNote(actor: Actor, postId: number, input: EvidenceNoteInput, siteOrigin: string) {
  requireStaffActor(actor);
  const composed = await composeNote(input, siteOrigin);
  if (!composed.ok) return composed;
  const bodyHtml = renderMarkdown(composed.markdown);
  if (!hasLink(bodyHtml)) return { ok: false as const, errors: { body: NEEDS_LINK } as FieldErrors };
  return await transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    const [existing] = await tx.select({ id: evidenceNotes.id }).from(evidenceNotes).where(eq(evidenceNotes.postId, postId)).limit(1);
    const now = new Date();
    let noteId: number;
    if (existing) {
      // The note is signed by whoever last wrote it: that moderator answers for its words.
      await tx
        .update(evidenceNotes)
        .set({ bodyMarkdown: composed.markdown, bodyHtml, updatedAt: now, authorId: actor.id })
        .where(eq(evidenceNotes.id, existing.id));
      noteId = existing.id;
    } else {
      const [created] = await tx
        .insert(evidenceNotes)
        .values({ postId, authorId: actor.id, bodyMarkdown: composed.markdown, bodyHtml, createdAt: now })
        .returning({ id: evidenceNotes.id });
      noteId = created!.id;
    }
    await logModeratorAction(tx, {
      actorId: actor.id,
      action: existing ? "evidence_note.edit" : "evidence_note.add",
      targetType: "evidence_note",
      targetId: noteId,
      subjectUserId: post.authorId,
      reason: `Evidence note on post ${post.number} in “${post.threadTitle}”`,
    });
    return { ok: true as const, threadId: post.threadId, number: post.number };
  });
}

/** Removes the note; the log keeps its text (staff-only) so the removal can be reviewed. */
export async function removeEvidenceNote(actor: Actor, postId: number) {
  requireStaffActor(actor);
  return await transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    const [note] = await tx
      .select({ id: evidenceNotes.id, bodyMarkdown: evidenceNotes.bodyMarkdown })
      .from(evidenceNotes)
      .where(eq(evidenceNotes.postId, postId))
      .limit(1);
    if (!note) notFound("This post has no evidence note.");
    await tx.delete(evidenceNotes).where(and(eq(evidenceNotes.id, note.id), eq(evidenceNotes.postId, postId)));
    await logModeratorAction(tx, {
      actorId: actor.id,
      action: "evidence_note.remove",
      targetType: "evidence_note",
      targetId: note.id,
      subjectUserId: post.authorId,
      reason: `Evidence note removed from post ${post.number} in “${post.threadTitle}”`,
      privateNote: note.bodyMarkdown,
    });
    return { threadId: post.threadId, number: post.number };
  });
}
