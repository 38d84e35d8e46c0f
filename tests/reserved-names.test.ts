import { execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { db } from "../db/client.ts";
import { users } from "../db/schema.ts";
import { createUser } from "~/models/users.server.ts";
import * as signup from "~/routes/signup.tsx";
import { call, member } from "./helpers.ts";

const PASSWORD = "correct horse battery";

let n = 0;
async function signUp(username: string) {
  const email = `reserved${++n}@example.org`;
  const res = await call(signup.action, "/signup", { form: { username, email, password: PASSWORD, redirectTo: "/" } });
  return { res, email };
}

async function accountNamed(username: string) {
  const [row] = await db.select().from(users).where(eq(users.username, username.trim().toLowerCase())).limit(1);
  return row;
}

const STAFF_LOOKING = [
  "admin",
  "Admin",
  "ADMINISTRATOR",
  "moderator",
  "mod",
  "mods",
  "support",
  "staff",
  "unclench",
  "system",
  "root",
  "  Root  ",
  "mod_erator",
  "ad-min",
  "s_u-p_p-o_r-t",
  "admin1",
  "root_99",
  "moderator-2",
  "adm1n",
  "r00t",
  "m0derat0r",
  "admln",
  "Unclench-Team",
  "unclench_support",
  "support-unclench",
  "unclench-official",
  "unclench_hq",
];

describe("names that pass for the team", () => {
  it.each(STAFF_LOOKING)("sign-up refuses %j beside the field, keeping what was typed", async (username) => {
    const { res, email } = await signUp(username);
    expect(res.status).toBe(400);
    const data = await res.json();
    expect(data.errors.username).toBe("That username is kept for the Unclench team. Please choose another.");
    expect(data.values).toEqual({ username, email });
    expect(res.headers.get("Set-Cookie")).toBeNull();
    expect(await accountNamed(username)).toBeUndefined();
  });

  it.each(["ａｄｍｉｎ", "Αdmin", "аdmin", "admin\u200b", "mod\u0301erator"])(
    "sign-up refuses the look-alike %j (names are a–z, 0–9, _ and -)",
    async (username) => {
      const { res } = await signUp(username);
      expect(res.status).toBe(400);
      expect((await res.json()).errors.username).toBeTruthy();
      expect(
        await db
          .select()
          .from(users)
          .where(eq(users.email, `reserved${n}@example.org`)),
      ).toEqual([]);
    },
  );

  it.each(["rootbeer", "modesty", "supportive_sam", "systematic", "unclenched_jaw", "the-admin-of-my-life", "admiral"])(
    "still lets a member be %j",
    async (username) => {
      const { res } = await signUp(username);
      expect(res.status).toBe(302);
      expect(await accountNamed(username)).toMatchObject({ role: "member" });
    },
  );

  it("lets the operator's CLI give a staff name to a staff account, never to a member", async () => {
    expect(await createUser({ username: "support", email: "support@example.org", password: PASSWORD }, "moderator")).toMatchObject({ ok: true });
    expect(await createUser({ username: "admin", email: "admin@example.org", password: PASSWORD }, "admin")).toMatchObject({ ok: true });
    expect(await createUser({ username: "system", email: "system@example.org", password: PASSWORD }, "member")).toMatchObject({ ok: false });
    expect(await accountNamed("system")).toBeUndefined();
  });
});

describe("names account deletion gives", () => {
  it("refuses deleted-member-<N>, even the number a live member's account would get", async () => {
    const live = await member();
    for (const username of [
      `deleted-member-${live.id}`,
      `deleted-member-${live.id}-abc`,
      "Deleted_Member_7",
      "deleted_member",
      "deletedmember1",
      "de1eted-member-2",
      "deleted-member",
    ]) {
      const { res, email } = await signUp(username);
      expect(res.status).toBe(400);
      const data = await res.json();
      expect(data.errors.username).toBe("Names starting “deleted-member” are given to deleted accounts. Please choose another.");
      expect(data.values).toEqual({ username, email });
      expect(await accountNamed(username)).toBeUndefined();
    }
  });

  it("refuses them to staff accounts too", async () => {
    const result = await createUser({ username: "deleted-member-1", email: "dm1@example.org", password: PASSWORD }, "admin");
    expect(result).toEqual({ ok: false, errors: { username: expect.stringContaining("deleted accounts") } });
  });

  it("lets other names that start alike through", async () => {
    const { res } = await signUp("deleted-memories");
    expect(res.status).toBe(302);
  });

  it("is refused by the CLI (npm run user:create) with the reason", () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "unclench-cli-")), "cli.db");
    const run = (username: string, ...flags: string[]) => {
      try {
        execFileSync(join("node_modules", ".bin", "tsx"), ["scripts/user-create.ts", "--username", username, "--email", `${username}@example.org`, ...flags], {
          env: { ...process.env, DATABASE_PATH: dbPath, UNCLENCH_PASSWORD: PASSWORD },
          stdio: "pipe",
        });
        return { code: 0, stderr: "" };
      } catch (error) {
        const failed = error as { status: number; stderr: Buffer };
        return { code: failed.status, stderr: failed.stderr.toString() };
      }
    };
    expect(run("deleted-member-3", "--admin")).toEqual({ code: 1, stderr: expect.stringContaining("username: Names starting “deleted-member”") });
    expect(run("moderator")).toEqual({ code: 1, stderr: expect.stringContaining("username: That username is kept for the Unclench team") });
    expect(run("moderator", "--moderator")).toEqual({ code: 0, stderr: "" });
  }, 60_000);
});
