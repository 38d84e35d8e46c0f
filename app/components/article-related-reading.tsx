import { Link } from "./link.tsx";

/** For the thread page: articles a moderator linked to the thread (listRelatedArticles). */
export function RelatedReading({ articles, threadId, canEdit }: { articles: { slug: string; title: string }[]; threadId: number; canEdit: boolean }) {
  if (!articles.length && !canEdit) return null;
  return (
    <section className="related-reading" aria-labelledby="related-reading-heading">
      <h2 id="related-reading-heading">Related reading</h2>
      {articles.length ? (
        <ul>
          {articles.map((article) => (
            <li key={article.slug}>
              <Link to={`/articles/${article.slug}`}>{article.title}</Link>
            </li>
          ))}
        </ul>
      ) : (
        <p className="meta">No articles are linked to this thread yet.</p>
      )}
      {canEdit ? (
        <p>
          <Link to={`/threads/${threadId}/related`} className="button">
            Manage related reading
          </Link>
        </p>
      ) : null}
    </section>
  );
}
