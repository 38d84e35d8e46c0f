import { formatDateTime } from "~/utils/format.ts";

export function Time({ value }: { value: string | Date }) {
  const date = new Date(value);
  return <time dateTime={date.toISOString()}>{formatDateTime(date)}</time>;
}
