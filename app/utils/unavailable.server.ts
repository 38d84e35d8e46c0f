import { json, type ActionFunction, type ServerBuild } from "@remix-run/node";
import { isUnavailable } from "../../db/client.ts";
import { logEvent } from "./logger.server.ts";

export const UNAVAILABLE_MESSAGE =
  "The forum can't save anything just now: its database is busy or can't be written. Nothing you typed is lost — it is still in the form. Please try again in a minute.";

/**
 * The build with every action answering 503 when the database cannot be written, as its form's
 * data (`values` and `errors.form`, the shape every form here renders), so the page around the
 * form stays and the member's text is put back in it — with scripts or without.
 */
export function answeringUnavailable(build: ServerBuild): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const action = route.module.action;
      return [id, action ? { ...route, module: { ...route.module, action: answering(action, id) } } : route];
    }),
  );
  return { ...build, routes };
}

function answering(action: ActionFunction, routeId: string): ActionFunction {
  return async (args) => {
    // The body is a buffer already (app/http.server.ts): a copy costs little.
    const sent = args.request.clone();
    try {
      return await action(args);
    } catch (error) {
      if (!isUnavailable(error)) throw error;
      logEvent("database.unavailable", { route: routeId, code: (error as { code?: string }).code }, "warn");
      return json({ values: await keptValues(sent), errors: { form: UNAVAILABLE_MESSAGE } }, { status: 503, headers: { "Retry-After": "60" } });
    }
  };
}

/** What the member typed, to put back in the form; never a password. */
async function keptValues(request: Request) {
  const values: Record<string, string> = {};
  const form = await request.formData().catch(() => new FormData());
  for (const [name, value] of form) if (typeof value === "string" && !/password/i.test(name)) values[name] ??= value;
  return values;
}
