import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { LogPager, ReflowRow, ReflowTable } from "~/components/log-filters.tsx";
import { Time } from "~/components/time.tsx";
import { listMembers, setRole } from "~/models/moderation-members.server.ts";
import { requireStaff, restriction } from "~/utils/auth.server.ts";
import { readForm } from "~/utils/forms.server.ts";
import { badRequest, parseId, parsePage, safeRedirect } from "~/utils/http.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Members — Unclench" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const q = new URL(request.url).searchParams.get("q")?.slice(0, 24) ?? "";
  const page = parsePage(request);
  const { members, hasMore } = await listMembers(user, { q, page });
  return json({
    q,
    page,
    hasMore,
    members: members.map(({ suspendedAt, suspendedUntil, silencedAt, silencedUntil, ...m }) => ({
      ...m,
      suspended: !!restriction(suspendedAt, suspendedUntil),
      silenced: !!restriction(silencedAt, silencedUntil),
    })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const values = await readForm(request);
  if (values.intent !== "grant-moderator" && values.intent !== "revoke-moderator") badRequest("Unknown action.");
  await setRole(user, parseId(values.userId), values.intent === "grant-moderator" ? "moderator" : "member");
  return redirect(safeRedirect(values.redirectTo, "/admin/users"));
}

const MEMBER_COLUMNS = ["Username", "Role", "Joined", "Standing", "Actions"];

export default function AdminUsers() {
  const { members, q, page, hasMore } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const here = `/admin/users${params.size ? `?${params}` : ""}`;
  return (
    <>
      <h1>Members</h1>
      <Form method="get" className="filters" role="search">
        <div className="field">
          <label htmlFor="member-q">Find a member by username</label>
          <input id="member-q" name="q" type="search" defaultValue={q} maxLength={24} />
        </div>
        <button type="submit">Find</button>
      </Form>
      {members.length === 0 ? (
        <p>No members match.</p>
      ) : (
        <ReflowTable caption="Members" columns={MEMBER_COLUMNS}>
          {members.map((m) => (
            <ReflowRow
              key={m.id}
              columns={MEMBER_COLUMNS}
              cells={[
                <Link key="name" to={`/mod/members/${m.username}`}>
                  {m.username}
                </Link>,
                m.role,
                <Time key="joined" value={m.createdAt} />,
                m.suspended ? "Suspended" : m.silenced ? "Silenced" : "Good",
                m.canChangeRole ? (
                  <Form key="role" method="post">
                    <input type="hidden" name="userId" value={m.id} />
                    <input type="hidden" name="redirectTo" value={here} />
                    <button type="submit" name="intent" value={m.role === "moderator" ? "revoke-moderator" : "grant-moderator"}>
                      {m.role === "moderator" ? `Revoke moderator from ${m.username}` : `Make ${m.username} a moderator`}
                    </button>
                  </Form>
                ) : null,
              ]}
            />
          ))}
        </ReflowTable>
      )}
      <LogPager page={page} hasMore={hasMore} params={params} />
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
