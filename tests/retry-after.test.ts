import { describe, expect, it } from "vitest";
import { excluded, transaction } from "../db/client.ts";
import { rateLimits } from "../db/schema.ts";
import * as appeal from "~/routes/appeal.tsx";
import * as newThread from "~/routes/boards.$slug.new.tsx";
import * as login from "~/routes/login.tsx";
import * as forgot from "~/routes/password.forgot.tsx";
import * as report from "~/routes/posts.$postId.report.tsx";
import * as settingsEmail from "~/routes/settings.email.tsx";
import * as settingsPassword from "~/routes/settings.password.tsx";
import * as deleteAccount from "~/routes/settings.delete-account.tsx";
import * as signup from "~/routes/signup.tsx";
import * as thread from "~/routes/threads.$threadId.tsx";
import { CLIENT_IP_HEADER } from "~/utils/rate-limit.server.ts";
import { remixHandler } from "./document.ts";
import { createThread, member } from "./helpers.ts";

const routes = {
  "routes/login": { path: "login", module: login },
  "routes/signup": { path: "signup", module: signup },
  "routes/password.forgot": { path: "password/forgot", module: forgot },
  "routes/boards.$slug.new": { path: "boards/:slug/new", module: newThread },
  "routes/threads.$threadId": { path: "threads/:threadId", module: thread },
  "routes/posts.$postId.report": { path: "posts/:postId/report", module: report },
  "routes/appeal": { path: "appeal", module: appeal },
  "routes/settings.email": { path: "settings/email", module: settingsEmail },
  "routes/settings.password": { path: "settings/password", module: settingsPassword },
  "routes/settings.delete-account": { path: "settings/delete-account", module: deleteAccount },
};
const send = remixHandler(routes);

const WINDOW_MS = 10 * 60_000;

/** Uses up an allowance, as a burst of requests would have: the next one is refused for the window. */
async function exhaust(...keys: string[]) {
  const rows = keys.map((key) => ({ key, points: 1_000_000, expire: new Date(Date.now() + WINDOW_MS) }));
  await transaction((tx) =>
    tx
      .insert(rateLimits)
      .values(rows)
      .onConflictDoUpdate({ target: rateLimits.key, set: { points: excluded(rateLimits.points), expire: excluded(rateLimits.expire) } }),
  );
}

type Case = { route: keyof typeof routes; url: string; form: Record<string, string>; cookie?: string; ip?: string };

async function cases(): Promise<Record<string, Case>> {
  const writer = await member();
  const reporter = await member();
  const settler = await member();
  const leaver = await member();
  const { threadId, postId } = await createThread(writer, "medications", { title: "Calf cramps on stairs", body: "Every evening." });
  await exhaust(
    "login-account:sore-calves",
    "signup-ip:203.0.113.7",
    "reset-address:someone@example.org",
    `posts:${writer.id}`,
    `posts-new:${writer.id}`,
    `reports:${reporter.id}`,
    "appeals-ip:203.0.113.8",
    `login-account:${settler.username}`,
    `login-account:${leaver.username}`,
  );
  const strong = "a long phrase of plain words 4 sleep";
  return {
    login: { route: "routes/login", url: "/login", form: { identifier: "sore-calves", password: "anything at all" } },
    signup: {
      route: "routes/signup",
      url: "/signup",
      ip: "203.0.113.7",
      form: { username: "new-arrival", email: "new-arrival@example.org", password: strong },
    },
    "forgot password": { route: "routes/password.forgot", url: "/password/forgot", form: { email: "someone@example.org" } },
    "new thread": {
      route: "routes/boards.$slug.new",
      url: "/boards/medications/new",
      cookie: writer.cookie,
      form: { intent: "post", title: "Another one", body: "More cramps." },
    },
    reply: { route: "routes/threads.$threadId", url: `/threads/${threadId}`, cookie: writer.cookie, form: { intent: "post", body: "And again tonight." } },
    report: { route: "routes/posts.$postId.report", url: `/posts/${postId}/report`, cookie: reporter.cookie, form: { reason: "spam" } },
    appeal: { route: "routes/appeal", url: "/appeal", ip: "203.0.113.8", form: { token: "a".repeat(32), appeal: "Please look again.", member: "someone" } },
    "email change": {
      route: "routes/settings.email",
      url: "/settings/email",
      cookie: settler.cookie,
      form: { email: "elsewhere@example.org", password: "correct horse battery" },
    },
    "password change": {
      route: "routes/settings.password",
      url: "/settings/password",
      cookie: settler.cookie,
      form: { currentPassword: "correct horse battery", newPassword: strong },
    },
    "account deletion": {
      route: "routes/settings.delete-account",
      url: "/settings/delete-account",
      cookie: leaver.cookie,
      form: { posts: "keep", password: "correct horse battery" },
    },
  };
}

describe("every 429 says when to try again", () => {
  it("in a Retry-After header, with JavaScript (the action's data) and without (the page)", async () => {
    const all = await cases();
    for (const [name, c] of Object.entries(all)) {
      const headers = c.ip ? { [CLIENT_IP_HEADER]: c.ip } : undefined;
      const withJs = await send(`${c.url}${c.url.includes("?") ? "&" : "?"}_data=${encodeURIComponent(c.route)}`, { form: c.form, cookie: c.cookie, headers });
      const withoutJs = await send(c.url, { form: c.form, cookie: c.cookie, headers });
      for (const [how, { response, text }] of [
        ["with JS", withJs],
        ["without JS", withoutJs],
      ] as const) {
        expect(response.status, `${name} ${how}`).toBe(429);
        const seconds = Number(response.headers.get("Retry-After"));
        expect(seconds, `${name} ${how}: Retry-After`).toBeGreaterThan(WINDOW_MS / 1000 - 60);
        expect(seconds, `${name} ${how}: Retry-After`).toBeLessThanOrEqual(WINDOW_MS / 1000);
        expect(text, `${name} ${how}: the message`).toContain("Please try again in 10 minutes.");
      }
    }
  });
});
