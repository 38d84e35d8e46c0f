import { createContext, useContext } from "react";
import { formatDateTime } from "~/utils/format.ts";

/** The viewer's time zone (their setting, else UTC), provided by the root for every time shown. */
export const TimeZoneContext = createContext("UTC");

/** formatDateTime in the viewer's time zone, for text that must match a <Time> (e.g. a label). */
export function useFormatDateTime() {
  const timeZone = useContext(TimeZoneContext);
  return (value: string | Date) => formatDateTime(new Date(value), timeZone);
}

export function Time({ value }: { value: string | Date }) {
  const format = useFormatDateTime();
  const date = new Date(value);
  return <time dateTime={date.toISOString()}>{format(date)}</time>;
}
