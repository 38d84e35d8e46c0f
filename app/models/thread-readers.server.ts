// Who reads a thread, where its board lets the author choose (docs/decisions/030).
import { eq } from "drizzle-orm";
import { transaction } from "../../db/client.ts";
import { boards, threads } from "../../db/schema.ts";
import { badRequest, forbidden, notFound } from "../utils/http.server.ts";
import type { Actor } from "../utils/permissions.ts";

/**
 * The author keeps their thread to members, or opens it to everyone. Keeping it to members needs
 * a board whose access is "author-choice"; opening one they kept is always theirs to do.
 */
export async function setThreadReaders(actor: Actor, threadId: number, readers: string) {
  if (!actor) forbidden("Log in to change who can read your thread.");
  if (readers !== "members" && readers !== "everyone") badRequest("Choose who can read this thread.");
  return transaction(async (tx) => {
    const [thread] = await tx
      .select({ authorId: threads.authorId, boardAccess: boards.access })
      .from(threads)
      .innerJoin(boards, eq(boards.id, threads.boardId))
      .where(eq(threads.id, threadId))
      .limit(1);
    if (!thread) notFound("There is no thread at this address.");
    if (thread.authorId !== actor.id) forbidden("Only its author chooses who can read a thread.");
    if (readers === "members" && thread.boardAccess !== "author-choice") forbidden("In this board, the board decides who can read its threads.");
    await tx
      .update(threads)
      .set({ membersOnly: readers === "members" })
      .where(eq(threads.id, threadId));
  });
}
