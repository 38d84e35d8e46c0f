import type { ReactNode } from "react";

/**
 * A post by someone the viewer muted or blocked: collapsed to one line, opened on request. <details>
 * needs no JavaScript and is announced as expandable by screen readers.
 */
export function MutedPost({ children, label = "Post by a muted member" }: { children: ReactNode; label?: string }) {
  return (
    <details className="muted-post">
      <summary>
        {label} <span className="muted-show">(show)</span>
        <span className="muted-hide">(hide)</span>
      </summary>
      {children}
    </details>
  );
}
