import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { LogFilters, LogPager, LogTable } from "~/components/log-filters.tsx";
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
      <LogTable
        rows={entries.map((e) => ({
          ...e,
          target: (
            <>
              {e.href ? <Link to={e.href}>{`${e.targetType} ${e.targetId}`}</Link> : `${e.targetType} ${e.targetId}`}
              {e.subject ? ` (${e.subject})` : ""}
            </>
          ),
        }))}
      />
      <LogPager page={filter.page} hasMore={hasMore} params={params} />
    </>
  );
}
