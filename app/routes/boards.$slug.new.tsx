import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { Composer } from "~/components/composer.tsx";
import { getBoard } from "~/models/boards.server.ts";
import { createThread } from "~/models/threads.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { handleComposer } from "~/utils/composer.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { threadSchema } from "~/utils/schemas.server.ts";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const board = getBoard(params.slug ?? "");
  await requireUser(request);
  return json({ board: { slug: board.slug, name: board.name } });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const values = await readForm(request);
  const result = handleComposer(threadSchema, values);
  if (result.response) return result.response;
  const { threadId } = createThread(user, params.slug ?? "", result.data);
  return redirect(`/threads/${threadId}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Start a thread in ${data?.board.name ?? "a board"} — Unclench` }];

export default function NewThread() {
  const { board } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Boards</Link> › <Link to={`/boards/${board.slug}`}>{board.name}</Link>
      </nav>
      <h1>Start a thread in {board.name}</h1>
      <Composer title="" data={data} bodyLabel="Your post" submitLabel="Post thread" />
    </>
  );
}
