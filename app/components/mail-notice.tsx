import { Link } from "~/components/link.tsx";
import { Time } from "~/components/time.tsx";

/** As a loader sends getMailNotice's answer (app/models/mail-events.server.ts): dates as strings. */
type MailNotice = { refusedAt: string | null; complainedAt: string | null };

/**
 * Tells a member why email stopped (docs/decisions/041): their address was refused, or their mail
 * provider reported our mail as unwanted. Nothing when neither holds.
 */
export function MailNotice({ notice }: { notice: MailNotice }) {
  if (!notice.refusedAt && !notice.complainedAt) return null;
  return (
    <div className="notice" role="note">
      {notice.refusedAt ? (
        <p>
          Mail to your address was refused on <Time value={notice.refusedAt} />, so we've stopped emailing you.{" "}
          <Link to="/settings#email">Check or change your email address</Link>.
        </p>
      ) : null}
      {notice.complainedAt ? (
        <p>
          On <Time value={notice.complainedAt} /> your email provider told us you marked our mail as unwanted, so we turned off all email notifications. You
          still see everything here. <Link to="/settings/notifications">Turn email back on in your settings</Link>.
        </p>
      ) : null}
    </div>
  );
}
