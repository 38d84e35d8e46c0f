import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { RestrictionFields } from "~/components/moderation-fields.tsx";
import { Time } from "~/components/time.tsx";
import { getMemberStanding, liftRestriction, silenceMember, suspendMember } from "~/models/moderation.server.ts";
import { requireStaff, restriction } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest } from "~/utils/http.server.ts";
import { restrictionSchema } from "~/utils/schemas.server.ts";

export const meta = () => [{ title: "Member standing — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const member = getMemberStanding(user, params.username ?? "");
  return json({
    member: {
      username: member.username,
      role: member.role,
      createdAt: member.createdAt,
      canRestrict: member.canRestrict,
      suspension: describe(restriction(member.suspendedAt, member.suspendedUntil), member.suspendReason),
      silence: describe(restriction(member.silencedAt, member.silencedUntil), member.silenceReason),
    },
  });
}

function describe(until: Date | "permanent" | null, reason: string | null) {
  return until ? { until: until === "permanent" ? null : until.toISOString(), reason } : null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireStaff(request);
  const member = getMemberStanding(user, params.username ?? "");
  const values = await readForm(request);
  const back = `/mod/members/${member.username}`;
  if (values.intent === "suspend" || values.intent === "silence") {
    const result = validate(restrictionSchema, values);
    if (!result.ok) return json({ intent: values.intent, errors: result.errors, values }, { status: 400 });
    if (values.intent === "suspend") suspendMember(user, member.id, result.data);
    else silenceMember(user, member.id, result.data);
    return redirect(back);
  }
  if (values.intent === "unsuspend" || values.intent === "unsilence") {
    liftRestriction(user, member.id, values.intent === "unsuspend" ? "suspension" : "silence");
    return redirect(back);
  }
  badRequest("Unknown moderation action.");
}

function Until({ until }: { until: string | null }) {
  return until ? (
    <>
      until <Time value={until} />
    </>
  ) : (
    <>permanently</>
  );
}

export default function MemberStanding() {
  const { member } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errorsFor = (intent: string) => (data?.intent === intent ? data.errors : undefined);
  const valuesFor = (intent: string) => (data?.intent === intent ? data.values : undefined);
  return (
    <>
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/mod/reports">Report queue</Link> › <Link to="/admin/users">Members</Link>
      </nav>
      <h1>{member.username}</h1>
      <p className="meta">
        {member.role} · joined <Time value={member.createdAt} />
      </p>
      {!member.canRestrict ? <p>You can't restrict this account (it is yours, an admin's, or — for moderators — another moderator's).</p> : null}

      <section className="card" aria-labelledby="suspend-heading">
        <h2 id="suspend-heading">Suspension</h2>
        <p>A suspended member is logged out everywhere at once and can't log in until it ends; they see your reason and the end date.</p>
        {member.suspension ? (
          <Form method="post">
            <p>
              Suspended <Until until={member.suspension.until} />: {member.suspension.reason}
            </p>
            {member.canRestrict ? (
              <button type="submit" name="intent" value="unsuspend">
                Lift suspension now
              </button>
            ) : null}
          </Form>
        ) : member.canRestrict ? (
          <Form method="post">
            <RestrictionFields prefix="suspend" errors={errorsFor("suspend")} values={valuesFor("suspend")} reasonLabel="Reason for the suspension (shown to the member)" />
            <button type="submit" name="intent" value="suspend" className="danger">
              Suspend {member.username}
            </button>
          </Form>
        ) : (
          <p>Not suspended.</p>
        )}
      </section>

      <section className="card" aria-labelledby="silence-heading">
        <h2 id="silence-heading">Silence</h2>
        <p>A silenced member can still read, but can't post, reply, react or report. Their sessions stay.</p>
        {member.silence ? (
          <Form method="post">
            <p>
              Silenced <Until until={member.silence.until} />: {member.silence.reason}
            </p>
            {member.canRestrict ? (
              <button type="submit" name="intent" value="unsilence">
                Lift silence now
              </button>
            ) : null}
          </Form>
        ) : member.canRestrict ? (
          <Form method="post">
            <RestrictionFields prefix="silence" errors={errorsFor("silence")} values={valuesFor("silence")} reasonLabel="Reason for silencing (shown to the member)" />
            <button type="submit" name="intent" value="silence" className="danger">
              Silence {member.username}
            </button>
          </Form>
        ) : (
          <p>Not silenced.</p>
        )}
      </section>
    </>
  );
}
