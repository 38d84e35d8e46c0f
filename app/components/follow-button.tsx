import { Form } from "@remix-run/react";

/** Follow or unfollow a thread; the action sends the member back to the same page. */
export function FollowButton({ threadId, following, page = 1 }: { threadId: number; following: boolean; page?: number }) {
  return (
    <Form method="post" action={`/threads/${threadId}/follow`} id="follow" className="follow-form" preventScrollReset>
      <input type="hidden" name="page" value={page} />
      {following ? (
        <button type="submit" name="intent" value="unfollow">
          Unfollow thread
        </button>
      ) : (
        <button type="submit" name="intent" value="follow">
          Follow thread
        </button>
      )}
      <span className="hint">{following ? "You're following: new replies show in your notifications." : "Get a notification when someone replies."}</span>
    </Form>
  );
}
