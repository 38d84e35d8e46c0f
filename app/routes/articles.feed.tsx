import type { LoaderFunctionArgs } from "@remix-run/node";
import { articlesFeed } from "~/models/feeds.server.ts";

// Atom feed of newly published articles: a resource route (no component).
export async function loader({ request }: LoaderFunctionArgs) {
  return new Response(await articlesFeed(new URL(request.url).origin), {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    },
  });
}
