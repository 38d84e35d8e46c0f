import { Link } from "~/components/link.tsx";

/** What a member reads after reporting a post or a message; the crisis line when they chose "at risk". */
export function ReportThanks({
  done,
  queued,
  back,
  backLabel,
}: {
  done: { alreadyReported: boolean; atRisk: boolean };
  queued: string;
  back: string;
  backLabel: string;
}) {
  return (
    <>
      <h1>Thanks for telling us</h1>
      <p role="status">{queued}</p>
      {done.atRisk ? (
        <p>
          If someone is in immediate danger, please call your local emergency number. You can find a crisis line near you at{" "}
          <a href="https://findahelpline.com">findahelpline.com</a>.
        </p>
      ) : null}
      <p>
        <Link to={back} className="button">
          {backLabel}
        </Link>
      </p>
    </>
  );
}
