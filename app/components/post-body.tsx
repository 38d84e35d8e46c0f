/**
 * Shows HTML produced by app/utils/markdown.server.ts (stored at write time, or a preview
 * rendered by it). Nothing else may be passed here.
 */
export function PostBody({ html, className = "" }: { html: string; className?: string }) {
  return <div className={`prose ${className}`.trim()} dangerouslySetInnerHTML={{ __html: html }} />;
}
