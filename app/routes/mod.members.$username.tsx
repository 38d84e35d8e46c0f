import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/link.tsx";
import { RestrictionFields } from "~/components/moderation-fields.tsx";
import { Time } from "~/components/time.tsx";
import { getMemberStanding, liftRestriction, silenceMember, suspendMember } from "~/models/moderation-members.server.ts";
import { requireStaff, restriction } from "~/utils/auth.server.ts";
import { readForm, validate } from "~/utils/forms.server.ts";
import { badRequest } from "~/utils/http.server.ts";
import { restrictionSchema } from "~/utils/schemas.server.ts";
import { RouteErrorBoundary } from "~/components/error-page.tsx";

export const meta = () => [{ title: "Member standing — Unclench" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireStaff(request);
  const member = await getMemberStanding(user, params.username ?? "");
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
  const member = await getMemberStanding(user, params.username ?? "");
  const values = await readForm(request);
  const back = `/mod/members/${member.username}`;
  if (values.intent === "suspend" || values.intent === "silence") {
    const result = validate(restrictionSchema, values);
    if (!result.ok) return json({ intent: values.intent, errors: result.errors, values }, { status: 400 });
    if (values.intent === "suspend") await suspendMember(user, member.id, result.data);
    else await silenceMember(user, member.id, result.data);
    return redirect(back);
  }
  if (values.intent === "unsuspend" || values.intent === "unsilence") {
    await liftRestriction(user, member.id, values.intent === "unsuspend" ? "suspension" : "silence");
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

const wording = {
  suspend: {
    state: "Suspended",
    lift: "Lift suspension now",
    liftIntent: "unsuspend",
    verb: "Suspend",
    reason: "Reason for the suspension (shown to the member)",
    none: "Not suspended.",
  },
  silence: {
    state: "Silenced",
    lift: "Lift silence now",
    liftIntent: "unsilence",
    verb: "Silence",
    reason: "Reason for silencing (shown to the member)",
    none: "Not silenced.",
  },
} as const;

function RestrictionSection({
  kind,
  title,
  about,
  current,
  member,
  errors,
  values,
}: {
  kind: "suspend" | "silence";
  title: string;
  about: string;
  current: { until: string | null; reason: string | null } | null;
  member: { username: string; canRestrict: boolean };
  errors?: Record<string, string>;
  values?: Record<string, string>;
}) {
  const words = wording[kind];
  return (
    <section className="card" aria-labelledby={`${kind}-heading`}>
      <h2 id={`${kind}-heading`}>{title}</h2>
      <p>{about}</p>
      {current ? (
        <Form method="post">
          <p>
            {words.state} <Until until={current.until} />: {current.reason}
          </p>
          {member.canRestrict ? (
            <button type="submit" name="intent" value={words.liftIntent}>
              {words.lift}
            </button>
          ) : null}
        </Form>
      ) : member.canRestrict ? (
        <Form method="post">
          <RestrictionFields prefix={kind} errors={errors} values={values} reasonLabel={words.reason} />
          <button type="submit" name="intent" value={kind} className="danger">
            {words.verb} {member.username}
          </button>
        </Form>
      ) : (
        <p>{words.none}</p>
      )}
    </section>
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

      <RestrictionSection
        kind="suspend"
        title="Suspension"
        about="A suspended member is logged out everywhere at once and can't log in until it ends; they see your reason and the end date."
        current={member.suspension}
        member={member}
        errors={errorsFor("suspend")}
        values={valuesFor("suspend")}
      />
      <RestrictionSection
        kind="silence"
        title="Silence"
        about="A silenced member can still read, but can't post, reply, react or report. Their sessions stay."
        current={member.silence}
        member={member}
        errors={errorsFor("silence")}
        values={valuesFor("silence")}
      />
    </>
  );
}

// Errors render inside the page, with the member's header and theme (the root loader still runs).
export const ErrorBoundary = RouteErrorBoundary;
