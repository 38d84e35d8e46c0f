import type { ArticleReference } from "../../db/schema.ts";

const doiHref = (doi: string) => `https://doi.org/${doi.split("/").map(encodeURIComponent).join("/")}`;
const pubmedHref = (pmid: string) => `https://pubmed.ncbi.nlm.nih.gov/${encodeURIComponent(pmid)}/`;
// Stored URLs were checked on the way in; this is a second guard against anything else.
const safeUrl = (url: string) => (/^https:\/\//i.test(url) ? url : null);

/**
 * The numbered reference list. Item k has id "ref-k", the target of a `[k]` citation in the
 * article body (see renderMarkdown's referenceCount option), and links back to each place
 * that cites it (ids "cite-k-n", listed by citationIds in the articles model).
 */
export function ReferenceList({
  references,
  headingId = "references-heading",
  headingLevel = 2,
  anchors = true,
  citations = [],
}: {
  references: ArticleReference[];
  headingId?: string;
  headingLevel?: 2 | 3;
  /**
   * Off where several lists share a page (history): no ids to clash, and a plain block
   * instead of a "References" landmark repeated under the same name.
   */
  anchors?: boolean;
  /** For reference k (index k-1), the ids of its citations in the body, in reading order. */
  citations?: string[][];
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
              {anchors ? <BackLinks reference={i + 1} ids={citations[i] ?? []} /> : null}
            </li>
          );
        })}
      </ol>
    </Wrapper>
  );
}

/**
 * Links from a reference back up to where the text cites it. Cited once: one link in words.
 * Cited several times: the words once, then a numbered link per citation, each named in full
 * for screen readers ("Back to citation 2 of reference 3"). Every name contains the visible
 * text, so a voice-control user can say what they see. The arrow is decoration.
 */
function BackLinks({ reference, ids }: { reference: number; ids: string[] }) {
  if (ids.length === 0) return null;
  if (ids.length === 1) {
    return (
      <span className="reference-backlinks">
        <a href={`#${ids[0]}`} className="target-link" aria-label={`Back to citation of reference ${reference}`}>
          <span aria-hidden="true">↩&nbsp;</span>Back to citation
        </a>
      </span>
    );
  }
  return (
    <span className="reference-backlinks">
      <span aria-hidden="true">↩&nbsp;Back to citation</span>
      {ids.map((id, n) => (
        <a key={id} href={`#${id}`} className="target-link" aria-label={`Back to citation ${n + 1} of reference ${reference}`}>
          {n + 1}
        </a>
      ))}
    </span>
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
