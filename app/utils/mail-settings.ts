// The notification mail settings form's names and words, shared by the page and its model
// (app/models/mail-preferences.server.ts): browser-safe, so the page can use them as it hydrates.
import type { NotificationPrefKind } from "../../db/schema.ts";

/** Every kind, in the order the page lists them. */
export const MAIL_KIND_NAMES: Record<NotificationPrefKind, string> = {
  replies: "Replies to your posts",
  mentions: "Mentions of you",
  messages: "Private messages",
  followed: "Replies in threads you follow",
  watched: "New threads in boards you watch",
  moderation: "Notices from the moderators",
};

export const MAIL_KINDS = Object.keys(MAIL_KIND_NAMES) as NotificationPrefKind[];

export const DELIVERY_OPTIONS = [
  { value: "now", label: "By email at once" },
  { value: "daily", label: "In a daily digest" },
  { value: "weekly", label: "In a weekly digest" },
  { value: "site", label: "Only on the site" },
] as const;

/** A kind's radio group. */
export const deliveryField = (kind: NotificationPrefKind) => `delivery-${kind}` as const;

/** "none" in the first select: no quiet hours, stored as equal hours. */
export const NO_QUIET = "none";
