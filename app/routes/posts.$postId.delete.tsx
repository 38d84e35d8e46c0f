import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { deletePost, getPostForEdit, undeletePost } from "~/models/threads.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";
import { pageOfPost } from "~/utils/limits.ts";

export const meta = () => [{ title: "Delete your post — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ post: getPostForEdit(user, parseId(params.postId)) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireUser(request);
  // Delete (from the thread page or this confirmation page) and its Undo share this action.
  const { intent } = await readForm(request);
  const { threadId, number } = intent === "undo" ? undeletePost(user, postId) : deletePost(user, postId);
  return redirect(`/threads/${threadId}?page=${pageOfPost(number)}#post-${postId}`);
}

export default function DeletePost() {
  const { post } = useLoaderData<typeof loader>();
  const back = `/threads/${post.threadId}?page=${pageOfPost(post.number)}#post-${post.id}`;
  return (
    <>
      <h1>Delete your post?</h1>
      <p>
        The post will show “deleted by its author” so the conversation still makes sense. Its text will no longer be
        shown to anyone.
      </p>
      <blockquote className="quoted">{post.body.length > 400 ? `${post.body.slice(0, 400)}…` : post.body}</blockquote>
      <div className="actions">
        <Form method="post">
          <button type="submit" className="danger">
            Delete post
          </button>
        </Form>
        <Link to={back} className="button">
          Keep it
        </Link>
      </div>
    </>
  );
}
