// Bounds of private conversations, shared by the forms (maxLength hints) and the models (the rules).
/** People in one conversation, its starter included: 1 to 9 others. */
export const CONVERSATION_MEMBERS_MAX = 10;
export const RECIPIENTS_MAX = CONVERSATION_MEMBERS_MAX - 1;
/** The recipients field: nine names of up to 24 characters with their separators, and room to spare. */
export const RECIPIENTS_FIELD_MAX = 400;
export const SUBJECT_MAX = 120;
export const MESSAGE_MAX = 10_000;
export const MESSAGES_PER_PAGE = 50;
export const CONVERSATIONS_PER_PAGE = 20;
/** Starting a conversation (or adding someone) waits until an account is this old and has this many posts up. */
export const START_MIN_DAYS = 7;
export const START_MIN_POSTS = 3;

/** The page of a conversation on which its n-th message (1-based) is shown. */
export function pageOfMessage(position: number) {
  return Math.max(1, Math.ceil(position / MESSAGES_PER_PAGE));
}
