import { Link } from "./link.tsx";
import { CalendarDate, OverdueBadge } from "./article-review-line.tsx";

export type PinnedArticle = { slug: string; title: string; summary: string; lastReviewedOn: string; reviewOverdue?: boolean };

/** One article in a list: title, summary, review date (and where it is pinned, when given). */
export function ArticleCard({ article, boards }: { article: PinnedArticle; boards?: string[] }) {
  return (
    <li className="card article-card">
      <h3>
        <Link to={`/articles/${article.slug}`}>{article.title}</Link>
      </h3>
      <p>{article.summary}</p>
      <p className="meta">
        Reviewed <CalendarDate value={article.lastReviewedOn} />
        {article.reviewOverdue ? (
          <>
            {" "}
            <OverdueBadge />
          </>
        ) : null}
        {boards?.length ? ` · ${boards.join(", ")}` : null}
      </p>
    </li>
  );
}

/** For the board page, above its threads: the articles moderators pinned there (listPinnedArticles). */
export function PinnedArticles({ articles, boardSlug }: { articles: PinnedArticle[]; boardSlug?: string }) {
  if (!articles.length) return null;
  return (
    <section className="pinned-articles" aria-labelledby="pinned-articles-heading">
      <h2 id="pinned-articles-heading">Articles</h2>
      <ul className="article-list">
        {articles.map((article) => (
          <ArticleCard key={article.slug} article={article} />
        ))}
      </ul>
      {boardSlug ? (
        <p>
          <Link to={`/articles?board=${encodeURIComponent(boardSlug)}`} className="more-link">
            All articles for this board
          </Link>
        </p>
      ) : null}
    </section>
  );
}
