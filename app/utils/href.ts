/**
 * A local href with these search params set. Its fragment is kept, or replaced by `hash` (a name,
 * or null for none).
 */
export function withParams(href: string, params: Record<string, string>, hash?: string | null) {
  const [path, fragment] = href.split("#");
  const url = new URL(path!, "http://unclench.invalid");
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  const kept = hash === undefined ? fragment : hash;
  return `${url.pathname}${url.search}${kept ? `#${kept}` : ""}`;
}
