import { sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/**
 * `column IN (…)` over ids passed as one JSON parameter, `idList(ids)`. The SQL is then the same for
 * any number of ids, so a query for a page of posts is prepared once: inArray() writes a
 * placeholder per id, and building that query on every thread view cost as much as running it.
 */
export const inIdList = (column: SQLiteColumn, placeholder = "ids"): SQL => sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(placeholder)}))`;

export const idList = (ids: readonly number[]) => JSON.stringify(ids);
