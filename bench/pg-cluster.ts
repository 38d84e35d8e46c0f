// A PostgreSQL cluster for benchmarks, kept in a folder you name and left running between runs:
//   npx tsx bench/pg-cluster.ts start /tmp/bench-pg/cluster [--database unclench]
//   npx tsx bench/pg-cluster.ts stop /tmp/bench-pg/cluster
// Unlike tests/pg-cluster.ts it keeps PostgreSQL's default durability (fsync, synchronous_commit,
// full_page_writes all on): a benchmark of replies must pay for the commit a production server pays for.
// It listens on a unix socket in the folder only (no TCP port); as root it runs as the `postgres` user.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { findPostgres, INSTALL_HELP } from "../scripts/ensure-postgres.mjs";

const asRoot = process.getuid?.() === 0;

function asServerUser(bin: string, args: string[]) {
  const [command, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/** The URL of a database of the cluster in `dir`, over its unix socket. */
export const clusterUrl = (dir: string, database: string) => `postgres://postgres@/${database}?host=${encodeURIComponent(resolve(dir))}`;

/**
 * The postmaster's pid from a postgres:// URL's socket folder (…?host=/dir, data in /dir/data),
 * or from the data directory of the server the URL reaches; null when neither can be read.
 */
export async function postmasterPid(url: string): Promise<number | null> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const dataDir = (await client.query<{ setting: string }>("select setting from pg_settings where name = 'data_directory'")).rows[0]!.setting;
    return Number(readFileSync(join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
  } catch {
    return null;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Starts (creating it first if needed) the cluster in `dir`; returns the URL of `database`, created if missing. */
export async function startBenchCluster(dir: string, database = "unclench") {
  const bin = findPostgres();
  if (!bin) throw new Error(INSTALL_HELP);
  dir = resolve(dir);
  const data = join(dir, "data");
  mkdirSync(dir, { recursive: true });
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
  }
  if (!existsSync(join(data, "PG_VERSION"))) {
    asServerUser(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"]);
  }
  if (!existsSync(join(data, "postmaster.pid"))) {
    // Durability as shipped; memory as a small dedicated database host would set it.
    const options = `-c listen_addresses='' -k ${dir} -c shared_buffers=512MB -c max_connections=200`;
    asServerUser(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-o", options, "-w", "start"]);
  }
  const admin = new pg.Client({ connectionString: clusterUrl(dir, "postgres") });
  await admin.connect();
  try {
    const exists = await admin.query("select 1 from pg_database where datname = $1", [database]);
    if (!exists.rowCount) await admin.query(`create database ${pg.escapeIdentifier(database)}`);
  } finally {
    await admin.end();
  }
  return clusterUrl(dir, database);
}

export function stopBenchCluster(dir: string) {
  const bin = findPostgres();
  if (!bin) throw new Error(INSTALL_HELP);
  asServerUser(join(bin, "pg_ctl"), ["-D", join(resolve(dir), "data"), "-m", "fast", "-w", "stop"]);
}

const isCli = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isCli) {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { database: { type: "string", default: "unclench" } } });
  const [command, dir] = positionals;
  if (!dir || (command !== "start" && command !== "stop")) {
    console.error("Usage: npx tsx bench/pg-cluster.ts start|stop <folder> [--database unclench]");
    process.exit(1);
  }
  if (command === "start") console.log(await startBenchCluster(dir, values.database));
  else stopBenchCluster(dir);
}
