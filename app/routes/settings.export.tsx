import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportUserData } from "~/models/account-export.server.ts";
import { requireUser } from "~/utils/auth.server.ts";
import { logEvent } from "~/utils/logger.server.ts";

/** GET downloads everything we hold about the signed-in member as one JSON file. Read-only. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const data = await exportUserData(user);
  logEvent("account.export", { userId: user.id });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      // Usernames are a–z, 0–9, _ and -, so they are safe inside the quoted filename.
      "Content-Disposition": `attachment; filename="unclench-${user.username}-${day}.json"`,
      "Cache-Control": "no-store",
    },
  });
}
