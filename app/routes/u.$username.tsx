import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { PostBody } from "~/components/post-body.tsx";
import { Time } from "~/components/time.tsx";
import { blockMember, unblockMember } from "~/models/blocks.server.ts";
import { muteMember, unmuteMember } from "~/models/mutes.server.ts";
import { getProfile } from "~/models/profiles.server.ts";
import { getUser, requireUser } from "~/utils/auth.server.ts";
import { plural } from "~/utils/format.ts";
import { canBlock, isStaff } from "~/utils/permissions.ts";
import { profileActionSchema } from "~/utils/schemas.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest, notFound } from "~/utils/http.server.ts";
import { readOnlyForVisitors } from "~/utils/scripts.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const handle = readOnlyForVisitors;

// A day is enough for "joined"; UTC so the server and browser render the same text.
const joinDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

function usernameParam(value: string | undefined) {
  // Anything that can't be a username can't be a profile: a 404, not a query.
  if (!value || !/^[A-Za-z0-9_-]{1,24}$/.test(value)) notFound("There is no member with that name.");
  return value.toLowerCase();
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const username = usernameParam(params.username);
  const user = await getUser(request);
  const profile = await getProfile(user, username);
  return json({ profile, loggedIn: !!user, canBlock: canBlock(user, profile), staffViewer: isStaff(user) });
}

const profileActions = { mute: muteMember, unmute: unmuteMember, block: blockMember, unblock: unblockMember };

export async function action({ request, params }: ActionFunctionArgs) {
  const username = usernameParam(params.username);
  const user = await requireUser(request, `/u/${username}`);
  const result = validate(profileActionSchema, await readForm(request));
  if (!result.ok) badRequest("That isn't something this page can do.");
  const { intent } = result.data;
  await profileActions[intent](user, username);
  return redirect(`/u/${username}#${intent.endsWith("block") ? "block" : "mute"}`);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.profile.username} — Unclench` : "Member — Unclench" }];

// The settings form's choices (users.*_visibility), as the member reads them about themself.
const whoSees: Record<string, string> = { everyone: "everyone", members: "logged-in members", nobody: "only you" };

export default function ProfilePage() {
  const { profile, loggedIn, canBlock, staffViewer } = useLoaderData<typeof loader>();
  // A field the viewer may not see is absent from the data (getProfile), so it is simply not drawn.
  const conditions = profile.conditions ?? [];
  const hasAbout = profile.bioHtml !== undefined || conditions.length > 0;
  return (
    <div className="profile">
      <h1>{profile.username}</h1>
      <p className="meta">
        {profile.role !== "member" ? (
          <>
            <span className="badge">{profile.role === "admin" ? "Admin" : "Moderator"}</span>{" "}
          </>
        ) : null}
        {profile.joinedAt ? (
          <>
            Joined <time dateTime={new Date(profile.joinedAt).toISOString()}>{joinDate.format(new Date(profile.joinedAt))}</time> ·{" "}
          </>
        ) : null}
        {plural(profile.threadCount, "thread")} · {plural(profile.postCount, "post")}
      </p>
      {profile.isSelf ? (
        <>
          {profile.visibility ? (
            <p className="hint" id="who-sees">
              Who sees your bio: {whoSees[profile.visibility.bio]} · your conditions: {whoSees[profile.visibility.conditions]} · when you joined:{" "}
              {whoSees[profile.visibility.joined]}. <Link to="/settings#profile">Change who sees what</Link>
            </p>
          ) : null}
          <p>
            <Link to="/settings" className="button">
              Edit your profile and settings
            </Link>
          </p>
        </>
      ) : null}

      {hasAbout ? (
        <section aria-labelledby="about-heading">
          <h2 id="about-heading">About</h2>
          {profile.bioHtml ? <PostBody html={profile.bioHtml} /> : null}
          {profile.bioHtml === null ? <p className="placeholder">No bio yet.</p> : null}
          {conditions.length > 0 ? (
            <>
              <h3>Lives with</h3>
              <ul className="condition-list">
                {conditions.map((c) => (
                  <li key={c.slug}>
                    <Link to={`/boards/${c.slug}`}>{c.name}</Link>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}

      {loggedIn ? (
        <p>
          <Link to={profile.isSelf ? "/messages" : `/messages/new?to=${profile.username}`} className="button">
            {profile.isSelf ? "Your private messages" : "Send a message"}
          </Link>
        </p>
      ) : null}
      {loggedIn && !profile.isSelf ? (
        <Form method="post" id="mute" className="mute-form">
          {profile.mutedByViewer ? (
            <>
              <p>You have muted {profile.username}. Their posts are collapsed for you and they can't notify you.</p>
              <button type="submit" name="intent" value="unmute">
                Unmute {profile.username}
              </button>
            </>
          ) : (
            <>
              <button type="submit" name="intent" value="mute">
                Mute {profile.username}
              </button>
              <p className="hint">Their posts will be collapsed for you, and they won't be able to notify you. They aren't told.</p>
            </>
          )}
        </Form>
      ) : null}
      {loggedIn && !profile.isSelf ? (
        <BlockForm username={profile.username} blocked={profile.blockedByViewer} canBlock={canBlock} staffViewer={staffViewer} />
      ) : null}

      <section aria-labelledby="recent-heading">
        <h2 id="recent-heading">Recent posts</h2>
        {profile.recentPosts.length === 0 ? (
          <p>No posts yet.</p>
        ) : (
          <ul className="recent-posts">
            {profile.recentPosts.map((p) => (
              <li key={p.id} className="card">
                <h3>
                  <Link to={p.href}>{p.threadTitle}</Link>
                </h3>
                <p className="meta">
                  <Time value={p.createdAt} />
                </p>
                {p.excerpt ? <p className="excerpt">{p.excerpt}</p> : null}
              </li>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

/**
 * Block / Unblock, beside Mute: what a block does, that the other member isn't told, and why a
 * moderator or admin can't be blocked (blocks.server.ts keeps the same rules).
 */
function BlockForm({ username, blocked, canBlock, staffViewer }: { username: string; blocked: boolean; canBlock: boolean; staffViewer: boolean }) {
  if (!blocked && !canBlock) {
    return (
      <p className="hint" id="block">
        Moderators and admins can't be blocked: they must be able to reach every member. You can still mute them.
      </p>
    );
  }
  // Staff are never stopped by a block (decision 032), so "neither of you" isn't true for them.
  const effect = staffViewer
    ? "Their posts are collapsed for you, and they can't reply in your threads, quote, answer or react to your posts, or notify you. As a moderator you can still reach them."
    : "Their posts are collapsed for you, and neither of you can reply in the other's threads, quote, answer or react to the other's posts, or notify the other (mentions included).";
  return (
    <Form method="post" id="block" className="mute-form">
      {blocked ? (
        <>
          <p>
            You have blocked {username}. {effect} They aren't told.
          </p>
          <button type="submit" name="intent" value="unblock">
            Unblock {username}
          </button>
        </>
      ) : (
        <>
          <button type="submit" name="intent" value="block">
            Block {username}
          </button>
          <p className="hint">Stronger than muting. {effect} They aren't told.</p>
        </>
      )}
    </Form>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
