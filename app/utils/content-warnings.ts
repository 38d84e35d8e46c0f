// Content warnings (docs/decisions/028): the labels, the composer's and the settings page's choices,
// and who may set one. Safe for the browser: the forms and the post view use the same words.
import type { Role, WarningKind } from "../../db/schema.ts";
import { canEditPost, canModerateContent, type Actor } from "./permissions.ts";

/** The preset labels; "other" is the author's own words. */
const PRESET_LABELS = { "self-harm": "Self-harm", graphic: "Graphic medical detail", loss: "Loss or grief" } as const;

export const WARNING_KINDS: readonly WarningKind[] = ["self-harm", "graphic", "loss", "other"];

export const isWarningKind = (value: unknown): value is WarningKind => typeof value === "string" && (WARNING_KINDS as readonly string[]).includes(value);

/** The composer's select: "" is no warning. */
export const warningKindOptions = [
  { value: "", label: "None" },
  { value: "self-harm", label: PRESET_LABELS["self-harm"] },
  { value: "graphic", label: PRESET_LABELS.graphic },
  { value: "loss", label: PRESET_LABELS.loss },
  { value: "other", label: "Other – in my own words" },
] as const;

/** Each kind as the settings page names it. */
export const warningKindNames: Record<WarningKind, string> = { ...PRESET_LABELS, other: "Warnings in the author's own words" };

/** What a member may choose per kind; "collapsed" is everyone's default (and every visitor's). */
export type WarningChoice = "collapsed" | "show" | "hide";
export const warningChoiceOptions: { value: WarningChoice; label: string }[] = [
  { value: "collapsed", label: "Collapsed behind the label until I open it" },
  { value: "show", label: "Always show, with the label above" },
  { value: "hide", label: "Always hide: one line in its place, opened on request" },
];
export type WarningChoices = Record<WarningKind, WarningChoice>;

/** How a warned post is drawn for one viewer: behind its label, opened, or as a one-line stand-in. */
export type WarningDisplay = "collapsed" | "open" | "hidden";
export type WarningView = { kind: WarningKind; label: string; display: WarningDisplay };

/** The words shown for a warning: the preset's label, or the author's own. */
export function warningLabel(kind: WarningKind, text: string | null | undefined) {
  return kind === "other" ? text || "Other" : PRESET_LABELS[kind];
}

/** The line that stands in for a warned post's words in lists, feeds and search results. */
export const warnedExcerpt = (label: string) => `Content warning: ${label}. Open the post to read it.`;

type WarnablePost = { authorId: number; authorRole: Role; deletedAt: unknown; removedAt?: unknown };

/**
 * Who may set, change or clear a post's warning: its author while they may edit it, and staff on
 * any post they may moderate that its author has not deleted. app/models/content-warnings.server.ts
 * enforces it; the UI uses it only to offer the form.
 */
export function canSetWarning(actor: Actor, post: WarnablePost) {
  if (canEditPost(actor, post)) return true;
  return !post.deletedAt && canModerateContent(actor, { id: post.authorId, role: post.authorRole });
}

/** A staff member acting on someone else's post: a moderator action, written to the log. */
export function isModeratorWarning(actor: Actor, post: WarnablePost) {
  return actor?.id !== post.authorId && canSetWarning(actor, post);
}
