/**
 * Shows HTML produced by app/utils/markdown.server.ts (stored at write time, or a preview
 * rendered by it). Nothing else may be passed here.
 */
export function PostBody({ html, className = "" }: { html: string; className?: string }) {
  // On hydration `html` is missing (app/entry.server.tsx leaves it out of the embedded data): React
  // does not touch an element's inner HTML when it hydrates, so the server's text stays, and an
  // unchanged "" on later renders leaves it alone too. Fresh data from the server replaces it.
  return <div className={`prose ${className}`.trim()} dangerouslySetInnerHTML={{ __html: html ?? "" }} suppressHydrationWarning />;
}
