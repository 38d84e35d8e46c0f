// "Undo instead of fear": an action that takes something back happens at once, and the page it
// lands on offers Undo for 10 seconds. The offer travels in the URL, so it works without JS.
import { withParams } from "./href.ts";

export const UNDO_WINDOW_MS = 10_000;

/** Offers on the thread page. */
export type UndoOffer = { kind: "unfollow" } | { kind: "reaction"; postId: number; reaction: string };
/** The report queue's offer, read apart so a thread page never meets it. */
export type DismissUndo = { kind: "dismiss"; postId: number };

function encode(offer: UndoOffer | DismissUndo) {
  if (offer.kind === "unfollow") return "unfollow";
  if (offer.kind === "dismiss") return `dismiss:${offer.postId}`;
  return `reaction:${offer.postId}:${offer.reaction}`;
}

export function withUndo(href: string, offer: UndoOffer | DismissUndo, now = Date.now()) {
  return withParams(href, { undo: encode(offer), at: String(now) });
}

/** The raw offer in a URL, if it is still within its 10 seconds. */
function freshOffer(url: URL, now: number) {
  const at = Number(url.searchParams.get("at"));
  const raw = url.searchParams.get("undo");
  if (!raw || !Number.isFinite(at) || now - at > UNDO_WINDOW_MS || at > now + 1000) return null;
  return raw;
}

/** The thread page's offer in a URL, if it is still within its 10 seconds. */
export function readUndo(url: URL, now = Date.now()): UndoOffer | null {
  const raw = freshOffer(url, now);
  if (raw === "unfollow") return { kind: "unfollow" };
  const match = raw ? /^reaction:(\d{1,15}):([a-z-]{1,20})$/.exec(raw) : null;
  return match ? { kind: "reaction", postId: Number(match[1]), reaction: match[2]! } : null;
}

/** The report queue's "reports dismissed" offer, if it is still within its 10 seconds. */
export function readDismissUndo(url: URL, now = Date.now()): DismissUndo | null {
  const match = /^dismiss:(\d{1,15})$/.exec(freshOffer(url, now) ?? "");
  return match ? { kind: "dismiss", postId: Number(match[1]) } : null;
}
