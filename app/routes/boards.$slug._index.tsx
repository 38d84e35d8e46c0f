import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { ReadOnlyNotice } from "~/components/posting-notices.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { BoardAccessNote } from "~/components/board-access.tsx";
import { TagFilter } from "~/components/tags.tsx";
import { ThreadRow } from "~/components/thread-row.tsx";
import { PinnedArticles } from "~/components/article-pinned.tsx";
import { WatchButton } from "~/components/watch-button.tsx";
import { listPinnedArticles } from "~/models/article-pins.server.ts";
import { isWatchingBoard } from "~/models/board-watches.server.ts";
import { listBoardThreads, listBoardThreadsTagged } from "~/models/boards.server.ts";
import { listTags, tagsOfThreads } from "~/models/tags.server.ts";
import { getBoardUnread, getUnreadLinks } from "~/models/reads.server.ts";
import { getReadOnlyNotice } from "~/models/standing.server.ts";
import { getUser } from "~/utils/auth.server.ts";
import { parsePage } from "~/utils/http.server.ts";
import { isStaff } from "~/utils/permissions.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";

export const handle = readOnlyForVisitors;
export const ErrorBoundary = RouteErrorBoundary;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const page = parsePage(request);
  const user = await getUser(request);
  const tagSlug = new URL(request.url).searchParams.get("tag");
  // With a tag, one list of the board's threads that carry it (pinned ones among them).
  const listing = tagSlug ? await listBoardThreadsTagged(params.slug ?? "", tagSlug, page, user) : await listBoardThreads(params.slug ?? "", page, user);
  const { board, threads, pageCount } = listing;
  const pinned = "pinned" in listing ? listing.pinned : [];
  const tag = "tag" in listing ? listing.tag : null;
  const ids = [...pinned, ...threads].map((t) => t.id);
  const [counts, links, articles, readOnly, tags, allTags, watching] = await Promise.all([
    user ? getBoardUnread(user.id, ids) : ({} as Record<number, number>),
    user ? getUnreadLinks(user.id, ids) : ({} as Record<number, string>),
    page === 1 && !tag ? listPinnedArticles(board.id) : ([] as Awaited<ReturnType<typeof listPinnedArticles>>),
    getReadOnlyNotice(user),
    tagsOfThreads(ids),
    listTags(),
    // Only members can watch; a visitor gets no button.
    user ? isWatchingBoard(user.id, board.id) : null,
  ]);
  const unread = Object.fromEntries(ids.filter((id) => counts[id]).map((id) => [id, { count: counts[id]!, href: links[id] }]));
  return json({
    unread,
    board: { slug: board.slug, name: board.name, description: board.description, access: board.access },
    articles,
    pinned,
    threads,
    tags,
    allTags,
    tag: tag && { slug: tag.slug, name: tag.name },
    page,
    pageCount,
    staff: isStaff(user),
    /** A silenced member gets why and until when instead of "Start a thread". */
    readOnly,
    watching,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.board.name} — Unclench` },
        {
          tagName: "link",
          rel: "alternate",
          type: "application/atom+xml",
          title: `New threads in ${data.board.name}`,
          href: `/boards/${data.board.slug}/feed`,
        },
        ...(data.tag
          ? [
              {
                tagName: "link",
                rel: "alternate",
                type: "application/atom+xml",
                title: `New threads tagged ${data.tag.name}`,
                href: `/tags/${data.tag.slug}/feed`,
              },
            ]
          : []),
      ]
    : [{ title: "Unclench" }];

export default function BoardPage() {
  const { board, articles, pinned, threads, tags, allTags, tag, page, pageCount, staff, unread, readOnly, watching } = useLoaderData<typeof loader>();
  const here = `/boards/${board.slug}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/">Boards</Link>
      </nav>
      <h1>{board.name}</h1>
      <p>{board.description}</p>
      <BoardAccessNote access={board.access} />
      {readOnly ? (
        <ReadOnlyNotice notice={readOnly} />
      ) : (
        <p>
          <Link to={`/boards/${board.slug}/new`} className="button primary">
            Start a thread
          </Link>
        </p>
      )}
      <PinnedArticles articles={articles} boardSlug={board.slug} />
      {pinned.length > 0 ? (
        <section aria-labelledby="pinned-heading">
          <h2 id="pinned-heading">Pinned threads</h2>
          <ul className="thread-list">
            {pinned.map((thread, i) => (
              <ThreadRow key={thread.id} thread={thread} pinned unread={unread[thread.id]} tags={tags[thread.id]} boardSlug={board.slug}>
                {staff ? (
                  <Form method="post" action={`/threads/${thread.id}/moderate`} className="post-actions">
                    <input type="hidden" name="redirectTo" value={here} />
                    {i > 0 ? (
                      <button type="submit" name="intent" value="pin-up">
                        Move up<span className="visually-hidden"> “{thread.title}”</span>
                      </button>
                    ) : null}
                    {i < pinned.length - 1 ? (
                      <button type="submit" name="intent" value="pin-down">
                        Move down<span className="visually-hidden"> “{thread.title}”</span>
                      </button>
                    ) : null}
                  </Form>
                ) : null}
              </ThreadRow>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>
        {tag ? `Threads tagged ${tag.name}` : "Threads"}
        {pageCount > 1 ? ` (page ${page} of ${pageCount})` : ""}
      </h2>
      {threads.length === 0 ? (
        <p>{tag ? `No threads here are tagged ${tag.name} yet.` : "No threads yet. Be the first to start one."}</p>
      ) : (
        <ul className="thread-list">
          {threads.map((thread) => (
            <ThreadRow key={thread.id} thread={thread} unread={unread[thread.id]} tags={tags[thread.id]} boardSlug={board.slug} />
          ))}
        </ul>
      )}
      {/* After the list: reaching the threads by keyboard takes no more presses than before. */}
      <TagFilter tags={allTags} current={tag} boardSlug={board.slug} />
      <Pagination page={page} pageCount={pageCount} label="Board pages" href={(p) => (tag ? `?tag=${tag.slug}&page=${p}` : `?page=${p}`)} />
      {/* Last, for the same reason as the tag filter. */}
      {watching === null ? null : <WatchButton boardSlug={board.slug} boardName={board.name} watching={watching} />}
    </>
  );
}
