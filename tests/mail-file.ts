// Reads an .eml file as the forum writes it without a mail server (app/utils/mail.server.ts): the
// headers a test asserts on, and the plain-text and HTML parts decoded. Used by vitest and Playwright.

export type MailFile = {
  raw: string;
  to: string;
  subject: string;
  messageId: string;
  /** The List-Unsubscribe and List-Unsubscribe-Post headers, "" when absent. */
  listUnsubscribe: string;
  listUnsubscribePost: string;
  text: string;
  html: string;
};

function split(raw: string) {
  const at = raw.indexOf("\n\n");
  const head = (at < 0 ? raw : raw.slice(0, at)).replace(/\r/g, "").replace(/\n[ \t]+/g, " ");
  const headers = new Map<string, string>();
  for (const line of head.split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers.set(line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim());
  }
  return { headers, body: at < 0 ? "" : raw.slice(at + 2) };
}

function decode(body: string, encoding: string) {
  if (encoding === "quoted-printable") {
    const bytes = body.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  if (encoding === "base64") return Buffer.from(body, "base64").toString("utf8");
  return body;
}

export function readMailFile(raw: string): MailFile {
  const { headers, body } = split(raw);
  const parts = { text: "", html: "" };
  const type = headers.get("content-type") ?? "text/plain";
  const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
  const pieces = boundary ? body.split(`--${boundary}`).slice(1, -1) : [raw];
  for (const piece of pieces) {
    const part = split(piece.replace(/^\r?\n/, ""));
    const decoded = decode(part.body.replace(/\r?\n$/, ""), (part.headers.get("content-transfer-encoding") ?? "").toLowerCase());
    if ((part.headers.get("content-type") ?? "").startsWith("text/html")) parts.html = decoded;
    else parts.text = decoded;
  }
  return {
    raw,
    to: headers.get("to") ?? "",
    subject: headers.get("subject") ?? "",
    messageId: headers.get("message-id") ?? "",
    listUnsubscribe: headers.get("list-unsubscribe") ?? "",
    listUnsubscribePost: headers.get("list-unsubscribe-post") ?? "",
    ...parts,
  };
}
