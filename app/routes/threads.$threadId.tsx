import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { useActionData, useLoaderData, useLocation, type ShouldRevalidateFunction } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { EvidenceNote } from "~/components/article-evidence-note.tsx";
import { RelatedReading } from "~/components/article-related-reading.tsx";
import { Composer, useQuoteLink, withQuote } from "~/components/composer.tsx";
import { CrisisPanel } from "~/components/crisis-panel.tsx";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { ThreadReadersToggle } from "~/components/board-access.tsx";
import { FollowButton } from "~/components/follow-button.tsx";
import { TagList } from "~/components/tags.tsx";
import { GuidelinesGate, justAccepted } from "~/components/guidelines-gate.tsx";
import { WarningStandIn } from "~/components/content-warning.tsx";
import { MutedPost } from "~/components/muted-post.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { PostItem } from "~/components/post-item.tsx";
import { ReviewAhead } from "~/components/review-notice.tsx";
import { KeptText, PostRefused, ReadOnlyNotice, isRefusal } from "~/components/posting-notices.tsx";
import { ReactionBar, reactionLabels } from "~/components/reaction-bar.tsx";
import { UndoNotice, type UndoOfferView } from "~/components/undo-notice.tsx";
import { tagsOfThreads } from "~/models/tags.server.ts";
import { listRelatedArticles } from "~/models/article-related.server.ts";
import { getBlocksOnPage } from "~/models/blocks.server.ts";
import { getEvidenceNotes } from "~/models/evidence-notes.server.ts";
import { claimPendingDraft, getDraft, replyDraftKey } from "~/models/drafts.server.ts";
import { hasAcceptedGuidelines } from "~/models/guidelines.server.ts";
import { getThreadViewerState } from "~/models/reactions.server.ts";
import { markThreadRead } from "~/models/reads.server.ts";
import { wouldHold } from "~/models/review.server.ts";
import { hasRecentRiskFlag, limitNewPost } from "~/models/safety.server.ts";
import { getSavedPostIds } from "~/models/saved.server.ts";
import { getReadOnlyNotice } from "~/models/standing.server.ts";
import { createReply } from "~/models/posts.server.ts";
import { getQuotablePost, getThreadPage, quoteMarkdown } from "~/models/threads.server.ts";
import { getUser } from "~/utils/auth.server.ts";
import { draftText, handleComposer, keptValues, requireUserOrKeepText, restoreToken } from "~/utils/composer.server.ts";
import { plural } from "~/utils/format.ts";
import { readForm } from "~/utils/forms.server.ts";
import { parseId, parsePage } from "~/utils/http.server.ts";
import { canReply as canReplyTo, isStaff } from "~/utils/permissions.ts";
import { tooManyRequests } from "~/utils/rate-limit.server.ts";
import { postOrRefuse } from "~/utils/refusal.server.ts";
import { readUndo } from "~/utils/undo.ts";
import { replySchema } from "~/utils/schemas.server.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";

export const handle = readOnlyForVisitors;
export const ErrorBoundary = RouteErrorBoundary;
// A refused post means the thread or the account changed while the member wrote: with JavaScript,
// the page is read again (as it is without) so it shows why, not a form that would be refused.
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) => isRefusal(actionResult) || defaultShouldRevalidate;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const threadId = parseId(params.threadId);
  const page = parsePage(request);
  const user = await getUser(request);
  // Back from logging in after an expired session: the kept text becomes this reply's draft.
  const restore = user ? restoreToken(request) : null;
  if (user && restore) {
    await claimPendingDraft(user, restore.token);
    throw redirect(`${restore.cleanUrl}#reply-heading`);
  }
  const data = await getThreadPage(threadId, page, user);
  const postIds = data.posts.map((p) => p.id);
  const url = new URL(request.url);
  const asked = answering(url, data.posts);
  const [state, draft, quoted, savedPostIds, related, evidence, guidelinesAccepted, readOnly, atRisk, tags, blocks, reviewAhead] = await Promise.all([
    getThreadViewerState(user, threadId, postIds),
    user ? getDraft(user, replyDraftKey(threadId)) : null,
    // A Quote link: the post's words go after the member's draft, never instead of it.
    asked && url.searchParams.get("quote") === "1" ? getQuotablePost(user, threadId, asked.postId) : null,
    getSavedPostIds(user?.id ?? null, postIds),
    listRelatedArticles(threadId),
    getEvidenceNotes(postIds),
    user ? hasAcceptedGuidelines(user.id) : true,
    getReadOnlyNotice(user),
    url.searchParams.get("support") === "1" && !!user && hasRecentRiskFlag(user.id),
    tagsOfThreads([threadId]),
    getBlocksOnPage(user, data.thread.authorId, data.posts),
    wouldHold(user, data.thread.boardReview),
  ]);
  // Never a post a block keeps the viewer from answering (its Reply link isn't offered either).
  const replyTo = asked && !blocks.noContactPostIds.includes(asked.postId) ? asked : null;
  // Reading a page marks it read (reads are the viewer's own bookkeeping, not forum state).
  const lastOnPage = data.posts.at(-1)?.number;
  if (user && lastOnPage) await markThreadRead(user.id, threadId, lastOnPage);
  const muted = new Set(state.mutedUserIds);
  const quote = quoted ? quoteMarkdown(quoted) : null;
  // Quoting a warned post starts the reply with the same warning (the member may change it).
  const quoteWarning = quoted?.warning ? { kind: quoted.warning.kind, text: quoted.warning.text } : null;
  // Named, not spread: an object spread followed by more properties ends up in V8's old generation,
  // and everything it points to (all of the page's data) then outlives young collections.
  return json({
    thread: data.thread,
    posts: data.posts,
    /** On the last page: replies waiting for a moderator that this viewer may see. */
    held: data.held,
    page: data.page,
    pageCount: data.pageCount,
    viewer: user ? { id: user.id, role: user.role, silencedUntil: user.silencedUntil } : null,
    reactions: state.reactions,
    savedPostIds,
    following: state.following,
    mutedPostIds: data.posts.filter((p) => muted.has(p.authorId)).map((p) => p.id),
    blockedPostIds: blocks.blockedPostIds,
    noContactPostIds: blocks.noContactPostIds,
    /** Set when a block stands between the viewer and the thread's author: said where the reply box would be. */
    replyRefusal: blocks.replyRefusal,
    related,
    tags: tags[threadId] ?? [],
    evidence,
    needsGuidelines: !guidelinesAccepted,
    /** Why the member can't write anywhere now (a silence), shown where the reply box would be. */
    readOnly,
    draft,
    showCrisisPanel: atRisk,
    // The viewer's own post waits for a moderator: the panel says so rather than "your post is up".
    /** The member's reply would wait for a moderator: said above the form, before they write. */
    reviewAhead,
    waitingOwn: !!user && [...data.posts, ...data.held].some((p) => p.authorId === user.id && p.review && p.review.returnReason === null),
    undo: user ? undoOffer(new URL(request.url)) : null,
    replyTo,
    quote,
    quoteWarning,
    /** The reply box's starting text when quoting: the draft (if any), then the quote. */
    replyText: quote === null ? null : withQuote(draft?.body ?? "", quote),
  });
}

/** `?replyTo=<post id>` from a post's Reply link: only a live post shown on this page. */
function answering(url: URL, shown: { id: number; number: number; author: string; deleted: boolean; removalReason: string | null }[]) {
  const id = Number(url.searchParams.get("replyTo"));
  const post = shown.find((p) => p.id === id && !p.deleted && !p.removalReason);
  return post ? { postId: post.id, number: post.number, author: post.author } : null;
}

function undoOffer(url: URL): UndoOfferView | null {
  const offer = readUndo(url);
  if (offer?.kind !== "reaction") return offer;
  const label = reactionLabels[offer.reaction as keyof typeof reactionLabels];
  return label ? { ...offer, label } : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const threadId = parseId(params.threadId);
  const values = await readForm(request);
  const draftKey = replyDraftKey(threadId);
  const user = await requireUserOrKeepText(request, { key: draftKey, ...draftText({ ...values, title: undefined }) });
  const draft = { actor: user, key: draftKey };
  const result = await handleComposer(replySchema, values, draft);
  if (result.response) return result.response;
  const { body, warning } = result.data;
  return postOrRefuse(draft, values, async () => {
    const limit = await limitNewPost(user.id);
    if (!limit.ok) return tooManyRequests(limit.retryAfterSeconds, keptValues(values), "You've posted a lot in the last few minutes.");
    const replyTo = values.replyTo && /^\d+$/.test(values.replyTo) ? Number(values.replyTo) : null;
    const created = await createReply(user, threadId, body, replyTo, warning);
    if (!created.ok) return json({ values: keptValues(values), errors: created.errors }, { status: 400 });
    const page = `/threads/${created.threadId}?page=${created.page}`;
    // After words about ending their life, the member lands on the help (at the top of the page),
    // not on their post at the bottom, where the panel would be thousands of pixels out of sight.
    if (created.atRisk) return redirect(`${page}&support=1#crisis-panel-heading`);
    return redirect(`${page}#post-${created.postId}`);
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.thread.title} — Unclench` : "Unclench" },
  // Only members read it: no search engine or preview may keep a copy.
  ...(data?.thread.membersOnly ? [{ name: "robots", content: "noindex" }] : []),
];

export default function ThreadPage() {
  const {
    thread,
    posts,
    held,
    page,
    pageCount,
    viewer,
    reactions,
    savedPostIds,
    following,
    mutedPostIds,
    blockedPostIds,
    noContactPostIds,
    replyRefusal,
    related,
    tags,
    evidence,
    needsGuidelines,
    readOnly,
    showCrisisPanel,
    waitingOwn,
    reviewAhead,
    draft,
    undo,
    replyTo,
    replyText,
    quoteWarning,
  } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const location = useLocation();
  const onQuote = useQuoteLink();
  const staff = isStaff(viewer);
  const here = location.pathname + location.search;
  // The rule createReply enforces: nothing is offered that it would refuse.
  const canReply = canReplyTo(viewer, thread) && !replyRefusal;
  // After a refusal the form stays away: PostRefused shows the text whole, and where it is kept.
  const refused = isRefusal(data);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Boards</Link> › <Link to={`/boards/${thread.boardSlug}`}>{thread.boardName}</Link>
      </nav>
      <h1>{thread.title}</h1>
      {showCrisisPanel ? <CrisisPanel about={waitingOwn ? "held-post" : "post"} /> : null}
      {undo ? <UndoNotice offer={undo} threadId={thread.id} /> : null}
      <p className="meta">
        {thread.membersOnly ? <span className="badge">Members only</span> : null} {thread.pinned ? <span className="badge">Pinned</span> : null}{" "}
        {thread.lockedAt ? <span className="badge">Locked</span> : null} {plural(thread.replyCount, "reply", "replies")}
      </p>
      <TagList tags={tags} boardSlug={thread.boardSlug} />
      {viewer && (viewer.id === thread.authorId || staff) ? (
        <p>
          <Link to={`/threads/${thread.id}/tags`} className="button">
            {tags.length ? "Change tags" : "Add tags"}
          </Link>
        </p>
      ) : null}
      {thread.removedAt ? (
        <p className="notice" role="note">
          This thread was removed by moderators — {thread.removalReason}. {staff ? "Members can't see it." : "Only you and the moderators can still see it."}
        </p>
      ) : null}
      <div className="thread-tools">
        {viewer ? <FollowButton threadId={thread.id} following={following} page={page} /> : null}
        {viewer?.id === thread.authorId && (thread.boardAccess === "author-choice" || thread.keptToMembers) ? (
          <ThreadReadersToggle threadId={thread.id} keptToMembers={thread.keptToMembers} />
        ) : null}
        {staff && !thread.heldAt ? (
          <Link to={`/threads/${thread.id}/moderate`} className="button">
            Moderate thread
          </Link>
        ) : null}
      </div>
      <RelatedReading articles={related} threadId={thread.id} canEdit={staff} />
      <Pagination page={page} pageCount={pageCount} label="Thread pages (top)" />
      <ol className="posts">
        {posts.map((post) => {
          const noContact = noContactPostIds.includes(post.id);
          const answerable = !!viewer && canReply && !noContact;
          const item = (
            <PostItem
              post={post}
              viewer={viewer}
              permalink={`/threads/${thread.id}?page=${page}#post-${post.id}`}
              replyHref={answerable ? `/threads/${thread.id}?page=${page}&replyTo=${post.id}#reply-heading` : undefined}
              quoteHref={answerable ? `/threads/${thread.id}?page=${page}&replyTo=${post.id}&quote=1#reply-heading` : undefined}
              onQuote={onQuote}
              // Nothing in a removed thread can be saved (members can't see it); a post saved
              // before still shows Saved, so it can be unsaved here.
              saved={viewer && (!thread.removedAt || savedPostIds.includes(post.id)) ? savedPostIds.includes(post.id) : undefined}
            >
              <EvidenceNote note={evidence[post.id]} canEdit={staff} postId={post.id} postNumber={post.number} />
              {reactions[post.id] ? (
                <ReactionBar
                  postId={post.id}
                  postNumber={post.number}
                  counts={reactions[post.id]!.counts}
                  mine={reactions[post.id]!.mine}
                  canReact={
                    !!viewer && viewer.id !== post.authorId && !post.deleted && !post.removalReason && !post.review && !viewer.silencedUntil && !noContact
                  }
                />
              ) : null}
            </PostItem>
          );
          // A kind the viewer chose to hide: one line in the post's place, opened on request.
          const shown = post.warning?.display === "hidden" ? <WarningStandIn label={post.warning.label}>{item}</WarningStandIn> : item;
          return (
            <li key={post.id} id={`post-${post.id}`} className="post card" value={post.number}>
              {blockedPostIds.includes(post.id) ? (
                <MutedPost label="Post by a member you blocked">{shown}</MutedPost>
              ) : mutedPostIds.includes(post.id) ? (
                <MutedPost>{shown}</MutedPost>
              ) : (
                shown
              )}
            </li>
          );
        })}
        {held.map((post) => (
          <li key={post.id} id={`post-${post.id}`} className="post card">
            <PostItem post={post} viewer={viewer} permalink={`/threads/${thread.id}?page=${page}#post-${post.id}`} />
          </li>
        ))}
      </ol>
      <Pagination page={page} pageCount={pageCount} label="Thread pages (bottom)" />
      <section aria-labelledby="reply-heading" className="reply">
        <h2 id="reply-heading">Reply</h2>
        <PostRefused data={data} />
        {thread.lockedAt && !staff ? <p className="notice">This thread is locked — {thread.lockReason}. New replies are closed.</p> : null}
        {replyRefusal && !refused ? <p className="notice">{replyRefusal}</p> : null}
        {thread.heldAt ? <p className="notice">This thread waits for a moderator. Replies open once it is published.</p> : null}
        {!viewer ? (
          thread.lockedAt ? null : (
            <p>
              <Link to={`/login?${new URLSearchParams({ redirectTo: here })}`}>Log in to reply</Link> — or <Link to="/signup">sign up</Link> to join the
              conversation.
            </p>
          )
        ) : readOnly ? (
          <ReadOnlyNotice notice={readOnly} headingLevel={3} />
        ) : !canReply || refused ? null : needsGuidelines ? (
          <GuidelinesGate redirectTo={`${here}#reply-heading`} headingLevel={3} />
        ) : (
          <>
            {reviewAhead ? <ReviewAhead /> : null}
            <Composer
              key={location.key}
              // Without JavaScript a preview, a saved draft or an error comes back as a new page:
              // the fragment brings the member back to the form, not to the top of a long thread.
              action={`${here}#reply-heading`}
              data={data}
              bodyLabel="Your reply"
              submitLabel="Post reply"
              draftKey={`reply:${thread.id}`}
              body={replyText ?? ""}
              warning={quoteWarning}
              // When quoting, the draft's text is already in replyText, followed by the quote (and its
              // warning, unless the draft has one).
              draft={
                draft && replyText !== null
                  ? {
                      ...draft,
                      body: replyText,
                      ...(draft.warningKind || !quoteWarning ? {} : { warningKind: quoteWarning.kind, warningText: quoteWarning.text }),
                    }
                  : draft
              }
              replyTo={replyTo}
              takesQuotes
              focusFirst={justAccepted(location.search)}
            />
          </>
        )}
        {/* A draft for a thread that can't take it now: shown whole, so it is never out of reach. */}
        {viewer && !canReply && draft && !refused ? <KeptText text={draft.body} kept /> : null}
      </section>
    </>
  );
}
