// Setting up private conversations' journeys (messages.spec.ts, message-drafts.spec.ts).
import { eq } from "drizzle-orm";
import { inE2eDatabase, tables, updateUser } from "./fixtures.ts";

/**
 * An account past the rule for starting conversations: over a week old, with three posts. They
 * sit in a removed thread, so no board list, feed or search that other journeys count shows them.
 */
export async function season(username: string) {
  const id = await updateUser(username, { createdAt: new Date(Date.now() - 8 * 86_400_000) });
  await inE2eDatabase(async (tx) => {
    const [board] = await tx.select({ id: tables.boards.id }).from(tables.boards).where(eq(tables.boards.slug, "introductions")).limit(1);
    const now = new Date();
    const [thread] = await tx
      .insert(tables.threads)
      .values({
        boardId: board!.id,
        authorId: id,
        title: `Posts by ${username}`,
        lastPostAt: now,
        postCount: 3,
        replyCount: 2,
        removedAt: now,
        removalReason: "Test set-up",
      })
      .returning({ id: tables.threads.id });
    await tx
      .insert(tables.posts)
      .values([1, 2, 3].map((number) => ({ threadId: thread!.id, authorId: id, number, bodyMarkdown: `Post ${number}`, bodyHtml: `<p>Post ${number}</p>` })));
  });
}
