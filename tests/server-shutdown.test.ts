import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build, type ImportKind } from "esbuild";
import { usesPostgres } from "../db/dialect.ts";
import { describe, expect, it } from "vitest";
import { childPids, isRunning, startServer } from "./server-process.ts";

// The production server (build/server.js from server.ts) with its two workers: SIGTERM to the
// primary stops them taking connections, lets requests in flight finish, closes the database in
// every worker and exits 0.
const workerPids = childPids;

/** The packages a file in build/ loads through the given kinds of import, as esbuild reads the build. */
async function packagesLoadedBy(file: string, kinds: ImportKind[]) {
  const options = { bundle: true, format: "esm", platform: "node", packages: "external", write: false, outdir: tmpdir(), metafile: true } as const;
  const { inputs } = (await build({ ...options, entryPoints: [file], logLevel: "silent" })).metafile;
  const packages = new Set<string>();
  const files = [file];
  for (const current of files) {
    for (const { path, kind, external } of inputs[current]!.imports) {
      if (!kinds.includes(kind)) continue;
      if (external) packages.add(path);
      else if (!files.includes(path)) files.push(path);
    }
  }
  return [...packages];
}

describe("workers", () => {
  it("sets up the database before it serves", async () => {
    const { server, port, log, exited } = startServer();
    await expect.poll(() => log.text, { timeout: 30_000 }).toContain("listening");
    // The boards were seeded before anyone was served.
    expect(await (await fetch(`http://localhost:${port}/`)).text()).toContain("Night &amp; leg cramps");
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);

  it("loads the app and SQLite only on demand, so a primary that never asks never holds them", async () => {
    // Every process loads build/server.js's static imports; with several workers the primary
    // runs none of the dynamic ones (the next test sees the setup worker fail on its own).
    const all = await packagesLoadedBy("build/server.js", ["import-statement", "dynamic-import"]);
    expect(all).toContain("express");
    const atStart = await packagesLoadedBy("build/server.js", ["import-statement"]);
    expect(atStart.filter((name) => !name.startsWith("node:"))).toEqual([]);
    // The database comes only with the Remix build, which a worker imports by its path at run time.
    expect(all).not.toContain("better-sqlite3");
    expect(await packagesLoadedBy("build/index.js", ["import-statement"])).toContain("better-sqlite3");
  });

  it("does not start when the database cannot be set up", async () => {
    // A directory can't be opened as a database file; a database that does not exist can't be reached.
    const unreachable = { env: { DATABASE_URL: (process.env.DATABASE_URL ?? "").replace(/\/\w+\?/, "/no_such_database?") } };
    const { log, exited } = startServer(usesPostgres() ? unreachable : { databasePath: tmpdir() });
    expect(await exited).toBe(1);
    expect(log.text).toContain("Setting up the database failed");
    expect(log.text).not.toContain("listening");
  }, 60_000);

  it("replaces a worker that dies, and keeps serving", async () => {
    const { server, port, log, exited } = startServer();
    // Said once both workers listen.
    await expect.poll(() => log.text, { timeout: 30_000 }).toContain("listening");
    const [first, second] = workerPids(server.pid!);
    const healthz = async () => (await fetch(`http://localhost:${port}/healthz`)).status;

    process.kill(first!, "SIGKILL");
    await expect.poll(() => log.text, { timeout: 30_000 }).toContain(`Worker ${first} stopped (SIGKILL); starting another.`);
    // The other worker answers while the replacement starts.
    for (let i = 0; i < 4; i++) expect(await healthz()).toBe(200);
    await expect.poll(() => log.text, { timeout: 30_000 }).toContain("in place of the one that stopped");

    // With the second original gone too, only the replacement is left to answer.
    process.kill(second!, "SIGKILL");
    await expect.poll(() => log.text, { timeout: 30_000 }).toContain(`Worker ${second} stopped`);
    for (let i = 0; i < 4; i++) expect(await healthz()).toBe(200);
    expect(workerPids(server.pid!)).not.toContain(first);
    server.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 60_000);
});

describe("graceful shutdown", () => {
  it("finishes a request in flight, closes the database and exits 0 on SIGTERM", async () => {
    const { server, port, dir, log, exited } = startServer();
    await expect.poll(() => log.text, { timeout: 30_000 }).toContain("listening");

    // A POST whose body is still arriving when SIGTERM comes: it must still get its answer.
    const answer = new Promise<number>((resolve, reject) => {
      const body = "identifier=nobody&password=not-the-password";
      const req = request(
        {
          port,
          path: "/login",
          method: "POST",
          headers: { Origin: `http://localhost:${port}`, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": body.length },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        server.kill("SIGTERM");
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 300);
    });
    expect(await answer).toBe(400);
    expect(await exited).toBe(0);
    expect(log.text).toContain("closing the database");
    expect(log.text).toContain("All workers stopped");
    // Closing the last connection checkpoints and removes the WAL: the file is complete on its own.
    expect(existsSync(join(dir, "db.sqlite-wal"))).toBe(false);
  }, 60_000);
});

describe("stopped by a service manager or a terminal", () => {
  it("ends npm, the primary and every worker when `npm run serve` gets SIGTERM", async () => {
    const { server, port, log, exited } = startServer({ command: "npm" });
    await expect.poll(() => log.text, { timeout: 30_000 }).toContain("listening");
    // npm's own child is the server's primary: no shell or wrapper sits between them.
    const [primary] = childPids(server.pid!);
    const workers = childPids(primary!);
    expect(workers).toHaveLength(2);
    expect(readFileSync(`/proc/${primary}/cmdline`, "utf8")).toContain("build/server.js");

    server.kill("SIGTERM");
    expect(await exited).toBe(0);
    await expect.poll(() => [primary!, ...workers].filter(isRunning), { timeout: 15_000 }).toEqual([]);
    await expect(fetch(`http://localhost:${port}/healthz`)).rejects.toThrow();
  }, 60_000);
});
