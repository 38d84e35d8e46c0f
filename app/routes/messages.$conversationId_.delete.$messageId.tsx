import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { DeleteConfirm } from "~/components/delete-confirm.tsx";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { deleteMessage, getOwnMessage } from "~/models/conversation-account.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { plainExcerpt } from "~/utils/excerpt.ts";
import { notFound, parseId } from "~/utils/http.server.ts";

export const meta = () => [{ title: "Delete your message — Unclench" }];
export const ErrorBoundary = RouteErrorBoundary;

const messageHref = (m: { conversationId: number; page: number; id: number }) => `/messages/${m.conversationId}?page=${m.page}#message-${m.id}`;

/** The member's own message, when it is in the conversation its address names. */
async function ownMessage(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requireUser(request);
  const message = await getOwnMessage(user, parseId(params.messageId));
  if (message.conversationId !== parseId(params.conversationId)) notFound("There is no message at this address.");
  return { user, message };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { message } = await ownMessage(request, params);
  // Already deleted (say, from another tab): its place in the conversation says so.
  if (message.deletedAt) throw redirect(messageHref(message));
  return json({ message: { id: message.id, conversationId: message.conversationId, page: message.page, excerpt: plainExcerpt(message.body, 400) } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, message } = await ownMessage(request, params);
  const { conversationId, page } = await deleteMessage(user, message.id);
  return redirect(messageHref({ conversationId, page, id: message.id }));
}

export default function DeleteMessage() {
  const { message } = useLoaderData<typeof loader>();
  const back = messageHref(message);
  return (
    <div className="narrow">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={back}>Back to the conversation</Link>
      </nav>
      <h1>Delete your message?</h1>
      <p>
        The message will show “deleted by its author” so the conversation still makes sense. Its text is erased for everyone, you included, and can't be
        restored.
      </p>
      <DeleteConfirm excerpt={message.excerpt} back={back} label="Delete message" />
    </div>
  );
}
