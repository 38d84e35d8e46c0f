import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { MAIL_EVENTS_MAX, MAIL_EVENTS_MAX_BYTES, mailEventsAuthorized, mailEventsSchema, recordMailEvents } from "~/models/mail-events.server.ts";
import { logEvent } from "~/utils/logger.server.ts";

// The mail provider reports bounces and complaints here (docs/decisions/041), server to server:
// `Authorization: Bearer <MAIL_EVENTS_TOKEN>` and a JSON body. Answers are JSON, never a page.

const answer = (status: number, body: Record<string, unknown>, headers?: HeadersInit) => json(body, { status, headers });

// Nothing to see with a GET, whether or not the endpoint is on.
export function loader() {
  return answer(404, { error: "Not found." });
}

export async function action({ request }: ActionFunctionArgs) {
  const authorized = mailEventsAuthorized(request.headers.get("Authorization"));
  // Without MAIL_EVENTS_TOKEN the endpoint does not exist.
  if (authorized === null) return answer(404, { error: "Not found." });
  if (!authorized) return answer(401, { error: "Send Authorization: Bearer <MAIL_EVENTS_TOKEN>." }, { "WWW-Authenticate": "Bearer" });

  const tooLarge = () => answer(413, { error: `The body may be at most ${MAIL_EVENTS_MAX_BYTES} bytes.` });
  if (Number(request.headers.get("Content-Length") ?? 0) > MAIL_EVENTS_MAX_BYTES) return tooLarge();
  const body = await request.arrayBuffer();
  if (body.byteLength > MAIL_EVENTS_MAX_BYTES) return tooLarge();

  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(body));
  } catch {
    return answer(400, { error: "The body must be JSON in UTF-8." });
  }
  const result = mailEventsSchema.safeParse(parsed);
  if (!result.success) {
    return answer(400, {
      error: `Expected { "events": [{ "type": "bounce" | "complaint", "address": "…" }] } with 1 to ${MAIL_EVENTS_MAX} events.`,
    });
  }
  const { received, matched } = await recordMailEvents(result.data.events);
  const count = (type: string) => result.data.events.filter((event) => event.type === type).length;
  // Counts only: an address in the log would outlive the account it belongs to.
  logEvent("mail.events", { bounces: count("bounce"), complaints: count("complaint"), matched });
  // The same answer whether or not an address is a member's.
  return answer(200, { received });
}
