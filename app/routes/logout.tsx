import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession, getUser } from "~/utils/auth.server.ts";
import { logEvent } from "~/utils/logger.server.ts";

// Logging out changes state, so it is a POST; a GET just goes home.
export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await getUser(request);
  const cookie = await endSession(request);
  logEvent("logout", { userId: user?.id ?? null });
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}
