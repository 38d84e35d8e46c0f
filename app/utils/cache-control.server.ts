import { getSession } from "./auth.server.ts";

/** What every response made for a signed-in member carries: their pages show their own name. */
export const MEMBER_CACHE_CONTROL = "private, no-store";

/**
 * Marks a page or its data (`?_data=`) as the member's own, so no shared cache keeps it and no
 * browser stores it after they log out. A route's own `no-store` stands; anything looser goes.
 * The session was validated once for the request already (withSessionMemo), so this costs no query.
 */
export async function markPrivateForMembers(request: Request, headers: Headers) {
  if (/\bno-store\b/i.test(headers.get("Cache-Control") ?? "")) return;
  if (!(await getSession(request))) return;
  headers.set("Cache-Control", MEMBER_CACHE_CONTROL);
}
