// Tags for symptoms and treatments: a list moderators keep, up to five per thread, filters on a
// board and in search, and a feed per tag (docs/decisions/031).
import { asc, eq, inArray } from "drizzle-orm";
import { db, transaction, type Tx } from "../../db/client.ts";
import { tags, threadTags, threads } from "../../db/schema.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import { TAG_NAME_MAX, TAGS_PER_THREAD } from "../utils/limits.ts";
import { isStaff, type Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { assertStaff } from "./moderation.server.ts";
import { getThreadSummary } from "./threads.server.ts";

export type Tag = { slug: string; name: string };

/** The tags a new forum starts with; moderators rename, remove and add from there. */
export const SEED_TAGS = ["Clonus", "Night cramps", "Baclofen", "Tizanidine", "Gabapentin", "Magnesium", "Stretching", "Heat", "Sleep", "Botox"];

/** A tag's address from its name: "Night cramps" → "night-cramps". */
export function tagSlug(name: string) {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, TAG_NAME_MAX);
}

/** Every tag, by name. */
export async function listTags(): Promise<Tag[]> {
  return db.select({ slug: tags.slug, name: tags.name }).from(tags).orderBy(asc(tags.name));
}

export async function getTag(slug: string) {
  const [tag] = /^[a-z0-9-]{1,40}$/.test(slug)
    ? await db.select({ id: tags.id, slug: tags.slug, name: tags.name }).from(tags).where(eq(tags.slug, slug)).limit(1)
    : [];
  if (!tag) notFound("There is no such tag.");
  return tag;
}

/** Each thread's tags, by name, for the threads on a page. */
export async function tagsOfThreads(threadIds: number[]): Promise<Record<number, Tag[]>> {
  if (!threadIds.length) return {};
  const rows = await db
    .select({ threadId: threadTags.threadId, slug: tags.slug, name: tags.name })
    .from(threadTags)
    .innerJoin(tags, eq(tags.id, threadTags.tagId))
    .where(inArray(threadTags.threadId, threadIds))
    .orderBy(asc(tags.name));
  const out: Record<number, Tag[]> = {};
  for (const { threadId, ...tag } of rows) (out[threadId] ??= []).push(tag);
  return out;
}

/** The slugs a form chose: one checkbox per tag, named `tag-<slug>` (each field is sent once). */
export function chosenTagSlugs(values: Record<string, string>) {
  return Object.keys(values)
    .filter((key) => key.startsWith("tag-"))
    .map((key) => key.slice(4));
}

/** The tag ids for these slugs, or the message a form shows beside the tags. */
export async function resolveTags(tx: Tx, slugs: string[]): Promise<{ ok: true; ids: number[] } | { ok: false; error: string }> {
  if (slugs.length > TAGS_PER_THREAD) return { ok: false, error: `Choose at most ${TAGS_PER_THREAD} tags.` };
  if (!slugs.length) return { ok: true, ids: [] };
  const rows = await tx.select({ id: tags.id }).from(tags).where(inArray(tags.slug, slugs));
  // A tag removed while the member chose it: say so rather than drop it quietly.
  if (rows.length !== new Set(slugs).size) return { ok: false, error: "One of those tags no longer exists. Choose again." };
  return { ok: true, ids: rows.map((r) => r.id) };
}

/** Replaces a thread's tags, inside the caller's transaction. */
export async function setThreadTagIds(tx: Tx, threadId: number, tagIds: number[]) {
  await tx.delete(threadTags).where(eq(threadTags.threadId, threadId));
  if (tagIds.length) await tx.insert(threadTags).values(tagIds.map((tagId) => ({ threadId, tagId })));
}

/** Only a thread's author and moderators change its tags (retagThread and its form both ask). */
function assertMayRetag(actor: NonNullable<Actor>, thread: { authorId: number }) {
  if (thread.authorId !== actor.id && !isStaff(actor)) forbidden("Only the thread's author and moderators change its tags.");
}

/** The form for a thread's tags: the thread the viewer may open, every tag, and those it has. */
export async function getTagEditor(actor: Actor, threadId: number) {
  if (!actor) forbidden("Log in to change a thread's tags.");
  const thread = await getThreadSummary(threadId, actor);
  assertMayRetag(actor, thread);
  const [all, current] = await Promise.all([listTags(), tagsOfThreads([threadId])]);
  return { thread: { id: thread.id, title: thread.title }, tags: all, chosen: (current[threadId] ?? []).map((t) => t.slug) };
}

/** The author (or a moderator) changes a thread's tags; a moderator's change to another's thread is logged. */
export async function retagThread(actor: Actor, threadId: number, slugs: string[]) {
  if (!actor) forbidden("Log in to change a thread's tags.");
  return transaction(async (tx) => {
    const [thread] = await tx.select({ authorId: threads.authorId, removedAt: threads.removedAt }).from(threads).where(eq(threads.id, threadId)).limit(1);
    if (!thread) notFound("There is no thread at this address.");
    assertMayRetag(actor, thread);
    const own = thread.authorId === actor.id;
    if (thread.removedAt && !isStaff(actor)) forbidden("This thread was removed; its tags can't change.");
    const chosen = await resolveTags(tx, slugs);
    if (!chosen.ok) return chosen;
    await setThreadTagIds(tx, threadId, chosen.ids);
    if (!own) {
      await logModeratorAction(tx, { actorId: actor.id, action: "thread.tags", targetType: "thread", targetId: threadId, subjectUserId: thread.authorId });
    }
    return { ok: true as const };
  });
}

function tagName(raw: string) {
  const name = raw.trim().replace(/\s+/g, " ");
  if (!name || name.length > TAG_NAME_MAX || !tagSlug(name)) return { ok: false as const, error: `A tag's name is 1 to ${TAG_NAME_MAX} letters or digits.` };
  return { ok: true as const, name, slug: tagSlug(name) };
}

/** A moderator adds a tag to the list; logged. */
export async function addTag(actor: Actor, rawName: string) {
  assertStaff(actor);
  const parsed = tagName(rawName);
  if (!parsed.ok) return parsed;
  return transaction(async (tx) => {
    const [added] = await tx.insert(tags).values({ slug: parsed.slug, name: parsed.name }).onConflictDoNothing().returning({ id: tags.id });
    if (!added) return { ok: false as const, error: `There is already a tag “${parsed.name}”.` };
    await logModeratorAction(tx, { actorId: actor.id, action: "tag.add", targetType: "tag", targetId: added.id, reason: parsed.name });
    return { ok: true as const, slug: parsed.slug };
  });
}

/** A moderator renames a tag (its address follows the name); logged. */
export async function renameTag(actor: Actor, slug: string, rawName: string) {
  assertStaff(actor);
  const parsed = tagName(rawName);
  if (!parsed.ok) return parsed;
  const tag = await getTag(slug);
  return transaction(async (tx) => {
    const [clash] = await tx.select({ id: tags.id }).from(tags).where(eq(tags.slug, parsed.slug)).limit(1);
    if (clash && clash.id !== tag.id) return { ok: false as const, error: `There is already a tag “${parsed.name}”.` };
    await tx.update(tags).set({ slug: parsed.slug, name: parsed.name }).where(eq(tags.id, tag.id));
    await logModeratorAction(tx, { actorId: actor.id, action: "tag.rename", targetType: "tag", targetId: tag.id, reason: `${tag.name} → ${parsed.name}` });
    return { ok: true as const, slug: parsed.slug };
  });
}

/** A moderator removes a tag from the list and from every thread; logged. */
export async function removeTag(actor: Actor, slug: string) {
  assertStaff(actor);
  const tag = await getTag(slug);
  await transaction(async (tx) => {
    await tx.delete(threadTags).where(eq(threadTags.tagId, tag.id));
    await tx.delete(tags).where(eq(tags.id, tag.id));
    await logModeratorAction(tx, { actorId: actor.id, action: "tag.remove", targetType: "tag", targetId: tag.id, reason: tag.name });
  });
  return tag;
}

/** For the seed: the starting list, only on a forum that has never had tags. */
export async function seedTags(tx: Tx) {
  const [any] = await tx.select({ id: tags.id }).from(tags).limit(1);
  if (any) return;
  await tx.insert(tags).values(SEED_TAGS.map((name) => ({ slug: tagSlug(name), name })));
}
