import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Composer } from "~/components/composer.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { PostItem } from "~/components/post-item.tsx";
import { createReply, getThreadPage } from "~/models/threads.server.ts";
import { getUser, requireUser } from "~/utils/auth.server.ts";
import { handleComposer } from "~/utils/composer.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId, parsePage } from "~/utils/http.server.ts";
import { pageOfPost } from "~/utils/limits.ts";
import { isStaff } from "~/utils/permissions.ts";
import { replySchema } from "~/utils/schemas.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const threadId = parseId(params.threadId);
  const page = parsePage(request);
  const user = await getUser(request);
  const data = getThreadPage(threadId, page, user);
  return json({
    ...data,
    viewer: user ? { id: user.id, role: user.role, silencedUntil: user.silencedUntil } : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = parseId(params.threadId);
  const user = await requireUser(request);
  const values = await readForm(request);
  const result = handleComposer(replySchema, values);
  if (result.response) return result.response;
  const { postId, number } = createReply(user, threadId, result.data.body);
  return redirect(`/threads/${threadId}?page=${pageOfPost(number)}#post-${postId}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.thread.title} — Unclench` : "Unclench" }];

export default function ThreadPage() {
  const { thread, posts, page, pageCount, viewer } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const location = useLocation();
  const staff = isStaff(viewer);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Boards</Link> › <Link to={`/boards/${thread.boardSlug}`}>{thread.boardName}</Link>
      </nav>
      <h1>{thread.title}</h1>
      <p className="meta">
        {thread.pinned ? <span className="badge">Pinned</span> : null} {thread.lockedAt ? <span className="badge">Locked</span> : null}{" "}
        {plural(thread.replyCount, "reply", "replies")}
      </p>
      {thread.removedAt ? (
        <p className="notice" role="note">
          This thread was removed by moderators — {thread.removalReason}. {staff ? "Members can't see it." : "Only you and the moderators can still see it."}
        </p>
      ) : null}
      {staff ? (
        <p>
          <Link to={`/threads/${thread.id}/moderate`} className="button">
            Moderate thread
          </Link>
        </p>
      ) : null}
      <Pagination page={page} pageCount={pageCount} label="Thread pages (top)" />
      <ol className="posts">
        {posts.map((post) => (
          <li key={post.id} id={`post-${post.id}`} className="post card" value={post.number}>
            <PostItem post={post} viewer={viewer} permalink={`/threads/${thread.id}?page=${page}#post-${post.id}`} />
          </li>
        ))}
      </ol>
      <Pagination page={page} pageCount={pageCount} label="Thread pages (bottom)" />
      <section aria-labelledby="reply-heading" className="reply">
        <h2 id="reply-heading">Reply</h2>
        {thread.lockedAt && !staff ? (
          <p className="notice">This thread is locked — {thread.lockReason}. New replies are closed.</p>
        ) : !viewer ? (
          <p>
            <Link to={`/login?${new URLSearchParams({ redirectTo: location.pathname + location.search })}`}>Log in to reply</Link> — or{" "}
            <Link to="/signup">sign up</Link> to join the conversation.
          </p>
        ) : viewer.silencedUntil ? (
          <p className="notice">Your account is read-only for now, so you can't reply.</p>
        ) : (
          <Composer key={location.key} data={data} bodyLabel="Your reply" submitLabel="Post reply" />
        )}
      </section>
    </>
  );
}
