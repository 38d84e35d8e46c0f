// The production server (build/server.js, two workers) on PostgreSQL, as an operator would run it
// with DATABASE_URL: it migrates and seeds an empty database, serves pages, and takes a member
// from sign-up to a posted thread.
import { readdirSync } from "node:fs";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCluster, type Cluster } from "./pg-cluster.ts";
import { listening, startServer } from "./server-process.ts";

let cluster: Cluster | undefined;
let running: ReturnType<typeof startServer> | undefined;
let url: string;

beforeAll(async () => {
  cluster = startCluster();
  url = await cluster.createDatabase("served");
  running = startServer({ env: { DATABASE_URL: url, SECURE_COOKIES: "false" } });
  await listening(running);
}, 90_000);

afterAll(async () => {
  if (running && running.server.exitCode === null) {
    running.server.kill("SIGTERM");
    await running.exited;
  }
  cluster?.stop();
});

describe("npm run serve with DATABASE_URL=postgres://…", () => {
  it("serves the seeded boards, takes a sign-up and a thread, and stops cleanly", async () => {
    const origin = `http://localhost:${running!.port}`;
    const page = async (path: string, init: RequestInit = {}) => fetch(origin + path, { redirect: "manual", ...init });
    const form = (fields: Record<string, string>, cookie = "") => ({
      method: "POST",
      body: new URLSearchParams(fields),
      headers: { Origin: origin, ...(cookie ? { Cookie: cookie } : {}) },
    });

    expect(await (await page("/")).text()).toContain("Night &amp; leg cramps");
    expect((await page("/boards/fibromyalgia")).status).toBe(200);
    expect(await (await page("/healthz")).text()).toBe("ok");

    const password = "a long enough passphrase here";
    const signup = await page("/signup", form({ username: "servedmember", email: "served@example.org", password, confirm: password }));
    expect(signup.status).toBe(302);
    const cookie = signup.headers.get("set-cookie")!.split(";")[0]!;
    expect((await page("/guidelines/accept", form({ intent: "accept" }, cookie))).status).toBe(302);
    const posted = await page(
      "/boards/night-leg-cramps/new",
      form({ intent: "post", title: "Served on PostgreSQL", body: "Does **magnesium** help?" }, cookie),
    );
    expect(posted.status).toBe(302);
    const thread = await (await page(new URL(posted.headers.get("location")!, origin).pathname, { headers: { Cookie: cookie } })).text();
    expect(thread).toContain("Served on PostgreSQL");
    expect(thread).toContain("<strong>magnesium</strong>");

    // It is PostgreSQL that holds them, not a SQLite file beside the server.
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query("select t.title, u.username from threads t join users u on u.id = t.author_id where t.title = $1", [
      "Served on PostgreSQL",
    ]);
    await client.end();
    expect(rows).toEqual([{ title: "Served on PostgreSQL", username: "servedmember" }]);

    running!.server.kill("SIGTERM");
    expect(await running!.exited).toBe(0);
  }, 90_000);
});

describe("two servers starting at once on one empty PostgreSQL database", () => {
  it("migrate and seed it once between them, and both serve", async () => {
    const shared = await cluster!.createDatabase("started_together");
    const servers = [0, 1].map(() => startServer({ env: { DATABASE_URL: shared, WEB_CONCURRENCY: "1" } }));
    try {
      await Promise.all(servers.map((server) => listening(server)));
      for (const server of servers) expect(await (await fetch(`http://localhost:${server.port}/`)).text()).toContain("Night &amp; leg cramps");
      const client = new pg.Client({ connectionString: shared });
      await client.connect();
      const { rows } = await client.query(
        "select (select count(*)::int from boards) as boards, (select count(*)::int from articles) as articles, (select count(*)::int from drizzle.__drizzle_migrations) as migrations",
      );
      await client.end();
      const migrations = readdirSync(join(import.meta.dirname, "../migrations/pg")).filter((file) => file.endsWith(".sql")).length;
      expect(rows[0]).toMatchObject({ boards: 6, migrations });
      expect(rows[0].articles).toBeGreaterThan(0);
    } finally {
      for (const server of servers) server.server.kill("SIGTERM");
      await Promise.all(servers.map((server) => server.exited));
    }
  }, 120_000);
});
