import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { LogFilters, LogPager, LogTable } from "~/components/log-filters.tsx";
import { reopenableDismissals } from "~/models/moderation-posts.server.ts";
import { listModerationLog } from "~/models/moderation-log.server.ts";
import { requireStaff } from "~/utils/auth.server.ts";
import { parsePage } from "~/utils/http.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Moderation log — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const url = new URL(request.url);
  const filter = {
    action: url.searchParams.get("action")?.slice(0, 40) || undefined,
    moderator: url.searchParams.get("moderator")?.slice(0, 40) || undefined,
    page: parsePage(request),
  };
  const log = await listModerationLog(user, filter);
  const dismissals = log.entries.filter((e) => e.action === "dismiss-reports").map((e) => e.id);
  return json({ ...log, filter, reopenable: await reopenableDismissals(user, dismissals) });
}

export default function ModerationLog() {
  const { entries, hasMore, actions, moderators, filter, reopenable } = useLoaderData<typeof loader>();
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
              {reopenable.includes(e.id) ? (
                // A dismissal can be taken back later too; the queue does the work and shows the post.
                <Form method="post" action="/mod/reports">
                  <input type="hidden" name="postId" value={e.targetId} />
                  <button type="submit" name="intent" value="reopen">
                    Reopen<span className="visually-hidden"> reports on post {e.targetId}</span>
                  </button>
                </Form>
              ) : null}
            </>
          ),
        }))}
      />
      <LogPager page={filter.page} hasMore={hasMore} params={params} />
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
