import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { Composer } from "~/components/composer.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { createReply, getThreadPage } from "~/models/threads.server.ts";
import { useOptionalUser } from "~/root.tsx";
import { getUser, requireUser } from "~/utils/auth.server.ts";
import { handleComposer } from "~/utils/composer.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId, parsePage } from "~/utils/http.server.ts";
import { pageOfPost } from "~/utils/limits.ts";
import { canEditPost } from "~/utils/permissions.ts";
import { replySchema } from "~/utils/schemas.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const threadId = parseId(params.threadId);
  const page = parsePage(request);
  const user = await getUser(request);
  const data = getThreadPage(threadId, page);
  return json({ ...data, viewerId: user?.id ?? null });
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
  const { thread, posts, page, pageCount, viewerId } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const user = useOptionalUser();
  const location = useLocation();
  const viewer = viewerId && user ? { id: viewerId, role: user.role } : null;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Boards</Link> › <Link to={`/boards/${thread.boardSlug}`}>{thread.boardName}</Link>
      </nav>
      <h1>{thread.title}</h1>
      <p className="meta">{plural(thread.replyCount, "reply", "replies")}</p>
      <Pagination page={page} pageCount={pageCount} label="Thread pages (top)" />
      <ol className="posts">
        {posts.map((post) => (
          <li key={post.id} id={`post-${post.id}`} className="post card" value={post.number}>
            <article aria-labelledby={`post-${post.id}-by`}>
              <header className="post-header">
                <span id={`post-${post.id}-by`} className="author">
                  {post.author}
                </span>{" "}
                <Link to={`/threads/${thread.id}?page=${page}#post-${post.id}`} className="permalink" aria-label={`Post ${post.number}, written`}>
                  <Time value={post.createdAt} />
                </Link>
                {post.editedAt && !post.deleted ? (
                  <>
                    {" · "}
                    <Link to={`/posts/${post.id}/history`}>edited</Link>
                  </>
                ) : null}
              </header>
              {post.bodyHtml !== null ? (
                <PostBody html={post.bodyHtml} />
              ) : (
                <p className="placeholder">This post was deleted by its author.</p>
              )}
              {canEditPost(viewer, { authorId: post.authorId, deletedAt: post.deleted ? "yes" : null }) ? (
                <div className="post-actions">
                  <Link to={`/posts/${post.id}/edit`} className="button">
                    Edit<span className="visually-hidden"> post {post.number}</span>
                  </Link>
                  <Link to={`/posts/${post.id}/delete`} className="button">
                    Delete<span className="visually-hidden"> post {post.number}</span>
                  </Link>
                </div>
              ) : null}
            </article>
          </li>
        ))}
      </ol>
      <Pagination page={page} pageCount={pageCount} label="Thread pages (bottom)" />
      <section aria-labelledby="reply-heading" className="reply">
        <h2 id="reply-heading">Reply</h2>
        {user ? (
          <Composer key={location.key} data={data} bodyLabel="Your reply" submitLabel="Post reply" />
        ) : (
          <p>
            <Link to={`/login?${new URLSearchParams({ redirectTo: location.pathname + location.search })}`}>
              Log in to reply
            </Link>{" "}
            — or <Link to="/signup">sign up</Link> to join the conversation.
          </p>
        )}
      </section>
    </>
  );
}
