// Calendar dates (YYYY-MM-DD) are shown as days, in UTC, so server and browser agree.
const calendarDate = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

export function formatCalendarDate(value: string) {
  const date = new Date(`${value}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? value : calendarDate.format(date);
}

export function CalendarDate({ value }: { value: string }) {
  return <time dateTime={value}>{formatCalendarDate(value)}</time>;
}

export function OverdueBadge() {
  return <strong className="badge badge-overdue">Review overdue</strong>;
}

/** "Last reviewed <date> by <reviewer>", with a badge once the next review date has passed. */
export function ReviewLine({
  lastReviewedOn,
  nextReviewDueOn,
  reviewer,
  overdue,
}: {
  lastReviewedOn: string;
  nextReviewDueOn: string;
  reviewer: string;
  overdue: boolean;
}) {
  return (
    <p className="review-line">
      Last reviewed <CalendarDate value={lastReviewedOn} /> by {reviewer}.{" "}
      {overdue ? (
        <>
          <OverdueBadge /> (the next review was due <CalendarDate value={nextReviewDueOn} />)
        </>
      ) : (
        <>
          Next review due <CalendarDate value={nextReviewDueOn} />.
        </>
      )}
    </p>
  );
}
