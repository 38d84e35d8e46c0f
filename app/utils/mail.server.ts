/**
 * Sending one email. With SMTP_URL set, messages go through that server; without it, each message
 * is written as an .eml file into the outbox folder (MAIL_OUTBOX, default data/outbox/), so a
 * forum with no mail server yet still works and its operator can open the files. See README.md.
 *
 * Only the outbox's worker (app/models/mail-outbox.server.ts) calls this; everything else queues
 * mail there. Messages can carry secrets (a password reset link): nothing here logs their content.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import nodemailer from "nodemailer";
import { logEvent } from "./logger.server.ts";

/**
 * One message, as the outbox holds it. `key` is the message's own for good: a resend after a crash
 * carries the same Message-ID and, in the folder, overwrites the same file (docs/decisions/035).
 */
export type MailMessage = { key: string; createdAt: Date; to: string; subject: string; text: string; html: string; unsubscribeUrl?: string | null };

type Sender = (message: MailMessage) => Promise<void>;

let sender: Sender | undefined;

export function outboxPath() {
  return resolve(process.env.MAIL_OUTBOX || "data/outbox");
}

/**
 * Where links in emails point: the public ORIGIN, else this machine. Never the request's Host
 * header: a client chooses that, and could have a member emailed a link to their own site.
 */
export function siteOrigin() {
  return process.env.ORIGIN ?? `http://localhost:${process.env.PORT ?? 3000}`;
}

function siteHost() {
  try {
    return new URL(siteOrigin()).hostname;
  } catch {
    // A malformed ORIGIN is refused when the server starts; a script just falls back.
    return "localhost";
  }
}

/** What nodemailer is handed: the same headers whichever way the message leaves. */
function envelope(message: MailMessage) {
  return {
    from: process.env.MAIL_FROM || `Unclench <no-reply@${siteHost()}>`,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: `<${message.key}@${siteHost()}>`,
    date: message.createdAt,
    // RFC 8058: mail programs show an "Unsubscribe" button, and the provider POSTs to the link itself.
    ...(message.unsubscribeUrl ? { list: { unsubscribe: message.unsubscribeUrl }, headers: { "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } } : {}),
  };
}

function smtpSender(url: string): Sender {
  // Bounded waits, so a send ends well inside the outbox's lease (nodemailer's socket wait is 10 minutes).
  const transport = nodemailer.createTransport({ url, connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 });
  return async (message) => {
    await transport.sendMail(envelope(message));
  };
}

/** The file a message is written to: sorted by when it was queued, and the same on every resend. */
export function outboxFileName(message: Pick<MailMessage, "key" | "createdAt">) {
  return `${message.createdAt.toISOString().replace(/[:.]/g, "-")}-${message.key}.eml`;
}

function folderSender(): Sender {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  let announced = false;
  return async (message) => {
    const dir = outboxPath();
    const info = await transport.sendMail(envelope(message));
    // Only the operator may read these: a reset link in one is as good as the password.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    // Written aside, then renamed over: a reader never sees half a message, and a resend replaces it.
    const file = join(dir, outboxFileName(message));
    await writeFile(`${file}.part`, info.message as Buffer, { mode: 0o600 });
    await rename(`${file}.part`, file);
    if (!announced) {
      announced = true;
      logEvent("mail.outbox", { dir, hint: "SMTP_URL is not set: email is written to this folder instead of being sent" });
    }
  };
}

/** Sends one message (or files it in the folder). Rejects when delivery fails. */
export async function sendMail(message: MailMessage) {
  sender ??= process.env.SMTP_URL ? smtpSender(process.env.SMTP_URL) : folderSender();
  await sender(message);
}

/**
 * Whether a failure says the recipient's server refused the address for good (a 5xx to RCPT TO),
 * rather than something worth trying again (a timeout, a 4xx, our own server's settings).
 */
export function isRefusedAddress(error: unknown) {
  const e = error as { code?: unknown; command?: unknown; responseCode?: unknown } | null;
  return e?.code === "EENVELOPE" && e.command === "RCPT TO" && typeof e.responseCode === "number" && e.responseCode >= 500;
}

/** What a failure is, for the log: its codes, never its text (a server's reply may quote the address). */
export function describeFailure(error: unknown) {
  const e = error as { code?: unknown; responseCode?: unknown; command?: unknown } | null;
  const parts = [e?.code, e?.command, e?.responseCode].filter((part) => typeof part === "string" || typeof part === "number");
  return parts.length > 0 ? parts.join(" ") : error instanceof Error ? error.name : "unknown";
}
