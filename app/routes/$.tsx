import { notFound } from "~/utils/http.server.ts";

export async function loader() {
  notFound();
}

export async function action() {
  notFound();
}

// The root ErrorBoundary renders the 404 page.
export default function NotFound() {
  return null;
}
