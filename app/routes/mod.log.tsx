import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { LogFilters, LogPager } from "~/components/log-filters.tsx";
import { Time } from "~/components/time.tsx";
import { listModerationLog } from "~/models/moderation-log.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { parsePage } from "~/utils/http.server.ts";

export const meta = () => [{ title: "Moderation log — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const url = new URL(request.url);
  const filter = {
    action: url.searchParams.get("action")?.slice(0, 40) || undefined,
    moderator: url.searchParams.get("moderator")?.slice(0, 40) || undefined,
    page: parsePage(request),
  };
  return json({ ...listModerationLog(user, filter), filter });
}

export default function ModerationLog() {
  const { entries, hasMore, actions, moderators, filter } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Moderation log</h1>
      <p>
        Every moderator action, newest first. The public version is the <Link to="/transparency">transparency log</Link>.
      </p>
      <LogFilters actions={actions} moderators={moderators} current={filter} />
      {entries.length === 0 ? <p>No actions match.</p> : null}
      <table className="log">
        <caption className="visually-hidden">Moderator actions</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Who</th>
            <th scope="col">What</th>
            <th scope="col">Target</th>
            <th scope="col">Reason</th>
          </tr>
        </thead>
        <tbody>
          {entries.map((e) => (
            <tr key={e.id}>
              <td>
                <Time value={e.createdAt} />
              </td>
              <td>{e.moderator}</td>
              <td>{e.action}</td>
              <td>
                {e.href ? <Link to={e.href}>{`${e.targetType} ${e.targetId}`}</Link> : `${e.targetType} ${e.targetId}`}
                {e.subject ? ` (${e.subject})` : ""}
              </td>
              <td>
                {e.reason ?? "—"}
                {e.privateNote ? <p className="meta">Note: {e.privateNote}</p> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <LogPager page={filter.page} hasMore={hasMore} params={params} />
    </>
  );
}
