import { spawn } from "node:child_process";

/**
 * Starts tests/fixtures/reply-writer.ts as a process of its own (one "app server" replying to a
 * thread). `loaded` settles once it has loaded the app; `answered` with what the model answered.
 */
export function startReplyWriter(label: string, args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/reply-writer.ts", ...args], {
    env: { ...process.env, ...env, WRITER_LABEL: label },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let out = "";
  let ready!: () => void;
  const loaded = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
    if (out.startsWith("ready\n")) ready();
  });
  const answered = new Promise<{ postId?: number; number?: number; refused?: unknown }[]>((resolve, reject) =>
    child.once("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out.slice("ready\n".length)) as never) : reject(new Error(`writer ${label} exited with ${code}`)),
    ),
  );
  return { loaded, answered };
}
