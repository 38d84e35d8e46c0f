import type { db } from "../../db/client.ts";
import { moderationLog } from "../../db/schema.ts";

type Tx = Parameters<Parameters<typeof db.transaction>[0]>[0] | typeof db;

export type LogEntry = {
  actorId: number;
  action: string;
  targetType: (typeof moderationLog.$inferInsert)["targetType"];
  targetId: number;
  subjectUserId?: number | null;
  reason?: string | null;
  privateNote?: string | null;
};

/** Call inside the transaction that makes the change, so the log and the change agree. */
export function logModeratorAction(tx: Tx, entry: LogEntry) {
  tx.insert(moderationLog).values(entry).run();
}
