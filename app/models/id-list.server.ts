import { inArray, sql, type Column, type SQL } from "drizzle-orm";
import { POSTS_PER_PAGE } from "../utils/limits.ts";

/**
 * `column IN (…ids)`: false for no ids, rather than the invalid `IN ()`. Its lists are a page of
 * posts or a post's mentions at most, well under any engine's limit on bound parameters.
 */
export const inIdList = (column: Column, ids: readonly number[]): SQL => inArray(column, [...ids]);

/** How many ids a query built once (db/client.ts, `prepared`) takes: a page of posts. */
const ID_SLOTS = POSTS_PER_PAGE;
const slotNames = Array.from({ length: ID_SLOTS }, (_, i) => `id${i}`);

/** `column IN (?, …)` with ID_SLOTS placeholders, for a prepared query: fill them with idSlots(). */
export const inIdSlots = (column: Column): SQL =>
  inArray(
    column,
    slotNames.map((name) => sql.placeholder(name)),
  );

/**
 * The values for inIdSlots(), one set per ID_SLOTS ids (none for no ids). A short list repeats
 * its last id in the spare slots, which IN ignores; the SQL stays the same for any count.
 */
export function idSlots(ids: readonly number[]): Record<string, number>[] {
  const sets: Record<string, number>[] = [];
  for (let start = 0; start < ids.length; start += ID_SLOTS) {
    const chunk = ids.slice(start, start + ID_SLOTS);
    const values: Record<string, number> = {};
    for (let i = 0; i < ID_SLOTS; i++) values[slotNames[i]!] = chunk[Math.min(i, chunk.length - 1)]!;
    sets.push(values);
  }
  return sets;
}
