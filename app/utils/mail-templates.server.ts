/**
 * What the forum's emails say. Each kind has one template that gives its subject, its plain text
 * and its HTML, both built from the same paragraphs, so the two parts never say different things.
 *
 * - Subjects are fixed per kind: they never quote anything a member wrote (a subject shows on a
 *   lock screen and in notification previews, where a post's words don't belong).
 * - The HTML is escaped paragraphs and links: no images, no remote styles, no tracking of any kind.
 */
import type { MailKind } from "../../db/schema.ts";

/** A paragraph of text (a "\n" inside starts a new line), or a link on a line of its own. */
export type Part = string | { link: string };

export type RenderedMail = { kind: MailKind; subject: string; text: string; html: string };

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

const FONT = "font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; font-size: 17px; line-height: 1.6;";

export function render(kind: MailKind, subject: string, parts: Part[]): RenderedMail {
  const text = parts.map((part) => (typeof part === "string" ? part : part.link)).join("\n\n") + "\n";
  const paragraphs = parts.map((part) =>
    typeof part === "string"
      ? `<p>${part.split("\n").map(escapeHtml).join("<br>")}</p>`
      : `<p><a href="${escapeHtml(part.link)}">${escapeHtml(part.link)}</a></p>`,
  );
  const html = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    `<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(subject)}</title></head>`,
    `<body style="${FONT}">`,
    ...paragraphs,
    "</body>",
    "</html>",
    "",
  ].join("\n");
  return { kind, subject, text, html };
}

const SIGN_OFF = "Take care,\nUnclench";

/** "Forgot your password?": the link works once, for one hour (app/models/password-reset.server.ts). */
export function passwordResetMail({ username, link, origin }: { username: string; link: string; origin: string }) {
  return render("password-reset", "Reset your Unclench password", [
    `Hello ${username},`,
    "Someone, we hope you, asked to reset the password of your Unclench account.",
    "To choose a new password, open this link:",
    { link },
    `It works once, for one hour. If it has run out, you can ask for a new one at ${origin}/password/forgot`,
    "If you didn't ask for this, you can ignore this email. Your password stays as it is, and nobody can change it without this link.",
    SIGN_OFF,
  ]);
}

/** The link that confirms an address: at sign-up, when asked again, and for a new address. */
export function emailConfirmMail({ username, link, origin, change }: { username: string; link: string; origin: string; change: boolean }) {
  return render("email-confirm", "Confirm your email address for Unclench", [
    `Hello ${username},`,
    change
      ? "You asked to use this address for your Unclench account. To confirm it, open this link and press the button on the page:"
      : "Welcome to Unclench. To confirm that this is your email address, open this link and press the button on the page:",
    { link },
    change
      ? "Until you do, we keep using your old address. The link works once, for 48 hours."
      : "You can use the forum before you do, but we send you no notifications until the address is confirmed. The link works once, for 48 hours.",
    `If it has run out, log in and send a new one from Settings: ${origin}/settings#email`,
    "If you didn't ask for this, you can ignore this email: nothing changes unless the link is opened and the button pressed.",
    SIGN_OFF,
  ]);
}

/** To the confirmed address a member is moving away from: someone with their password asked for it. */
export function emailChangeNoticeMail({ username, newAddress, origin }: { username: string; newAddress: string; origin: string }) {
  return render("email-change-notice", "Your Unclench email address is changing", [
    `Hello ${username},`,
    `Someone logged in to your Unclench account asked to change its email address to ${newAddress}. It changes once a link we sent there is opened; until then we keep using this address.`,
    "If that was you, there is nothing to do here.",
    `If it wasn't, someone knows your password. Log in and change it in Settings (${origin}/settings#password): that logs out every other device. If you can't log in, ask for a new password at ${origin}/password/forgot; the link comes to this address as long as the change isn't confirmed.`,
    SIGN_OFF,
  ]);
}

/** One thing that happened, as the notification mail tells it (app/models/notification-mail.server.ts). */
export type NotificationMailItem = {
  kind: "reply" | "quote" | "mention" | "moderation" | "message" | "thread";
  /** Who did it, when anyone is named. */
  who: string | null;
  threadTitle: string | null;
  boardName: string | null;
  /** A short plain-text excerpt, or a post's warning label; never for a private message. */
  excerpt: string | null;
  link: string;
};

/** Fixed per kind: a subject never names a thread or quotes a post (it shows on a lock screen). */
export const NOTIFICATION_SUBJECTS: Record<NotificationMailItem["kind"], string> = {
  quote: "New reply to your post",
  mention: "You were mentioned",
  message: "New private message",
  reply: "New replies in a thread you follow",
  thread: "New thread in a board you watch",
  moderation: "A notice from the moderators",
};

function whatHappened(item: NotificationMailItem) {
  const who = item.who ?? "Someone";
  const where = item.threadTitle ? `“${item.threadTitle}”` : "a thread";
  switch (item.kind) {
    case "quote":
      return `${who} replied to your post in ${where}:`;
    case "mention":
      return `${who} mentioned you in ${where}:`;
    case "reply":
      return `New replies in ${where}, the latest by ${who}:`;
    case "thread":
      return `${who} started ${where}${item.boardName ? ` in ${item.boardName}` : ""}:`;
    case "message":
      return `${who} sent you a private message:`;
    case "moderation":
      return item.threadTitle ? `A notice from the moderators about ${where}:` : "A notice from the moderators:";
  }
}

/** Everything due for one member at once, in one mail, with the way to change or stop it at the end. */
export function notificationMail({
  username,
  items,
  origin,
  unsubscribeUrl,
}: {
  username: string;
  items: NotificationMailItem[];
  origin: string;
  unsubscribeUrl: string;
}) {
  const subject = items.length === 1 ? NOTIFICATION_SUBJECTS[items[0]!.kind] : `${items.length} new notifications on Unclench`;
  const parts: Part[] = [`Hello ${username},`];
  for (const item of items) {
    parts.push(item.excerpt ? `${whatHappened(item)}\n${item.excerpt}` : whatHappened(item), { link: item.link });
  }
  parts.push(...settingsFooter(origin, "these emails", unsubscribeUrl));
  return render("notification", subject, parts);
}

/** How every notification and digest mail ends: where to change it, and the one-click way to stop it. */
export function settingsFooter(origin: string, what: string, unsubscribeUrl: string): Part[] {
  return [SIGN_OFF, `Change how you hear from us: ${origin}/settings/notifications`, `To stop ${what} in one click, open this link:`, { link: unsubscribeUrl }];
}
