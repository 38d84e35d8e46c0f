// Input bounds shared by the forms (maxLength hints) and the server-side schemas (the real check).
export const USERNAME_MIN = 3;
export const USERNAME_MAX = 24;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 256;
export const EMAIL_MAX = 254;
export const TITLE_MIN = 5;
export const TITLE_MAX = 150;
export const BODY_MAX = 20_000;
/** A content warning in the author's own words: a label, not a summary of the post. */
export const WARNING_TEXT_MAX = 60;
// A request for review of a suspension, and a moderator's answer to it.
export const APPEAL_MAX = 3_000;
export const APPEAL_REPLY_MAX = 1_000;
/** A moderator's check-in with a member whose post was flagged at risk. */
export const CHECK_IN_MAX = 2_000;
/** A moderator's note to the author of a post returned from review (docs/decisions/034). */
export const RETURN_REASON_MAX = 1_000;
/** The most first posts a board may hold for review: past that it is a closed board, not a welcome. */
export const REVIEW_FIRST_POSTS_MAX = 10;
/** The review queue shows this many at a time, at risk first, then the longest-waiting. */
export const REVIEW_QUEUE_SIZE = 100;
/** The appeals queue shows this many at a time, oldest first; deciding one brings in the next. */
export const APPEAL_QUEUE_SIZE = 50;
/** Tags on one thread, and the length of a tag's name (app/models/tags.server.ts). */
export const TAGS_PER_THREAD = 5;
export const TAG_NAME_MAX = 40;
/** A moderator's evidence note under a post. */
export const EVIDENCE_NOTE_MAX = 2_000;

/** A passkey's answer as JSON text (a few hundred bytes from any real authenticator), checked before parsing. */
export const PASSKEY_RESPONSE_MAX = 16_000;
/** Passkeys one member can hold: plenty for every device they use, and a bound on the list. */
export const PASSKEYS_MAX = 20;

export const THREADS_PER_PAGE = 30;
export const POSTS_PER_PAGE = 50;

/**
 * The page of its thread a post is on. A reply waiting for a moderator has no place yet (its number
 * is below 1) and shows after the last post: pass the thread's post count as `lastNumber`.
 */
export function pageOfPost(number: number, lastNumber = 1) {
  return Math.max(1, Math.ceil((number > 0 ? number : lastNumber) / POSTS_PER_PAGE));
}
