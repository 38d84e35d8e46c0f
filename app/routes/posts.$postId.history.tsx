import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { WarnedBody } from "~/components/content-warning.tsx";
import { Link } from "~/components/link.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { getPostHistory } from "~/models/threads.server.ts";
import { getUser } from "~/utils/auth.server.ts";
import { parseId } from "~/utils/http.server.ts";
import { pageOfPost } from "~/utils/limits.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Edit history — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  return json(await getPostHistory(parseId(params.postId), await getUser(request)));
}

export default function PostHistory() {
  const { post, revisions } = useLoaderData<typeof loader>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/threads/${post.threadId}?page=${pageOfPost(post.number)}#post-${post.id}`}>Back to the thread</Link>
      </nav>
      <h1>Edit history</h1>
      <p>
        Post {post.number} by {post.author} in “{post.title}”. {revisions.length} earlier {revisions.length === 1 ? "version" : "versions"}.
      </p>
      <ol className="history" reversed>
        <li className="card">
          <h2>
            Current version, <Time value={post.writtenAt} />
          </h2>
          <WarnedBody warning={post.warning}>
            <PostBody html={post.bodyHtml} />
          </WarnedBody>
        </li>
        {revisions.map((revision) => (
          <li key={revision.id} className="card">
            <h2>
              Version from <Time value={revision.writtenAt} />
            </h2>
            {revision.title ? <p className="meta">Title: {revision.title}</p> : null}
            <WarnedBody warning={revision.warning}>
              <PostBody html={revision.bodyHtml} />
            </WarnedBody>
          </li>
        ))}
      </ol>
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
