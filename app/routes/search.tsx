import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { searchParamsSchema } from "~/utils/schemas.server.ts";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { Pagination } from "~/components/pagination.tsx";
import { Time } from "~/components/time.tsx";
import { listBoards } from "~/models/boards.server.ts";
import { QUERY_MAX, searchForum, type Segment } from "~/models/search.server.ts";
import { warnedExcerpt } from "~/utils/content-warnings.ts";
import { listTags } from "~/models/tags.server.ts";
import { plural } from "~/utils/format.ts";
import { getUser } from "~/utils/auth.server.ts";
import { parsePage } from "~/utils/http.server.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const handle = readOnlyForVisitors;

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const { q, board, tag } = searchParamsSchema.parse({
    q: url.searchParams.get("q") ?? "",
    board: url.searchParams.get("board") ?? "",
    tag: url.searchParams.get("tag") ?? "",
  });
  const page = parsePage(request);
  const [boards, tags] = await Promise.all([listBoards().then((all) => all.map(({ slug, name }) => ({ slug, name }))), listTags()]);
  const boardError = board && !boards.some((b) => b.slug === board) ? "Choose a board from the list." : null;
  const tagError = tag && !tags.some((t) => t.slug === tag) ? "Choose a tag from the list." : null;
  if (boardError || tagError) return json({ q, board, boards, boardError, tag, tags, tagError, outcome: null, queryMax: QUERY_MAX }, { status: 400 });
  const outcome = await searchForum({ q, boardSlug: board || null, tagSlug: tag || null, page, viewer: await getUser(request) });
  // QUERY_MAX travels with the data: a .server module's values do not exist in the browser.
  return json({ q, board, boards, boardError, tag, tags, tagError, outcome, queryMax: QUERY_MAX });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.q.trim() ? `Search: ${data.q.trim().slice(0, 60)} — Unclench` : "Search — Unclench" },
  // Result pages change with every post; they are not worth indexing.
  { name: "robots", content: "noindex" },
];

export default function SearchPage() {
  const { q, board, boards, boardError, tag, tags, tagError, outcome, queryMax } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const searching = navigation.state === "loading" && navigation.location.pathname === "/search";
  const boardName = boards.find((b) => b.slug === board)?.name;
  const tagName = tags.find((t) => t.slug === tag)?.name;
  return (
    <>
      <h1 id="search-heading">Search</h1>
      <Form method="get" role="search" aria-labelledby="search-heading" className="search-form">
        <div className="field">
          <label htmlFor="search-q">Search for</label>
          <p className="hint" id="search-q-hint">
            Words, a "quoted phrase", or the start of a word with * (like magnes*).
          </p>
          {/* key: going back or following a link shows that search's words, not the last typed. */}
          <input key={q} id="search-q" name="q" type="search" defaultValue={q} aria-describedby="search-q-hint" autoComplete="off" enterKeyHint="search" />
        </div>
        <NarrowBy name="board" label="Board" anyLabel="All boards" options={boards} value={board} error={boardError} />
        {tags.length ? <NarrowBy name="tag" label="Tag" anyLabel="Any tag" options={tags} value={tag} error={tagError} /> : null}
        <button type="submit" className="primary">
          {searching ? "Searching…" : "Search"}
        </button>
      </Form>

      {outcome?.truncated ? <p className="notice">Only the first {queryMax} characters of your search were used.</p> : null}

      {outcome?.status === "empty" ? (
        <p className="search-help">
          {q.trim()
            ? "There were no words to search for in that. Type a word or two — for example baclofen or night cramps."
            : "Type something to search for — a word or two, like baclofen or night cramps."}
        </p>
      ) : null}

      {outcome?.status === "ok" ? (
        <section aria-labelledby="results-heading" className="search-results">
          <h2 id="results-heading">
            {outcome.total === 0 && outcome.articles.length === 0
              ? "No results"
              : `${plural(outcome.total, "thread")}${outcome.capped ? " or more" : ""}${outcome.articles.length ? ` and ${plural(outcome.articles.length, "article")}` : ""}`}
            {boardName ? ` in ${boardName}` : ""}
            {tagName ? ` tagged ${tagName}` : ""}
          </h2>
          {outcome.total === 0 && outcome.articles.length === 0 ? (
            <p>
              Nothing matches all of those words{boardName ? " on this board" : ""}. Try fewer or different words{boardName ? ", or all boards" : ""}.
            </p>
          ) : null}
          {outcome.capped ? (
            <p className="meta">
              {outcome.ranking === "recent"
                ? "Those words are in a great many posts, so these are the threads that mention them most, newest first."
                : "Many posts match, so these are the best matches among the most recent."}{" "}
              Add a word or choose a board to narrow it down.
            </p>
          ) : null}

          {outcome.articles.length ? (
            <>
              <h3 className="search-group">Articles</h3>
              <ol className="search-list">
                {outcome.articles.map((article) => (
                  <li key={article.articleId} className="card">
                    <h4>
                      <Link to={article.href}>
                        <Highlighted segments={article.title} />
                      </Link>
                    </h4>
                    <p className="meta">
                      Article by {article.author} · <Time value={article.date} />
                    </p>
                    <p className="snippet">
                      <Highlighted segments={article.snippet} />
                    </p>
                  </li>
                ))}
              </ol>
            </>
          ) : null}

          {outcome.total > 0 ? (
            <>
              <h3 className="search-group">Threads{outcome.pageCount > 1 ? ` (page ${outcome.page} of ${outcome.pageCount})` : ""}</h3>
              {outcome.threads.length === 0 ? (
                <p>
                  There are no results on page {outcome.page}. <Link to={resultsHref(q, board, tag, 1)}>Go to the first page</Link>.
                </p>
              ) : (
                <ol className="search-list">
                  {outcome.threads.map((thread) => (
                    <li key={thread.threadId} className="card">
                      <h4>
                        <Link to={thread.href}>
                          <Highlighted segments={thread.title} />
                        </Link>
                      </h4>
                      <p className="meta">
                        {thread.postNumber === null ? "Thread" : thread.postNumber === 1 ? "Opening post" : `Post ${thread.postNumber}`} in {thread.boardName} ·
                        by {thread.author} · <Time value={thread.date} />
                      </p>
                      {thread.warning ? (
                        <p className="snippet">{warnedExcerpt(thread.warning)}</p>
                      ) : thread.snippet.length ? (
                        <p className="snippet">
                          <Highlighted segments={thread.snippet} />
                        </p>
                      ) : null}
                    </li>
                  ))}
                </ol>
              )}
              <Pagination page={outcome.page} pageCount={outcome.pageCount} label="Result pages" href={(p) => resultsHref(q, board, tag, p)} />
            </>
          ) : null}
        </section>
      ) : null}
    </>
  );
}

/** Matched words in <mark>; React escapes every piece, so a snippet can never carry markup. */
function Highlighted({ segments }: { segments: Segment[] }) {
  return <>{segments.map((segment, i) => (segment.hit ? <mark key={i}>{segment.text}</mark> : <span key={i}>{segment.text}</span>))}</>;
}

/** A list that narrows the search (a board, a tag); an unknown choice is named beside it. */
function NarrowBy(props: { name: string; label: string; anyLabel: string; options: { slug: string; name: string }[]; value: string; error: string | null }) {
  const { name, label, anyLabel, options, value, error } = props;
  const id = `search-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {/* key: going back shows that search's choice, not the last one made. */}
      <select
        key={value}
        id={id}
        name={name}
        defaultValue={error ? "" : value}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      >
        <option value="">{anyLabel}</option>
        {options.map((option) => (
          <option key={option.slug} value={option.slug}>
            {option.name}
          </option>
        ))}
      </select>
    </div>
  );
}

function resultsHref(q: string, board: string, tag: string, page: number) {
  const params = new URLSearchParams({ q });
  if (board) params.set("board", board);
  if (tag) params.set("tag", tag);
  if (page > 1) params.set("page", String(page));
  return `/search?${params}`;
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
