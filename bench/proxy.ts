// nginx (Debian's, scripts/ensure-nginx.mjs) as a round-robin reverse proxy in front of the app
// servers, for bench/servers.ts. Its upstream list can be changed while it runs (a reload).
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ensureNginx, INSTALL_HELP } from "../scripts/ensure-nginx.mjs";
import { processTree } from "./proc.ts";

export type Proxy = Awaited<ReturnType<typeof startProxy>>;

function config(dir: string, port: number, upstreams: number[]) {
  // Workers drop to `nobody` when the master is root, and nobody cannot read this folder.
  const asRoot = process.getuid?.() === 0 ? "user root;" : "";
  return `${asRoot}
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/client_body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  upstream app {
    # Round robin. A server that refuses a connection is left out for fail_timeout, then tried again.
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=10s;`).join("\n")}
    # Idle connections to the app are reused, and closed before node's own 5 s keep-alive timeout,
    # so nginx never sends a request down a connection the app is closing.
    keepalive 64;
    keepalive_timeout 4s;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      client_max_body_size 2m;
      # A request that could not be sent (connection refused or reset before sending) goes to the
      # next server. A POST that reached a server is never sent to another (nginx's default,
      # no "non_idempotent"): it may have been committed, and a reply must not be posted twice.
      proxy_next_upstream error timeout;
      proxy_next_upstream_tries 2;
      proxy_connect_timeout 2s;
      # Which server answered, so the failover check can see traffic move to the survivor.
      add_header X-Upstream $upstream_addr always;
    }
  }
}
`;
}

export async function startProxy(dir: string, port: number, upstreams: number[]) {
  const nginx = ensureNginx();
  if (!nginx) throw new Error(INSTALL_HELP);
  mkdirSync(dir, { recursive: true });
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, config(dir, port, upstreams));
  const child = spawn(nginx, ["-p", `${dir}/`, "-c", conf, "-g", "daemon off;"], { stdio: ["ignore", "inherit", "inherit"] });
  process.on("exit", () => child.kill("SIGKILL"));
  const origin = `http://127.0.0.1:${port}`;

  /** The upstream addresses that answer `tries` requests for /healthz. */
  const answering = async (tries: number) => {
    const seen = new Set<string>();
    for (let i = 0; i < tries; i++) {
      const res = await fetch(`${origin}/healthz`).catch(() => null);
      const upstream = res?.headers.get("x-upstream");
      if (res?.ok && upstream) seen.add(upstream);
    }
    return seen;
  };
  /** Waits until exactly the given app ports answer through the proxy. */
  const settled = async (ports: number[]) => {
    const want = ports.map((p) => `127.0.0.1:${p}`).sort();
    for (let i = 0; i < 200; i++) {
      if (child.exitCode !== null) throw new Error(`nginx exited; see ${dir}/error.log`);
      const seen = [...(await answering(ports.length * 6))].sort();
      if (seen.join() === want.join()) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`nginx did not settle on ${want.join(", ")}`);
  };
  await settled(upstreams);

  return {
    origin,
    pids: () => processTree(child.pid),
    /** Rewrites the upstream list and reloads (SIGHUP): new workers take it; the old ones finish and exit. */
    async use(ports: number[]) {
      writeFileSync(conf, config(dir, port, ports));
      child.kill("SIGHUP");
      await settled(ports);
      // The old worker leaves once its connections are closed; wait so its CPU is not charged to the next run.
      for (let i = 0; i < 100 && processTree(child.pid).length > 2; i++) await new Promise((r) => setTimeout(r, 50));
    },
    async stop() {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once("exit", r));
      child.kill("SIGQUIT");
      await gone;
    },
  };
}
