/**
 * Which engine this process runs on, decided once from the environment (issue 25): a
 * `DATABASE_URL` of postgres://… (or postgresql://…) means PostgreSQL; anything else, SQLite at
 * DATABASE_PATH. The schema and the client both ask here, so they can never disagree.
 */
export function usesPostgres(): boolean {
  return /^postgres(ql)?:\/\//.test(process.env.DATABASE_URL ?? "");
}
