import type { LoaderFunctionArgs } from "@remix-run/node";
import { boardFeed } from "~/models/feeds.server.ts";

// Atom feed of a board's newest threads: a resource route (no component).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const xml = await boardFeed(params.slug ?? "", new URL(request.url).origin);
  return new Response(xml, {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    },
  });
}
