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

// POSTs that servers make, not browsers, each carrying its own proof: a mail provider's RFC 8058
// one-click unsubscribe (the signed link) and its bounce and complaint reports (a bearer token).
const SERVER_POSTS = /^\/(?:unsubscribe\/[^/]+|hooks\/mail-events)$/;

/**
 * A POST to one of SERVER_POSTS with neither Origin nor Sec-Fetch-Site: a server's, since every
 * browser we serve sends one of them on a POST. A browser's cross-site POST still names its origin
 * and is refused by isSameOriginRequest.
 */
export function isServerPost({
  method,
  path,
  origin,
  secFetchSite,
}: {
  method: string;
  path: string;
  origin: string | undefined;
  secFetchSite: string | undefined;
}) {
  return method.toUpperCase() === "POST" && origin === undefined && secFetchSite === undefined && SERVER_POSTS.test(path);
}

export type OriginInput = {
  /** The scheme Express saw (it honours X-Forwarded-Proto only under TRUST_PROXY). */
  protocol: string;
  host: string | undefined;
  forwardedHost: string | undefined;
  trustProxy: boolean;
  /** ORIGIN, when the operator set it. */
  configured: string | undefined;
};

/**
 * The one place that decides a request's public origin: ORIGIN when it is set (a proxy may send
 * any Host), else the host the client named — or, behind a trusted proxy, the one it forwarded.
 * Null when that is not a plain host[:port], which the server answers with 400.
 */
export function requestOrigin({ protocol, host, forwardedHost, trustProxy, configured }: OriginInput): string | null {
  if (configured) return configuredOrigin(configured);
  const named = (trustProxy && forwardedHost?.split(",")[0]?.trim()) || host;
  return named ? plainOrigin(`${protocol}://${named}`) : null;
}

/** ORIGIN as an origin, or an error that names it: a server must not start on a malformed one. */
export function configuredOrigin(value: string): string {
  const origin = plainOrigin(value.replace(/\/$/, ""));
  if (!origin) throw new Error(`ORIGIN must be a scheme and host such as https://unclench.example, not ${JSON.stringify(value)}`);
  return origin;
}

function plainOrigin(candidate: string): string | null {
  if (!URL.canParse(candidate)) return null;
  const url = new URL(candidate);
  const plain = (url.protocol === "http:" || url.protocol === "https:") && !url.username && !url.password && url.pathname === "/" && !url.search && !url.hash;
  // Rejects anything the URL parser had to repair: spaces, slashes, "@" and the like inside a Host.
  return plain && candidate.toLowerCase().startsWith(url.origin.replace(/:\d+$/, "")) ? url.origin : null;
}
