import { Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { plural } from "~/utils/format.ts";
import { Time } from "./time.tsx";

export type ThreadRowData = {
  id: number;
  title: string;
  author: string;
  replyCount: number;
  lastPostAt: string;
  lastPoster: string | null;
  locked: boolean;
};

export function ThreadRow({ thread, pinned, children }: { thread: ThreadRowData; pinned?: boolean; children?: ReactNode }) {
  return (
    <li className="card">
      <h3>
        {pinned ? <span className="badge">Pinned</span> : null} {thread.locked ? <span className="badge">Locked</span> : null}{" "}
        <Link to={`/threads/${thread.id}`}>{thread.title}</Link>
      </h3>
      <p className="meta">
        Started by {thread.author} · {plural(thread.replyCount, "reply", "replies")} · Last activity <Time value={thread.lastPostAt} />
        {thread.lastPoster ? ` by ${thread.lastPoster}` : ""}
      </p>
      {children}
    </li>
  );
}
