// The e2e server's database, from a test's side. The server runs in another process, so what has
// no form of its own here (a promotion, a suspension, a saved theme, a form key running out) is set
// up in the rows, through the app's own database layer: the same code on SQLite and PostgreSQL.
import "./database-env.ts";
import { transaction, type Tx } from "../../db/client.ts";

export { e2eDatabaseEnv } from "./database-env.ts";
export * as tables from "../../db/schema.ts";

/** One unit of work on the e2e database. */
export function inE2eDatabase<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
  return transaction(work);
}
