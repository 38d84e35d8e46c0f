import type { ArticleReference } from "../../db/schema.ts";

const doiHref = (doi: string) => `https://doi.org/${doi.split("/").map(encodeURIComponent).join("/")}`;
const pubmedHref = (pmid: string) => `https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(pmid)}/`;
// Stored URLs were checked on the way in; this is a second guard against anything else.
const safeUrl = (url: string) => (/^https:\/\//i.test(url) ? url : null);

/**
 * The numbered reference list. Item k has id "ref-k", the target of a `[k]` citation in the
 * article body (see renderMarkdown's referenceCount option).
 */
export function ReferenceList({
  references,
  headingId = "references-heading",
  headingLevel = 2,
  anchors = true,
}: {
  references: ArticleReference[];
  headingId?: string;
  headingLevel?: 2 | 3;
  /**
   * Off where several lists share a page (history): no ids to clash, and a plain block
   * instead of a "References" landmark repeated under the same name.
   */
  anchors?: boolean;
}) {
  if (!references.length) return null;
  const Heading = headingLevel === 2 ? "h2" : "h3";
  const Wrapper = anchors ? "section" : "div";
  return (
    <Wrapper className="references" aria-labelledby={anchors ? headingId : undefined}>
      <Heading id={headingId}>References</Heading>
      <ol>
        {references.map((ref, i) => {
          const url = ref.url ? safeUrl(ref.url) : null;
          return (
            <li key={i} id={anchors ? `ref-${i + 1}` : undefined}>
              {ref.authors} {ref.title}. <cite>{ref.source}</cite>, {ref.year}.
              <span className="reference-links">
                {ref.doi ? (
                  <a href={doiHref(ref.doi)} rel="noopener noreferrer">
                    DOI: {ref.doi}
                  </a>
                ) : null}
                {ref.pmid ? (
                  <a href={pubmedHref(ref.pmid)} rel="noopener noreferrer">
                    PubMed {ref.pmid}
                  </a>
                ) : null}
                {url ? (
                  <a href={url} rel="noopener noreferrer">
                    {displayUrl(url)}
                  </a>
                ) : null}
              </span>
            </li>
          );
        })}
      </ol>
    </Wrapper>
  );
}

function displayUrl(url: string) {
  try {
    const u = new URL(url);
    const path = u.pathname === "/" ? "" : u.pathname;
    return `${u.hostname}${path}`.replace(/^www\./, "");
  } catch {
    return url;
  }
}
