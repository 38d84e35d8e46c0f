/**
 * Content warnings (docs/decisions/028): setting a post's label, and each member's choice per kind
 * of label (collapsed, always show, always hide). How a warned post is drawn for a viewer is
 * decided here (viewWarning), so every page that shows post text asks the same rule.
 */
import { eq } from "drizzle-orm";
import { z } from "zod";
import { db, transaction, type Executor } from "../../db/client.ts";
import { posts, warningKinds, warningPreferences, type WarningKind } from "../../db/schema.ts";
import { canSetWarning, isModeratorWarning, warningLabel, type WarningChoice, type WarningChoices, type WarningView } from "../utils/content-warnings.ts";
import { forbidden, notFound } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";
import { logModeratorAction } from "./moderation-log.server.ts";
import { notifyModeration } from "./notifications.server.ts";
import { requireReadablePost } from "./visibility.server.ts";

export type PostWarning = { kind: WarningKind; text: string | null };

const DEFAULT_CHOICES: WarningChoices = { "self-harm": "collapsed", graphic: "collapsed", loss: "collapsed", other: "collapsed" };

/** The viewer's choice for each kind; visitors, and kinds a member never chose, are "collapsed". */
export async function getWarningChoices(viewer: Actor, executor: Executor = db): Promise<WarningChoices> {
  const choices = { ...DEFAULT_CHOICES };
  if (!viewer) return choices;
  const rows = await executor
    .select({ kind: warningPreferences.kind, choice: warningPreferences.choice })
    .from(warningPreferences)
    .where(eq(warningPreferences.userId, viewer.id));
  for (const row of rows) choices[row.kind] = row.choice;
  return choices;
}

/**
 * How a post's warning is drawn for a viewer with these choices, or null for a post without one.
 * `standIn: false` is for a page about one post (its history, a moderator's page): the viewer
 * went there for that post, so "always hide" shows it collapsed rather than as a stand-in.
 */
export function viewWarning(
  post: { warningKind: WarningKind | null; warningText: string | null },
  choices: WarningChoices,
  { standIn = true } = {},
): WarningView | null {
  if (!post.warningKind) return null;
  const choice = choices[post.warningKind];
  const display = choice === "show" ? "open" : choice === "hide" && standIn ? "hidden" : "collapsed";
  return { kind: post.warningKind, label: warningLabel(post.warningKind, post.warningText), display };
}

/** The settings form: one choice per kind, every kind required (a radio group each). */
export const warningChoicesSchema = z.object(
  Object.fromEntries(warningKinds.map((kind) => [kind, z.enum(["collapsed", "show", "hide"], "Choose how posts with this warning are shown.")])) as Record<
    WarningKind,
    z.ZodEnum<{ collapsed: "collapsed"; show: "show"; hide: "hide" }>
  >,
);

/** Saves a member's choices; only the kinds not left "collapsed" keep a row. */
export async function saveWarningChoices(actor: Actor, choices: WarningChoices) {
  if (!actor) forbidden("Log in to choose how content warnings are shown.");
  const rows = warningKinds
    .filter((kind) => choices[kind] !== "collapsed")
    .map((kind) => ({ userId: actor.id, kind, choice: choices[kind] as Exclude<WarningChoice, "collapsed"> }));
  await transaction(async (tx) => {
    await tx.delete(warningPreferences).where(eq(warningPreferences.userId, actor.id));
    if (rows.length) await tx.insert(warningPreferences).values(rows);
  });
}

const sameWarning = (a: PostWarning | null, b: PostWarning | null) => (a?.kind ?? null) === (b?.kind ?? null) && (a?.text ?? null) === (b?.text ?? null);

/**
 * Sets, changes or clears a post's warning outside the edit form: staff on a post they may
 * moderate (logged, and its author told), or its author while they may edit it (canSetWarning).
 * Authors normally set theirs while editing (editPost), which keeps the earlier version too.
 */
export async function setPostWarning(actor: Actor, postId: number, warning: PostWarning | null) {
  return transaction(async (tx) => {
    const post = await requireReadablePost(actor, postId, tx);
    if (!canSetWarning(actor, post)) {
      if (post.deletedAt) notFound("This post was deleted by its author.");
      forbidden("Only the post's author and moderators can change its content warning.");
    }
    const next = warning ? { kind: warning.kind, text: warning.kind === "other" ? warning.text : null } : null;
    const before = post.warningKind ? { kind: post.warningKind, text: post.warningText } : null;
    const result = { threadId: post.threadId, number: post.number };
    if (sameWarning(before, next)) return result;
    await tx
      .update(posts)
      .set({ warningKind: next?.kind ?? null, warningText: next?.text ?? null })
      .where(eq(posts.id, postId));
    if (isModeratorWarning(actor, post)) {
      const label = next ? warningLabel(next.kind, next.text) : null;
      const action = !before ? "add-warning" : !next ? "remove-warning" : "change-warning";
      // The label is the public reason: it says what readers are warned about, never the post's words.
      const reason = label ?? `Was: ${warningLabel(before!.kind, before!.text)}`;
      await logModeratorAction(tx, { actorId: actor!.id, action, targetType: "post", targetId: postId, subjectUserId: post.authorId, reason });
      await notifyModeration(tx, {
        userId: post.authorId,
        actorId: actor!.id,
        threadId: post.threadId,
        postId,
        text: label ? `A moderator put a content warning on your post: ${label}.` : "A moderator took the content warning off your post.",
      });
    }
    return result;
  });
}

/** For the account export: the member's choice per kind. */
export async function exportWarningChoices(userId: number) {
  return getWarningChoices({ id: userId, role: "member" });
}
