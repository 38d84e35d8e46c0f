import { Link } from "./link.tsx";
import type { ReactNode } from "react";
import { plural } from "~/utils/format.ts";
import { TagList, type Tag } from "./tags.tsx";
import { Time } from "./time.tsx";

export type ThreadRowData = {
  id: number;
  title: string;
  author: string;
  replyCount: number;
  lastPostAt: string;
  lastPoster: string | null;
  locked: boolean;
  /** Its author kept it to members. */
  membersOnly: boolean;
};

type Unread = { count: number; href?: string };

/** A thread in a board list. For a member who has opened it before, new replies are marked and the link lands on the first unread post. */
export function ThreadRow({
  thread,
  pinned,
  unread,
  tags,
  boardSlug,
  boardName,
  children,
}: {
  thread: ThreadRowData;
  pinned?: boolean;
  unread?: Unread;
  tags?: Tag[];
  boardSlug: string;
  /** Named on lists that span boards (a tag's page). */
  boardName?: string;
  children?: ReactNode;
}) {
  return (
    <li className="card">
      <h3>
        {pinned ? <span className="badge">Pinned</span> : null} {thread.locked ? <span className="badge">Locked</span> : null}{" "}
        {thread.membersOnly ? <span className="badge">Members only</span> : null} <Link to={unread?.href ?? `/threads/${thread.id}`}>{thread.title}</Link>{" "}
        {unread && unread.count > 0 ? <span className="badge new">{plural(unread.count, "new reply", "new replies")}</span> : null}
      </h3>
      <p className="meta">
        {boardName ? `In ${boardName} · ` : ""}Started by {thread.author} · {plural(thread.replyCount, "reply", "replies")} · Last activity{" "}
        <Time value={thread.lastPostAt} />
        {thread.lastPoster ? ` by ${thread.lastPoster}` : ""}
      </p>
      <TagList tags={tags} boardSlug={boardSlug} />
      {children}
    </li>
  );
}
