import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { MailNotice } from "~/components/mail-notice.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { Time } from "~/components/time.tsx";
import { getMailNotice } from "~/models/mail-events.server.ts";
import { listNotifications, markAllNotificationsRead, openNotification, type NotificationItem } from "~/models/notifications.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { notificationActionSchema } from "~/utils/schemas.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, parsePage } from "~/utils/http.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Notifications — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [list, mailNotice] = await Promise.all([listNotifications(user.id, parsePage(request)), getMailNotice(user.id)]);
  return json({ ...list, mailNotice });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const result = validate(notificationActionSchema, await readForm(request));
  if (!result.ok) badRequest("That isn't something this page can do.");
  const data = result.data;
  if (data.intent === "read-all") {
    await markAllNotificationsRead(user.id);
    return redirect("/notifications");
  }
  const { href } = await openNotification(user.id, data.id);
  if (data.intent === "open" && href) return redirect(href);
  const page = data.page && /^[1-9]\d{0,5}$/.test(data.page) && data.page !== "1" ? `?page=${data.page}` : "";
  return redirect(`/notifications${page}#notification-${data.id}`);
}

function describe(n: Pick<NotificationItem, "kind" | "actor" | "others" | "threadTitle" | "boardName" | "text">) {
  const who = n.actor ?? "Someone";
  const where = n.threadTitle ? ` in “${n.threadTitle}”` : "";
  switch (n.kind) {
    case "reply":
      // One row per thread for its unread replies (docs/decisions/037).
      return `${who}${n.others > 0 ? ` and ${plural(n.others, "other")}` : ""} replied${where}`;
    case "thread":
      return n.boardName && n.threadTitle ? `New thread in ${n.boardName}: “${n.threadTitle}”, by ${who}` : `${who} started a new thread`;
    case "quote":
      return `${who} answered your post${where}`;
    case "mention":
      return `${who} mentioned you${where}`;
    case "moderation":
      // The moderation model writes the whole sentence, reason included.
      return n.text ?? "A moderator took an action on your content.";
    case "message":
      // What happened, in the conversation model's words: never anything anyone wrote.
      return `${who} ${n.text ?? "sent you a private message"}`;
  }
}

export default function Notifications() {
  const { items, page, pageCount, unread, mailNotice } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Notifications</h1>
      <MailNotice notice={mailNotice} />
      <p className="meta">{unread === 0 ? "You're all caught up." : `${plural(unread, "unread notification")}.`}</p>
      <p>
        <Link to="/messages" className="target-link">
          Your private messages
        </Link>
      </p>
      {unread > 0 ? (
        <Form method="post">
          <button type="submit" name="intent" value="read-all">
            Mark all as read
          </button>
        </Form>
      ) : null}
      {items.length === 0 ? (
        <p>
          Nothing here yet. You'll hear about replies in threads you follow, new threads in boards you watch, answers to your posts, mentions of your name and
          moderator actions on your posts.
        </p>
      ) : (
        <ol className="notification-list">
          {items.map((n) => (
            <li key={n.id} id={`notification-${n.id}`} className={`card notification${n.read ? "" : " unread"}`}>
              {n.read ? null : <span className="badge">New</span>}
              <Form method="post" className="notification-open">
                <input type="hidden" name="id" value={n.id} />
                {n.href ? (
                  <button type="submit" name="intent" value="open">
                    {describe(n)}
                  </button>
                ) : (
                  <p className="notification-text">{describe(n)}</p>
                )}
              </Form>
              <p className="meta">
                <Time value={n.createdAt} />
              </p>
              {n.read ? null : (
                <Form method="post">
                  <input type="hidden" name="id" value={n.id} />
                  <input type="hidden" name="page" value={page} />
                  <button type="submit" name="intent" value="read">
                    Mark as read<span className="visually-hidden">: {describe(n)}</span>
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ol>
      )}
      <Pagination page={page} pageCount={pageCount} label="Notification pages" />
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
