import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The production server (build/server.js from server.ts) with its two workers: SIGTERM to the
// primary stops them taking connections, lets requests in flight finish, closes the database in
// every worker and exits 0.
describe("graceful shutdown", () => {
  it("finishes a request in flight, closes the database and exits 0 on SIGTERM", async () => {
    if (!existsSync("build/server.js")) execFileSync("npm", ["run", "build"], { stdio: "ignore" });
    const dir = mkdtempSync(join(tmpdir(), "unclench-shutdown-"));
    const port = 3400 + Math.floor(Math.random() * 500);
    const server = spawn(process.execPath, ["build/server.js"], {
      env: { ...process.env, NODE_ENV: "production", WEB_CONCURRENCY: "2", PORT: String(port), DATABASE_PATH: join(dir, "db.sqlite"), LOG_LEVEL: "silent" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    server.stdout.on("data", (chunk) => (output += chunk));
    server.stderr.on("data", (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
    await expect.poll(() => output, { timeout: 30_000 }).toContain("listening");

    // A POST whose body is still arriving when SIGTERM comes: it must still get its answer.
    const answer = new Promise<number>((resolve, reject) => {
      const body = "identifier=nobody&password=not-the-password";
      const req = request(
        { port, path: "/login", method: "POST", headers: { Origin: `http://localhost:${port}`, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": body.length } },
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
    expect(output).toContain("closing the database");
    expect(output).toContain("All workers stopped");
    // Closing the last connection checkpoints and removes the WAL: the file is complete on its own.
    expect(existsSync(join(dir, "db.sqlite-wal"))).toBe(false);
  }, 60_000);
});
