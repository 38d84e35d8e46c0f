/**
 * Outgoing email. With SMTP_URL set, messages go through that server; without it, each message
 * is written as an .eml file into the outbox folder (MAIL_OUTBOX, default data/outbox/), so a
 * forum with no mail server yet still works and its operator can open the files. See README.md.
 *
 * Messages can carry secrets (a password reset link): nothing here logs a message's content.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import nodemailer from "nodemailer";
import { logEvent } from "./logger.server.ts";

export type MailMessage = { to: string; subject: string; text: string };

type Sender = (message: MailMessage & { from: string }) => Promise<void>;

let sender: Sender | undefined;

export function outboxPath() {
  return resolve(process.env.MAIL_OUTBOX || "data/outbox");
}

function defaultFrom() {
  let host = "localhost";
  try {
    if (process.env.ORIGIN) host = new URL(process.env.ORIGIN).hostname;
  } catch {
    // A malformed ORIGIN is refused elsewhere; the sender just falls back.
  }
  return `Unclench <no-reply@${host}>`;
}

function smtpSender(url: string): Sender {
  const transport = nodemailer.createTransport(url);
  return async (message) => {
    await transport.sendMail(message);
  };
}

function outboxSender(): Sender {
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  let announced = false;
  return async (message) => {
    const dir = outboxPath();
    const info = await transport.sendMail(message);
    // Only the operator may read these: a reset link in one is as good as the password.
    await mkdir(dir, { recursive: true, mode: 0o700 });
    const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${randomBytes(4).toString("hex")}.eml`;
    await writeFile(join(dir, name), info.message as Buffer, { mode: 0o600 });
    if (!announced) {
      announced = true;
      logEvent("mail.outbox", { dir, hint: "SMTP_URL is not set: email is written to this folder instead of being sent" });
    }
  };
}

/** Sends one plain-text message (or files it in the outbox). Rejects when delivery fails. */
export async function sendMail(message: MailMessage) {
  sender ??= process.env.SMTP_URL ? smtpSender(process.env.SMTP_URL) : outboxSender();
  await sender({ from: process.env.MAIL_FROM || defaultFrom(), ...message });
}
