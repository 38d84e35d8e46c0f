/**
 * Every `bodyHtml` (markdown rendered at write time) is in the page's HTML already; the data
 * embedded for hydration would carry it a second time: a third of a member's 50-post thread page.
 * PostBody leaves what the server rendered in place when its html is missing (docs/decisions/008).
 * A null stays: it means the text is not shown.
 */
export function withoutRenderedBodies(handoff: string | undefined) {
  if (!handoff?.includes('"bodyHtml":"')) return handoff;
  const data: unknown = JSON.parse(handoff, (key, value: unknown) => (key === "bodyHtml" && typeof value === "string" ? undefined : value));
  // Escaped as Remix escapes it, so nothing in it can close the script element.
  return JSON.stringify(data).replace(/[&<>\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
