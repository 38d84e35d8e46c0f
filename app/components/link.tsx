import { Link as RemixLink, type LinkProps } from "@remix-run/react";
import { useSendsScripts } from "~/utils/scripts.ts";

/**
 * Remix's Link, except in a document sent without scripts, where it could only ever be an <a>
 * and would resolve its path and set up prefetching for nothing (docs/decisions/006). Only paths
 * from the site's root take that way, so the href is the one Link would have written.
 */
export function Link(props: LinkProps) {
  const scripts = useSendsScripts();
  if (scripts || typeof props.to !== "string" || !props.to.startsWith("/")) return <RemixLink {...props} />;
  const { to, prefetch, discover, reloadDocument, replace, state, preventScrollReset, relative, viewTransition, ...rest } = props;
  // The link's text arrives in `rest.children`.
  // eslint-disable-next-line jsx-a11y/anchor-has-content
  return <a href={to} {...rest} />;
}
