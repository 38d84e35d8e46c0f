import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { Time } from "~/components/time.tsx";
import { listConversations } from "~/models/conversation-pages.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { parsePage } from "~/utils/http.server.ts";
import { CONVERSATION_MEMBERS_MAX } from "~/utils/messages.ts";
import styles from "~/styles/messages.css";

export const meta = () => [{ title: "Messages — Unclench" }];
export const links = () => [{ rel: "stylesheet", href: styles }];
export const ErrorBoundary = RouteErrorBoundary;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const list = await listConversations(user, parsePage(request));
  return json({ ...list, left: new URL(request.url).searchParams.get("left") === "1" });
}

export default function Messages() {
  const { items, page, pageCount, left } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Messages</h1>
      {left ? (
        <p className="notice" role="status">
          You left the conversation. It is gone from your messages, and nobody can add you back to it.
        </p>
      ) : null}
      <p>
        Private conversations between you and up to {CONVERSATION_MEMBERS_MAX - 1} other members. Moderators can read a conversation only when someone in it
        reports a message, and everyone in it then sees that a moderator read it.
      </p>
      <p>
        <Link to="/messages/new" className="button primary">
          Start a conversation
        </Link>
      </p>
      {items.length === 0 ? (
        <p>No conversations yet. To write to someone, open their profile and choose “Send a message”, or start one here.</p>
      ) : (
        <ol className="conversation-list" aria-label="Your conversations">
          {items.map((c) => (
            <li key={c.id} className="card">
              <h2>
                <Link to={`/messages/${c.id}`}>{c.subject}</Link> {c.unread ? <span className="badge new">New messages</span> : null}
              </h2>
              <p className="meta">
                {c.with.length > 0 ? `With ${c.with.join(", ")}` : "Everyone else has left"} · {plural(c.messageCount, "message")} · Last activity{" "}
                <Time value={c.lastMessageAt} />
              </p>
            </li>
          ))}
        </ol>
      )}
      <Pagination page={page} pageCount={pageCount} label="Pages of your conversations" />
    </>
  );
}
