import { isRouteErrorResponse, useActionData, useLocation, useRouteError } from "@remix-run/react";
import { FOR_MEMBERS } from "~/utils/board-access.ts";
import { withParams } from "~/utils/href.ts";
import type { ReactNode } from "react";
import { Link } from "./link.tsx";
import { KeptText, isRefusal } from "./posting-notices.tsx";

/** The message of an error boundary; the root's Layout puts the site's header and theme around it. */
export function ErrorPage({ children }: { children?: ReactNode }) {
  const error = useRouteError();
  const location = useLocation();
  if (isRouteErrorResponse(error) && error.status === 403 && error.data === FOR_MEMBERS) {
    // A members-only board or thread (visibility.server.ts): the way in, and back to this page.
    const back = { redirectTo: location.pathname + location.search };
    return (
      <div className="error-page">
        <h1>For members only</h1>
        <p>{FOR_MEMBERS}</p>
        <p className="actions">
          <Link to={withParams("/login", back)} className="button primary">
            Log in
          </Link>
          <Link to={withParams("/signup", back)} className="button">
            Sign up
          </Link>
        </p>
        <p>
          <Link to="/">Back to the boards</Link>
        </p>
      </div>
    );
  }
  if (isRouteErrorResponse(error)) {
    const notKept = textNotKept(error.data);
    const title =
      error.status === 404
        ? "Page not found"
        : error.status === 403
          ? "Not allowed"
          : error.status === 400
            ? "Something in that request wasn't right"
            : error.status === 429
              ? "Please wait a little"
              : `Error ${error.status}`;
    return (
      <div className="error-page">
        <h1>{title}</h1>
        <p>{typeof error.data === "string" && error.data ? error.data : (notKept?.message ?? error.statusText)}</p>
        {notKept ? (
          <>
            <KeptText title={notKept.notKept.title} text={notKept.notKept.body} kept={false} />
            <p>
              <Link to={notKept.login}>Log in</Link>
            </p>
          </>
        ) : null}
        {children}
        <p>
          <Link to="/">Back to the boards</Link>
        </p>
      </div>
    );
  }
  console.error(error);
  return (
    <div className="error-page">
      <h1>Something went wrong on our side</h1>
      <p>Sorry — this page could not be shown. Please try again in a moment.</p>
      {children}
      <p>
        <Link to="/">Back to the boards</Link>
      </p>
    </div>
  );
}

type NotKept = { message: string; notKept: { title?: string; body: string }; login: string };

/** A visitor's text refused before login (composer.server.ts, requireUserOrKeepText): shown whole, to copy. */
function textNotKept(data: unknown): NotKept | null {
  const candidate = data as Partial<NotKept> | null;
  return typeof candidate?.message === "string" && typeof candidate.notKept?.body === "string" && typeof candidate.login === "string"
    ? (candidate as NotKept)
    : null;
}

/**
 * A route's own boundary. An error that reaches the root's instead skips the root's loader, and the
 * page looks logged out, in the default theme; caught here, the root's data is still there. A
 * post refused and then followed by an error (the thread gone) still says where the text is.
 */
export function RouteErrorBoundary() {
  const data = useActionData<{ values?: { title?: string; body?: string }; refused?: { kept: boolean } }>();
  const kept = isRefusal(data) ? <KeptText title={data?.values?.title} text={data?.values?.body ?? ""} kept={!!data?.refused?.kept} /> : null;
  return <ErrorPage>{kept}</ErrorPage>;
}
