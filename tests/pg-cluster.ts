// A throw-away PostgreSQL cluster for tests (tests/postgres.test.ts, and later `npm run test:pg`):
// its own data folder and unix socket in a temp dir, no TCP port, torn down with its folder.
// initdb and the server refuse to run as root, so as root they run as the `postgres` user.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { findPostgres, INSTALL_HELP } from "../scripts/ensure-postgres.mjs";

export type Cluster = {
  /** The folder holding the data directory, the socket and the log. */
  dir: string;
  /** A postgres:// URL for a database of this cluster (created by createDatabase). */
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): void;
};

function asServerUser(bin: string, args: string[]) {
  const root = process.getuid?.() === 0;
  const [command, argv] = root ? ["runuser", ["-u", "postgres", "--", bin, ...args]] : [bin, args];
  const result = spawnSync(command, argv, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${bin} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stderr}${result.stdout}`);
}

/** Starts a cluster, or throws with how to install PostgreSQL when its binaries are missing. */
export function startCluster(): Cluster {
  const bin = findPostgres();
  if (!bin) throw new Error(INSTALL_HELP);
  const dir = mkdtempSync(join(tmpdir(), "unclench-pg-"));
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }));
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }));
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const stop = () => {
    try {
      asServerUser(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      // Not started, or already gone: the folder goes either way.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asServerUser(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]);
    // Durability is not what these tests are about: no fsync makes a run several times faster.
    const options = `-c listen_addresses='' -k ${dir} -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    asServerUser(join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "server.log"), "-o", options, "-w", "start"]);
  } catch (error) {
    stop();
    throw error;
  }
  const url = (database: string) => `postgres://postgres@/${database}?host=${encodeURIComponent(dir)}`;
  return {
    dir,
    url,
    async createDatabase(name: string) {
      const client = new pg.Client({ connectionString: url("postgres") });
      await client.connect();
      try {
        await client.query(`create database "${name}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop,
  };
}
