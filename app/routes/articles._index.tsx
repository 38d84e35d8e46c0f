import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { ArticleCard } from "~/components/article-pinned.tsx";
import { moveArticlePin } from "~/models/article-pins.server.ts";
import { listArticles } from "~/models/articles.server.ts";
import { getUser, requireStaff } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { badRequest } from "~/utils/http.server.ts";
import { isStaff } from "~/utils/permissions.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const handle = readOnlyForVisitors;

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data?.board ? `Articles for ${data.board.name} — Unclench` : "Articles — Unclench" },
  { tagName: "link", rel: "alternate", type: "application/atom+xml", title: "New articles", href: "/articles/feed" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getUser(request);
  const board = new URL(request.url).searchParams.get("board") || null;
  return json({ ...(await listArticles(user, board)), canEdit: isStaff(user) });
}

/** Staff: move a pinned article up or down its board's list. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const { intent, article, board } = await readForm(request);
  if ((intent !== "up" && intent !== "down") || !article || !board) badRequest("Choose an article to move up or down.");
  await moveArticlePin(user, article, board, intent);
  return redirect(`/articles?${new URLSearchParams({ board })}#board-order-heading`);
}

export default function ArticlesPage() {
  const { boards, board, articles, boardOrder, unpublished, canEdit } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>{board ? `Articles for ${board.name}` : "Articles"}</h1>
      <p>
        Plain-language articles about cramps, spasms and spasticity. Each one lists its references and when it was last reviewed. They are general information,
        not medical advice.
      </p>
      {canEdit ? (
        <p>
          <Link to="/articles/new" className="button primary">
            Write an article
          </Link>
        </p>
      ) : null}
      <Form method="get" className="article-filter">
        <div className="field">
          <label htmlFor="board">Board</label>
          <select id="board" name="board" defaultValue={board?.slug ?? ""} key={board?.slug ?? ""}>
            <option value="">All boards</option>
            {boards.map((b) => (
              <option key={b.slug} value={b.slug}>
                {b.name}
              </option>
            ))}
          </select>
        </div>
        <button type="submit">Show articles</button>
      </Form>
      <h2>{board ? `Pinned to ${board.name}` : "All articles"}</h2>
      {articles.length === 0 ? (
        <p>No published articles {board ? "for this board " : ""}yet.</p>
      ) : (
        <ul className="article-list">
          {articles.map((article) => (
            <ArticleCard key={article.slug} article={article} boards={article.boards.map((b) => b.name)} />
          ))}
        </ul>
      )}
      {canEdit && board && boardOrder.length ? (
        <section className="staff-tools" aria-labelledby="board-order-heading">
          <h2 id="board-order-heading">Order on this board</h2>
          <p className="hint">Moderators only. This is the order readers see on the board; drafts and archived articles stay hidden from them.</p>
          <ol className="board-order">
            {boardOrder.map((item, i) => (
              <li key={item.slug}>
                <span className="board-order-title">
                  <Link to={`/articles/${item.slug}`}>{item.title}</Link>
                  {item.status !== "published" ? <span className="meta"> ({item.status})</span> : null}
                </span>
                <Form method="post" className="board-order-actions">
                  <input type="hidden" name="article" value={item.slug} />
                  <input type="hidden" name="board" value={board.slug} />
                  <button type="submit" name="intent" value="up" disabled={i === 0}>
                    Move up<span className="visually-hidden">: {item.title}</span>
                  </button>
                  <button type="submit" name="intent" value="down" disabled={i === boardOrder.length - 1}>
                    Move down<span className="visually-hidden">: {item.title}</span>
                  </button>
                </Form>
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      {canEdit && !board && unpublished.length ? (
        <section className="staff-tools" aria-labelledby="unpublished-heading">
          <h2 id="unpublished-heading">Drafts and archived articles</h2>
          <p className="hint">Only moderators see these.</p>
          <ul>
            {unpublished.map((item) => (
              <li key={item.slug}>
                <Link to={`/articles/${item.slug}`}>{item.title}</Link> <span className="meta">({item.status})</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
