import { Form } from "@remix-run/react";
import { Link } from "./link.tsx";
import type { ReactNode } from "react";
import { Time } from "./time.tsx";

// What each logged action code means, in words a member reading /transparency understands.
const ACTION_LABELS: Record<string, string> = {
  pin: "Pinned",
  unpin: "Unpinned",
  "pin-up": "Moved a pin up",
  "pin-down": "Moved a pin down",
  lock: "Locked",
  unlock: "Unlocked",
  move: "Moved to another board",
  "remove-thread": "Removed",
  "restore-thread": "Restored",
  "remove-post": "Removed",
  "restore-post": "Restored",
  "dismiss-reports": "Dismissed reports",
  "reopen-reports": "Reopened reports",
  "add-warning": "Put a content warning on a post",
  "change-warning": "Changed a post's content warning",
  "remove-warning": "Took a content warning off a post",
  suspend: "Suspended",
  unsuspend: "Lifted a suspension",
  "appeal-granted": "Granted a request for review",
  "appeal-denied": "Turned down a request for review",
  "check-in": "Checked in with a member",
  silence: "Made read-only",
  unsilence: "Lifted read-only",
  "grant-moderator": "Made a moderator",
  "revoke-moderator": "Stopped being a moderator",
  "article.create": "Wrote an article",
  "article.edit": "Edited an article",
  "article.publish": "Published an article",
  "article.unpublish": "Unpublished an article",
  "article.archive": "Archived an article",
  "article.pin": "Pinned an article",
  "article.unpin": "Unpinned an article",
  "article.reorder": "Reordered pinned articles",
  "evidence_note.add": "Added an evidence note",
  "evidence_note.edit": "Edited an evidence note",
  "evidence_note.remove": "Removed an evidence note",
  "thread.link_article": "Linked related reading",
  "thread.unlink_article": "Unlinked related reading",
  "board.access": "Changed who can read a board",
  "board.review": "Changed how a board reviews new members' posts",
  "approve-post": "Approved a new member's post",
  "return-post": "Returned a new member's post",
  "tag.add": "Added a tag",
  "tag.rename": "Renamed a tag",
  "tag.remove": "Removed a tag",
  "thread.tags": "Changed a thread's tags",
};

/** The log's action codes in words; a code without a label still reads ("remove post"). */
export const actionLabel = (code: string) => (Object.hasOwn(ACTION_LABELS, code) ? ACTION_LABELS[code]! : code.replace(/[._-]+/g, " "));

/** GET filters for the moderation and transparency logs; work without JS. */
export function LogFilters({ actions, moderators, current }: { actions: string[]; moderators?: string[]; current: { action?: string; moderator?: string } }) {
  return (
    <Form method="get" className="filters">
      <FilterSelect name="action" label="Action" allLabel="All actions" options={actions} value={current.action} optionLabel={actionLabel} />
      {moderators ? <FilterSelect name="moderator" label="Moderator" allLabel="All moderators" options={moderators} value={current.moderator} /> : null}
      <button type="submit">Filter</button>
    </Form>
  );
}

/** One filter: the empty choice shows everything. */
function FilterSelect({
  name,
  label,
  allLabel,
  options,
  value,
  optionLabel = (option) => option,
}: {
  name: string;
  label: string;
  allLabel: string;
  options: string[];
  value?: string;
  optionLabel?: (option: string) => string;
}) {
  const id = `filter-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""}>
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {optionLabel(option)}
          </option>
        ))}
      </select>
    </div>
  );
}

export function LogPager({ page, hasMore, params }: { page: number; hasMore: boolean; params: URLSearchParams }) {
  const to = (p: number) => {
    const next = new URLSearchParams(params);
    next.set("page", String(p));
    return `?${next}`;
  };
  if (page === 1 && !hasMore) return null;
  return (
    <nav className="pagination" aria-label="Log pages">
      <ul>
        {page > 1 ? (
          <li>
            <Link to={to(page - 1)} rel="prev">
              Newer
            </Link>
          </li>
        ) : null}
        {hasMore ? (
          <li>
            <Link to={to(page + 1)} rel="next">
              Older
            </Link>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

export type LogRow = {
  id: number;
  createdAt: string;
  moderator: string;
  action: string;
  target: ReactNode;
  reason: string | null;
  privateNote?: string | null;
};

/**
 * A wide table that becomes one block per row where there is no room for its columns
 * (styles.css, `.table-reflow`), so the page never scrolls sideways (WCAG 1.4.10). Each cell
 * carries its column's name in `data-label` for that layout. The roles restate the table's own:
 * some browsers drop table semantics once the CSS display of its parts changes.
 */
// The explicit roles are deliberate: the narrow-screen layout gives table parts `display: block`,
// which makes some browsers drop their table semantics.
/* eslint-disable jsx-a11y/no-redundant-roles, jsx-a11y/no-interactive-element-to-noninteractive-role */
export function ReflowTable({ caption, columns, children }: { caption: string; columns: string[]; children: ReactNode }) {
  return (
    <div className="table-reflow">
      <table className="log" role="table">
        <caption className="visually-hidden">{caption}</caption>
        <thead role="rowgroup">
          <tr role="row">
            {columns.map((column) => (
              <th key={column} scope="col" role="columnheader">
                {column}
              </th>
            ))}
          </tr>
        </thead>
        <tbody role="rowgroup">{children}</tbody>
      </table>
    </div>
  );
}

/** One row of a ReflowTable: cells in the order of its columns. */
export function ReflowRow({ columns, cells }: { columns: string[]; cells: ReactNode[] }) {
  return (
    <tr role="row">
      {cells.map((cell, i) => (
        <td key={columns[i]} role="cell" data-label={columns[i]}>
          {cell}
        </td>
      ))}
    </tr>
  );
}
/* eslint-enable jsx-a11y/no-redundant-roles, jsx-a11y/no-interactive-element-to-noninteractive-role */

const LOG_COLUMNS = ["When", "Moderator", "What", "On", "Reason"];

/** The moderation log's table; /mod/log and /transparency differ only in what they put in a row. */
export function LogTable({ rows }: { rows: LogRow[] }) {
  if (rows.length === 0) return <p>No moderator actions match.</p>;
  return (
    <ReflowTable caption="Moderator actions" columns={LOG_COLUMNS}>
      {rows.map((row) => (
        <ReflowRow
          key={row.id}
          columns={LOG_COLUMNS}
          cells={[
            <Time key="when" value={row.createdAt} />,
            row.moderator,
            actionLabel(row.action),
            row.target,
            <>
              {row.reason ?? "—"}
              {row.privateNote ? <p className="meta">Note: {row.privateNote}</p> : null}
            </>,
          ]}
        />
      ))}
    </ReflowTable>
  );
}
