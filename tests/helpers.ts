import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { acceptGuidelines } from "~/models/guidelines.server.ts";
import * as postModel from "~/models/posts.server.ts";
import type { PostResult } from "~/models/posts.server.ts";
import { createUser } from "~/models/users.server.ts";
import { startSession } from "~/utils/auth.server.ts";

type RouteFn = (args: LoaderFunctionArgs & ActionFunctionArgs) => unknown;

let counter = 0;

/** A member with a live session; returns the Cookie header to send as them. */
export async function member(name = `member${++counter}`, role: "member" | "moderator" | "admin" = "member") {
  const created = await createUser({ username: name, email: `${name}@example.org`, password: "correct horse battery" }, role);
  if (!created.ok) throw new Error(JSON.stringify(created.errors));
  // Members in tests have read the guidelines; the gate itself has its own tests.
  await acceptGuidelines(created.user.id);
  const setCookie = await startSession(created.user.id, new Request("http://localhost/signup", { method: "POST" }));
  return { id: created.user.id, username: name, role, cookie: setCookie.split(";")[0]! };
}

/**
 * Calls a loader or action with a real Request, the way Remix would. A thrown Response
 * (redirect, 404, 403) is returned so tests can assert on it.
 */
/** The cookie by which the browser that left text while logged out gets it back (composer.server.ts). */
export const keptTextCookie = (res: Response) => res.headers.get("Set-Cookie")!.split(";")[0]!;

export async function call(
  fn: RouteFn | undefined,
  path: string,
  options: { form?: Record<string, string>; cookie?: string; params?: Record<string, string> } = {},
): Promise<Response> {
  if (!fn) throw new Error("route export missing");
  const headers = new Headers();
  if (options.cookie) headers.set("Cookie", options.cookie);
  const request = new Request(`http://localhost${path}`, {
    method: options.form ? "POST" : "GET",
    headers,
    body: options.form ? new URLSearchParams(options.form) : undefined,
  });
  try {
    const result = await fn({ request, params: options.params ?? {}, context: { nonce: "" } });
    if (result instanceof Response) return result;
    return Response.json(result);
  } catch (error) {
    if (error instanceof Response) return error;
    throw error;
  }
}

type Poster = Parameters<typeof postModel.createThread>[0];

function posted(result: PostResult) {
  if (!result.ok) throw new Error(`not posted: ${JSON.stringify(result.errors)}`);
  return result;
}

/** The model's createThread, unwrapped: tests that are not about refusals read as "X posted Y". */
export async function createThread(actor: Poster, boardSlug: string, input: { title: string; body: string }) {
  return posted(await postModel.createThread(actor, boardSlug, input));
}

export async function createReply(actor: Poster, threadId: number, body: string, replyToPostId?: number | null) {
  return posted(await postModel.createReply(actor, threadId, body, replyToPostId));
}

/**
 * Expected refusals are thrown Responses (or rejected with one): their status, so a refusal
 * reads as data. Takes a function or a promise, and is awaited either way.
 */
export async function statusOf(work: (() => unknown) | Promise<unknown>): Promise<number | "no error"> {
  try {
    await (typeof work === "function" ? work() : work);
  } catch (error) {
    if (error instanceof Response) return error.status;
    throw error;
  }
  return "no error";
}
