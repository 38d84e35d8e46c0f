import { Form, useLocation } from "@remix-run/react";

/**
 * The header's search form. A plain GET to /search, so it works without JavaScript; on the
 * search page itself it shows the words being searched for.
 */
export function SearchBox() {
  const location = useLocation();
  const current = location.pathname === "/search" ? (new URLSearchParams(location.search).get("q") ?? "") : "";
  return (
    <Form method="get" action="/search" role="search" aria-label="Site" className="search-box">
      <label htmlFor="site-search">Search the forum</label>
      <div className="search-box-row">
        {/* key: a new search (or leaving the page) resets the field to what the URL says. */}
        <input key={current} id="site-search" name="q" type="search" defaultValue={current} autoComplete="off" enterKeyHint="search" />
        <button type="submit">Search</button>
      </div>
    </Form>
  );
}
