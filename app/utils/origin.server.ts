const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export type OriginCheckInput = {
  method: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
  /** Our own origin, e.g. "http://localhost:3000" (from ORIGIN or the request's Host). */
  ownOrigin: string;
};

/**
 * CSRF defence for every state-changing request: the browser must say it came from our own
 * origin. Every current browser sends Origin on POST; a request with neither header is
 * refused as well, because a form on another site is exactly what we cannot tell apart then.
 */
export function isSameOriginRequest({ method, origin, secFetchSite, ownOrigin }: OriginCheckInput) {
  if (SAFE_METHODS.has(method.toUpperCase())) return true;
  if (secFetchSite && secFetchSite !== "same-origin") return false;
  if (origin) return origin === ownOrigin;
  return secFetchSite === "same-origin";
}
