// The production server (build/server.js) loads the app once per process, from the Remix build: a
// serving process has one database handle, on PostgreSQL one pool of DATABASE_POOL_SIZE
// connections. A second copy of db/client.ts would open a second pool.
import pg from "pg";
import { describe, expect, it } from "vitest";
import { startCluster } from "./pg-cluster.ts";
import { listening, startServer } from "./server-process.ts";

describe("one copy of the app per server process, on PostgreSQL", () => {
  it("opens one pool of DATABASE_POOL_SIZE connections, not two, under concurrent pages and health checks", async () => {
    const cluster = startCluster();
    let running: ReturnType<typeof startServer> | undefined;
    try {
      const url = await cluster.createDatabase("pooled");
      running = startServer({ env: { DATABASE_URL: url, DATABASE_POOL_SIZE: "2", WEB_CONCURRENCY: "1" } });
      await listening(running);
      const origin = `http://localhost:${running.port}`;
      // Pages reach the database from the routes, the health check from the HTTP layer: ten of each at once.
      const answers = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => (await fetch(`${origin}${i % 2 ? "/healthz" : "/boards/fibromyalgia"}`)).status),
      );
      expect(answers.every((status) => status === 200)).toBe(true);

      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(
        "select count(*)::int as n from pg_stat_activity where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()",
      );
      await client.end();
      expect(rows[0].n).toBe(2);
    } finally {
      if (running) {
        running.server.kill("SIGTERM");
        expect(await running.exited).toBe(0);
      }
      cluster.stop();
    }
  }, 90_000);
});
