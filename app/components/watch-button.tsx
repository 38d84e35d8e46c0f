import { Form } from "@remix-run/react";
import { Link } from "~/components/link.tsx";

/** Watch or stop watching a board; the action sends the member back to this button. */
export function WatchButton({ boardSlug, boardName, watching }: { boardSlug: string; boardName: string; watching: boolean }) {
  return (
    <Form method="post" action={`/boards/${boardSlug}/watch`} id="watch" className="follow-form" preventScrollReset>
      {watching ? (
        <button type="submit" name="intent" value="unwatch">
          Stop watching<span className="visually-hidden"> {boardName}</span>
        </button>
      ) : (
        <button type="submit" name="intent" value="watch">
          Watch this board
        </button>
      )}
      {/* A sentence, so its link is running text (the inline exception to the 44 px targets). */}
      <p className="hint">
        {watching ? "You're watching: new threads here show in your notifications." : "Get a notification when someone starts a new thread here."}{" "}
        <Link to="/settings/watching">Boards you watch</Link>
      </p>
    </Form>
  );
}
