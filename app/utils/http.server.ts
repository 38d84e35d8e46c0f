import { logEvent } from "./logger.server.ts";

// Expected failures are thrown Responses, rendered by the nearest error boundary.
export function notFound(message = "We couldn't find that page."): never {
  throw new Response(message, { status: 404, statusText: "Not Found" });
}

export function forbidden(message = "You don't have permission to do that."): never {
  logEvent("permission.denied", { reason: message }, "warn");
  throw new Response(message, { status: 403, statusText: "Forbidden" });
}

export function badRequest(message = "That request wasn't valid."): never {
  throw new Response(message, { status: 400, statusText: "Bad Request" });
}

/** The request was fine, but the thing it acts on has moved on (answered, removed, undone). */
export function conflict(message: string): never {
  throw new Response(message, { status: 409, statusText: "Conflict" });
}

/** Parses a route id param; anything but a positive integer is a 404, never a 500. */
export function parseId(value: string | undefined): number {
  if (!value || !/^[1-9]\d{0,15}$/.test(value)) notFound();
  const id = Number(value);
  if (!Number.isSafeInteger(id)) notFound();
  return id;
}

/** `?page=`: absent means 1; anything but a positive integer is a 400. */
export function parsePage(request: Request): number {
  const raw = new URL(request.url).searchParams.get("page");
  if (raw === null || raw === "") return 1;
  if (!/^[1-9]\d{0,5}$/.test(raw)) badRequest("Page numbers are whole numbers starting at 1.");
  return Number(raw);
}

// Any fixed origin of ours will do: only whether a target leaves it matters, never its name.
const OWN_ORIGIN = "http://unclench.invalid";
/** Longer than any address of ours with its query; a longer target is not parsed at all. */
const REDIRECT_MAX = 2048;

/**
 * A same-site path to return to after logging in; anything else falls back. The target is parsed
 * as a browser would (which drops tabs and newlines and reads `\` as `/`), and only its path,
 * query and hash are kept, re-serialised: percent-encoded ASCII, so always a valid Location.
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/") {
  if (typeof to !== "string" || to === "" || to.length > REDIRECT_MAX) return fallback;
  let url: URL;
  try {
    url = new URL(to, OWN_ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== OWN_ORIGIN) return fallback;
  const path = url.pathname + url.search + url.hash;
  // Dot segments can leave an empty first segment ("/.//evil" is "//evil"): a host to a browser.
  if (!path.startsWith("/") || path.startsWith("//") || path.startsWith("/\\")) return fallback;
  return path;
}
