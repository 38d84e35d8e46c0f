import type { ReactNode } from "react";

/**
 * A post by someone the viewer muted: collapsed to one line, opened on request. <details>
 * needs no JavaScript and is announced as expandable by screen readers.
 */
export function MutedPost({ children }: { children: ReactNode }) {
  return (
    <details className="muted-post">
      <summary>
        Post by a muted member <span className="muted-show">(show)</span>
        <span className="muted-hide">(hide)</span>
      </summary>
      {children}
    </details>
  );
}
