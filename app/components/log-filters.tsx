import { Form, Link } from "@remix-run/react";
import type { ReactNode } from "react";
import { Time } from "./time.tsx";

/** GET filters for the moderation and transparency logs; work without JS. */
export function LogFilters({ actions, moderators, current }: { actions: string[]; moderators?: string[]; current: { action?: string; moderator?: string } }) {
  return (
    <Form method="get" className="filters">
      <FilterSelect name="action" label="Action" allLabel="All actions" options={actions} value={current.action} />
      {moderators ? <FilterSelect name="moderator" label="Moderator" allLabel="All moderators" options={moderators} value={current.moderator} /> : null}
      <button type="submit">Filter</button>
    </Form>
  );
}

/** One filter: the empty choice shows everything. */
function FilterSelect({ name, label, allLabel, options, value }: { name: string; label: string; allLabel: string; options: string[]; value?: string }) {
  const id = `filter-${name}`;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} name={name} defaultValue={value ?? ""}>
        <option value="">{allLabel}</option>
        {options.map((option) => (
          <option key={option} value={option}>
            {option}
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

/** The moderation log's table; /mod/log and /transparency differ only in what they put in a row. */
export function LogTable({ rows }: { rows: LogRow[] }) {
  if (rows.length === 0) return <p>No moderator actions match.</p>;
  return (
    <table className="log">
      <caption className="visually-hidden">Moderator actions</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Moderator</th>
          <th scope="col">What</th>
          <th scope="col">On</th>
          <th scope="col">Reason</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={row.id}>
            <td>
              <Time value={row.createdAt} />
            </td>
            <td>{row.moderator}</td>
            <td>{row.action}</td>
            <td>{row.target}</td>
            <td>
              {row.reason ?? "—"}
              {row.privateNote ? <p className="meta">Note: {row.privateNote}</p> : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
