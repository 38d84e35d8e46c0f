import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { LogFilters, LogPager, LogTable } from "~/components/log-filters.tsx";
import { listTransparencyLog } from "~/models/moderation-log.server.ts";
import { parsePage } from "~/utils/http.server.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const handle = readOnlyForVisitors;

export const meta = () => [{ title: "Transparency log — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const filter = { action: url.searchParams.get("action")?.slice(0, 40) || undefined, page: parsePage(request) };
  return json({ ...(await listTransparencyLog(filter)), filter });
}

export default function Transparency() {
  const { entries, hasMore, actions, filter } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <>
      <h1>Transparency log</h1>
      <p>What our moderators have done and why. Who reported what, private notes and the names of restricted members are never shown here.</p>
      <LogFilters actions={actions} current={filter} />
      <LogTable
        rows={entries.map((e) => ({
          ...e,
          target: e.href ? <Link to={e.href}>a {e.targetType}</Link> : e.targetType === "user" ? "a member" : `a ${e.targetType.replace("_", " ")}`,
        }))}
      />
      <LogPager page={filter.page} hasMore={hasMore} params={params} />
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
