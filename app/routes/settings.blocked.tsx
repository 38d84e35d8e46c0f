import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData, useSearchParams } from "@remix-run/react";
import { RouteErrorBoundary } from "~/components/error-page.tsx";
import { Link } from "~/components/link.tsx";
import { Time } from "~/components/time.tsx";
import { listBlockedMembers, unblockMember } from "~/models/blocks.server.ts";
import { listMutedMembers, unmuteMember } from "~/models/mutes.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest } from "~/utils/http.server.ts";
import { unblockOrUnmuteSchema } from "~/utils/schemas.server.ts";

export const meta: MetaFunction = () => [{ title: "Blocked and muted members — Unclench" }];

const PAGE = "/settings/blocked";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [blocked, muted] = await Promise.all([listBlockedMembers(user.id), listMutedMembers(user.id)]);
  return json({ blocked, muted });
}

/** Unblock or Unmute, one member per press; back to the list with a note. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request, PAGE);
  const result = validate(unblockOrUnmuteSchema, await readForm(request));
  if (!result.ok) badRequest("That isn't something this page can do.");
  const { intent, username } = result.data;
  if (intent === "unblock") await unblockMember(user, username);
  else await unmuteMember(user, username);
  return redirect(`${PAGE}?done=${intent}`);
}

const doneNotes: Record<string, string> = { unblock: "The block is lifted.", unmute: "The mute is lifted." };

type Listed = { username: string; since: string; deleted: boolean };

/** One list: each member with when, and a button that names them. */
function MemberList({ members, intent, verb, empty }: { members: Listed[]; intent: string; verb: string; empty: string }) {
  if (members.length === 0) return <p>{empty}</p>;
  return (
    <ul className="session-list">
      {members.map((m) => (
        <li key={m.username} className="session">
          <p className="session-about">
            {/* A deleted account has no profile to go to; its old posts stay under this name. */}
            {m.deleted ? <strong>{m.username}</strong> : <Link to={`/u/${m.username}`}>{m.username}</Link>}{" "}
            <span className="meta">
              since <Time value={m.since} />
            </span>
          </p>
          <Form method="post">
            <input type="hidden" name="username" value={m.username} />
            <button type="submit" name="intent" value={intent}>
              {verb} {m.username}
            </button>
          </Form>
        </li>
      ))}
    </ul>
  );
}

export default function BlockedAndMuted() {
  const { blocked, muted } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const done = doneNotes[params.get("done") ?? ""];
  return (
    <div className="settings">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/settings">Settings</Link>
      </nav>
      <h1>Blocked and muted members</h1>
      <div role="status">{done ? <p className="saved">{done}</p> : null}</div>
      <p>Only you see these lists. Nobody is told when you block, mute, unblock or unmute them. To block or mute someone, use the buttons on their profile.</p>

      <section aria-labelledby="blocked-heading" className="settings-section card">
        <h2 id="blocked-heading">Blocked</h2>
        <p className="hint">
          Their posts are collapsed for you, and neither of you can reply in the other's threads, quote, answer or react to the other's posts, or notify the
          other. Moderators and admins can't be blocked.
        </p>
        <MemberList members={blocked} intent="unblock" verb="Unblock" empty="You haven't blocked anyone." />
      </section>

      <section aria-labelledby="muted-heading" className="settings-section card">
        <h2 id="muted-heading">Muted</h2>
        <p className="hint">Their posts are collapsed for you, and they can't notify you. They can still reply to you.</p>
        <MemberList members={muted} intent="unmute" verb="Unmute" empty="You haven't muted anyone." />
      </section>
    </div>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
