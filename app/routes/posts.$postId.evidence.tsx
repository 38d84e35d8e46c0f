import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { FormError, TextArea } from "~/components/fields.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { getEvidenceEditor, previewEvidenceNote, removeEvidenceNote, saveEvidenceNote } from "~/models/evidence-notes.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { badRequest, parseId } from "~/utils/http.server.ts";
import { EVIDENCE_NOTE_MAX, pageOfPost } from "~/utils/limits.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Evidence note — Unclench" }];

// Note links must be absolute (the markdown pipeline drops relative ones).
function siteOrigin(request: Request) {
  return process.env.ORIGIN ?? new URL(request.url).origin;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireStaff(request);
  return json(await getEvidenceEditor(user, postId));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const postId = parseId(params.postId);
  const user = await requireStaff(request);
  const values = await readForm(request);
  const input = { body: values.body ?? "", articleSlug: values.article || null };
  const kept = { body: input.body, article: values.article ?? "" };
  let result: { threadId: number; number: number };
  if (values.intent === "preview") {
    return json({ values: kept, preview: await previewEvidenceNote(input, siteOrigin(request)) });
  } else if (values.intent === "save") {
    const saved = await saveEvidenceNote(user, postId, input, siteOrigin(request));
    if (!saved.ok) return json({ values: kept, errors: saved.errors }, { status: 400 });
    result = saved;
  } else if (values.intent === "remove") {
    result = await removeEvidenceNote(user, postId);
  } else {
    badRequest("Choose to save, preview or remove the note.");
  }
  return redirect(`/threads/${result.threadId}?page=${pageOfPost(result.number)}#post-${postId}`);
}

type ActionData = { values: { body: string; article: string }; errors?: Record<string, string>; preview?: string };

export default function EvidenceNoteEditor() {
  const { post, note, articles } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const busyIntent = navigation.state !== "idle" ? navigation.formData?.get("intent") : undefined;
  const errors: Record<string, string> = data?.errors ?? {};
  const back = `/threads/${post.threadId}?page=${pageOfPost(post.number)}#post-${post.id}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to={back}>Back to the thread</Link>
      </nav>
      <h1>Evidence note</h1>
      <p>
        Instead of removing a post, add a short, kind note under it that points to the evidence: one of our articles or a reference. The post itself stays
        exactly as its author wrote it. Notes are signed with your username and recorded in the moderation log.
      </p>
      <section aria-labelledby="post-heading">
        <h2 id="post-heading">
          Post {post.number} by {post.author} in “{post.threadTitle}”
        </h2>
        <div className="card">
          <p className="meta">
            Written <Time value={post.createdAt} />
          </p>
          {post.bodyHtml !== null ? <PostBody html={post.bodyHtml} /> : <p className="placeholder">This post is no longer shown.</p>}
        </div>
      </section>
      <section aria-labelledby="note-heading">
        <h2 id="note-heading">{note ? "Edit the note" : "Add a note"}</h2>
        {note ? (
          <p className="meta">
            Current note by {note.moderator}, added <Time value={note.createdAt} />
            {note.updatedAt ? (
              <>
                , edited <Time value={note.updatedAt} />
              </>
            ) : null}
            .
          </p>
        ) : null}
        <Form method="post" className="evidence-form" preventScrollReset>
          <FormError message={Object.keys(errors).length ? "The note was not saved; see below." : undefined} />
          <div className="field">
            <label htmlFor="article">Article to link (optional)</label>
            <p className="hint" id="article-hint">
              A link to the article is added at the end of the note.
            </p>
            {errors.article ? (
              <p className="field-error" id="article-error">
                {errors.article}
              </p>
            ) : null}
            <select
              id="article"
              name="article"
              defaultValue={data?.values.article ?? ""}
              aria-describedby={errors.article ? "article-hint article-error" : "article-hint"}
              aria-invalid={errors.article ? true : undefined}
            >
              <option value="">No article</option>
              {articles.map((article) => (
                <option key={article.slug} value={article.slug}>
                  {article.title}
                </option>
              ))}
            </select>
          </div>
          <TextArea
            name="body"
            label="Note"
            hint="A few sentences; markdown works. Link an article above, or put a link to a reference in the note (for example https://doi.org/… or a PubMed address)."
            defaultValue={data?.values.body ?? note?.bodyMarkdown ?? ""}
            error={errors.body}
            rows={6}
            maxLength={EVIDENCE_NOTE_MAX}
            required
          />
          {data?.preview !== undefined ? (
            <section className="preview" aria-labelledby="preview-heading">
              <h3 id="preview-heading">Preview</h3>
              <div className="evidence-note">
                <PostBody html={data.preview} />
              </div>
            </section>
          ) : null}
          <div className="actions">
            <button type="submit" name="intent" value="save" className="primary">
              {busyIntent === "save" ? "Saving…" : note ? "Save note" : "Add note"}
            </button>
            <button type="submit" name="intent" value="preview" formNoValidate>
              {busyIntent === "preview" ? "Rendering preview…" : "Preview"}
            </button>
          </div>
        </Form>
      </section>
      {note ? (
        <section aria-labelledby="remove-heading">
          <h2 id="remove-heading">Remove the note</h2>
          <p>The post stays as it is; the removal is recorded in the moderation log.</p>
          <Form method="post">
            <button type="submit" name="intent" value="remove" className="danger">
              Remove evidence note
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
