// "Undo instead of fear": an action that takes something back happens at once, and the page it
// lands on offers Undo for 10 seconds. The offer travels in the URL, so it works without JS.
export const UNDO_WINDOW_MS = 10_000;

export type UndoOffer = { kind: "unfollow" } | { kind: "reaction"; postId: number; reaction: string };

export function withUndo(href: string, offer: UndoOffer, now = Date.now()) {
  const [path, hash] = href.split("#");
  const url = new URL(path!, "http://x");
  url.searchParams.set("undo", offer.kind === "unfollow" ? "unfollow" : `reaction:${offer.postId}:${offer.reaction}`);
  url.searchParams.set("at", String(now));
  return `${url.pathname}${url.search}${hash ? `#${hash}` : ""}`;
}

/** The offer in a URL, if it is still within its 10 seconds. */
export function readUndo(url: URL, now = Date.now()): UndoOffer | null {
  const at = Number(url.searchParams.get("at"));
  const raw = url.searchParams.get("undo");
  if (!raw || !Number.isFinite(at) || now - at > UNDO_WINDOW_MS || at > now + 1000) return null;
  if (raw === "unfollow") return { kind: "unfollow" };
  const match = /^reaction:(\d{1,15}):([a-z-]{1,20})$/.exec(raw);
  return match ? { kind: "reaction", postId: Number(match[1]), reaction: match[2]! } : null;
}
