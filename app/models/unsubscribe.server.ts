// TEMPORARY stand-in in the at-once helper's copy only: the "unsubscribe" helper writes the real,
// signed one. Not to be merged.
import type { NotificationPrefKind } from "../../db/schema.ts";
import { siteOrigin } from "../utils/mail.server.ts";

export async function unsubscribeUrl(userId: number, kinds: NotificationPrefKind[], now = new Date()): Promise<string> {
  return `${siteOrigin()}/unsubscribe?u=${userId}&k=${kinds.join(",")}&t=${now.getTime()}`;
}
