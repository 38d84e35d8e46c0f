import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/**
 * A port unlikely to be held: E2E uses 3100, dev 3000. Never 3659, which fetch refuses to
 * connect to (a "bad port" in the Fetch standard).
 */
export function freePort() {
  const port = 3400 + Math.floor(Math.random() * 500);
  return port === 3659 ? 3660 : port;
}

/**
 * The production server (build/server.js from server.ts), started the way an operator would:
 * `command` is what runs it (node directly, or `npm run serve`). Output is collected in `log`.
 */
export function startServer(options: { databasePath?: string; env?: Record<string, string>; command?: "node" | "npm" } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "unclench-server-"));
  const port = freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production" as const,
    WEB_CONCURRENCY: "2",
    PORT: String(port),
    DATABASE_PATH: options.databasePath ?? join(dir, "db.sqlite"),
    LOG_LEVEL: "silent",
    ...options.env,
  };
  const server =
    options.command === "npm"
      ? spawn("npm", ["run", "serve"], { env, stdio: ["ignore", "pipe", "pipe"] })
      : spawn(process.execPath, ["build/server.js"], { env, stdio: ["ignore", "pipe", "pipe"] });
  const log = { text: "" };
  server.stdout.on("data", (chunk) => (log.text += chunk));
  server.stderr.on("data", (chunk) => (log.text += chunk));
  const exited = new Promise<number | null>((resolve) => server.on("exit", (code) => resolve(code)));
  return { server, port, dir, log, exited };
}

/** A process's children (Linux). */
export const childPids = (pid: number) => readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean).map(Number);

export const isRunning = (pid: number) => existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, "utf8").includes(") Z ");

/** Sends bytes exactly as given (no client library would send a broken request) and returns the status line's code. */
export function rawRequest(port: number, text: string) {
  return new Promise<{ status: number; response: string }>((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(text));
    let response = "";
    socket.on("data", (chunk) => {
      response += chunk;
      if (response.includes("\r\n\r\n")) socket.destroy();
    });
    socket.on("close", () => resolve({ status: Number(response.split(" ")[1]), response }));
    socket.on("error", reject);
  });
}

/** Resolves once the server says it is listening; rejects with its output if it stops first or takes too long. */
export async function listening(running: ReturnType<typeof startServer>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!running.log.text.includes("listening")) {
    if (running.server.exitCode !== null || Date.now() > deadline) throw new Error(`the server did not start:\n${running.log.text}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
