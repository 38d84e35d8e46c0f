import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Composer } from "~/components/composer.tsx";
import { editPost, getPostForEdit } from "~/models/threads.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { handleComposer } from "~/utils/composer.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId } from "~/utils/http.server.ts";
import { pageOfPost } from "~/utils/limits.ts";
import { replySchema, threadSchema } from "~/utils/schemas.server.ts";

export const meta = () => [{ title: "Edit your post — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireUser(request);
  return json({ post: getPostForEdit(user, postId) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireUser(request);
  const post = getPostForEdit(user, postId);
  const values = await readForm(request);
  const result = post.title !== null ? handleComposer(threadSchema, values) : handleComposer(replySchema, values);
  if (result.response) return result.response;
  const { threadId, number } = editPost(user, postId, result.data);
  return redirect(`/threads/${threadId}?page=${pageOfPost(number)}#post-${postId}`);
}

export default function EditPost() {
  const { post } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={`/threads/${post.threadId}?page=${pageOfPost(post.number)}#post-${post.id}`}>Back to the thread</Link>
      </nav>
      <h1>Edit your post</h1>
      <p>Earlier versions stay in the post's history, which anyone can view.</p>
      <Composer
        title={post.title ?? undefined}
        body={post.body}
        data={data}
        bodyLabel="Your post"
        submitLabel="Save changes"
      />
    </>
  );
}
