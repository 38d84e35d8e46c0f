import type { LoaderFunctionArgs } from "@remix-run/node";
import { tagFeed } from "~/models/feeds.server.ts";

// Atom feed of the newest threads with a tag, across boards: a resource route (no component).
export async function loader({ request, params }: LoaderFunctionArgs) {
  const xml = await tagFeed(params.slug ?? "", new URL(request.url).origin);
  return new Response(xml, {
    headers: {
      "Content-Type": "application/atom+xml; charset=utf-8",
      "Cache-Control": "public, max-age=300",
    },
  });
}
