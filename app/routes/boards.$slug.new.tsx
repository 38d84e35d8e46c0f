import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { ThreadReadersField } from "~/components/board-access.tsx";
import { Composer } from "~/components/composer.tsx";
import { ReviewAhead } from "~/components/review-notice.tsx";
import { TagChoices } from "~/components/tags.tsx";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { KeptText, PostRefused, ReadOnlyNotice, isRefusal } from "~/components/posting-notices.tsx";
import { GuidelinesGate, justAccepted } from "~/components/guidelines-gate.tsx";
import { getBoard } from "~/models/boards.server.ts";
import { claimPendingDraft, getDraft, threadDraftKey } from "~/models/drafts.server.ts";
import { hasAcceptedGuidelines } from "~/models/guidelines.server.ts";
import { wouldHold } from "~/models/review.server.ts";
import { limitNewPost } from "~/models/safety.server.ts";
import { getReadOnlyNotice } from "~/models/standing.server.ts";
import { createThread } from "~/models/posts.server.ts";
import { chosenTagSlugs, listTags } from "~/models/tags.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { draftText, handleComposer, keptValues, requireUserOrKeepText, restoreToken } from "~/utils/composer.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { tooManyRequests } from "~/utils/rate-limit.server.ts";
import { postOrRefuse } from "~/utils/refusal.server.ts";
import { threadSchema } from "~/utils/schemas.server.ts";

export const ErrorBoundary = RouteErrorBoundary;
// A refused post means the thread or the account changed while the member wrote: with JavaScript,
// the page is read again (as it is without) so it shows why, not a form that would be refused.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => isRefusal(actionResult) || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const board = await getBoard(params.slug ?? "");
  const user = await requireUser(request);
  // Back from logging in after an expired session: the kept text becomes this form's draft.
  const restore = restoreToken(request);
  if (restore) {
    await claimPendingDraft(user, restore.token);
    throw redirect(restore.cleanUrl);
  }
  const [guidelinesAccepted, readOnly, draft, tags, reviewAhead] = await Promise.all([
    hasAcceptedGuidelines(user.id),
    getReadOnlyNotice(user),
    getDraft(user, threadDraftKey(board.slug)),
    listTags(),
    wouldHold(user, board.reviewFirstPosts),
  ]);
  return json({
    board: { slug: board.slug, name: board.name, access: board.access },
    needsGuidelines: !guidelinesAccepted,
    /** A silenced member gets why and until when instead of the form (createThread would refuse it). */
    readOnly,
    draft,
    tags,
    /** The new thread would wait for a moderator: said before the member writes. */
    reviewAhead,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const values = await readForm(request);
  const draftKey = threadDraftKey((await getBoard(params.slug ?? "")).slug);
  const user = await requireUserOrKeepText(request, { key: draftKey, ...draftText(values) });
  const draft = { actor: user, key: draftKey };
  const result = await handleComposer(threadSchema, values, draft);
  if (result.response) return result.response;
  const input = result.data;
  return postOrRefuse(draft, values, async () => {
    const limit = await limitNewPost(user.id);
    if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds, keptValues(values), "You've posted a lot in the last few minutes.");
    const created = await createThread(user, params.slug ?? "", { ...input, readers: values.readers, tags: chosenTagSlugs(values) });
    if (!created.ok) return json({ values: keptValues(values), errors: created.errors }, { status: 400 });
    return redirect(`/threads/${created.threadId}${created.atRisk ? "?support=1" : ""}`);
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Start a thread in ${data?.board.name ?? "a board"} — Unclench` }];

export default function NewThread() {
  const { board, needsGuidelines, readOnly, draft, tags, reviewAhead } = useLoaderData<typeof loader>();
  const location = useLocation();
  const data = useActionData<typeof action>();
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Boards</Link> › <Link to={`/boards/${board.slug}`}>{board.name}</Link>
      </nav>
      <h1>Start a thread in {board.name}</h1>
      <PostRefused data={data} />
      {reviewAhead && !readOnly ? <ReviewAhead /> : null}
      {readOnly ? (
        <>
          <ReadOnlyNotice notice={readOnly} />
          {draft && !isRefusal(data) ? <KeptText title={draft.title} text={draft.body} kept /> : null}
        </>
      ) : isRefusal(data) ? null : needsGuidelines ? (
        <GuidelinesGate redirectTo={location.pathname} />
      ) : (
        <Composer
          title=""
          data={data}
          bodyLabel="Your post"
          submitLabel="Post thread"
          draftKey={`thread:${board.slug}`}
          draft={draft}
          focusFirst={justAccepted(location.search)}
          extra={
            <>
              {board.access === "author-choice" ? <ThreadReadersField value={data?.values?.readers} error={data?.errors?.readers} /> : null}
              <TagChoices tags={tags} chosen={data?.values?.tags?.split(",") ?? []} error={data?.errors?.tags} />
            </>
          }
        />
      )}
    </>
  );
}
