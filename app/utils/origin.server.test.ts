import { describe, expect, it } from "vitest";
import { configuredOrigin, isSameOriginRequest, isServerPost, requestOrigin } from "./origin.server.ts";

const ownOrigin = "http://localhost:3000";

describe("same-origin check for state-changing requests", () => {
  it("lets safe methods through whatever their origin", () => {
    expect(isSameOriginRequest({ method: "GET", origin: "https://evil.example", secFetchSite: "cross-site", ownOrigin })).toBe(true);
    expect(isSameOriginRequest({ method: "HEAD", origin: undefined, secFetchSite: undefined, ownOrigin })).toBe(true);
  });

  it("accepts a POST from our own origin", () => {
    expect(isSameOriginRequest({ method: "POST", origin: ownOrigin, secFetchSite: "same-origin", ownOrigin })).toBe(true);
    expect(isSameOriginRequest({ method: "POST", origin: ownOrigin, secFetchSite: undefined, ownOrigin })).toBe(true);
  });

  it.each([
    ["another site", "https://evil.example", undefined],
    ["a sibling port", "http://localhost:3001", undefined],
    ["an opaque origin", "null", undefined],
    ["a cross-site fetch", ownOrigin, "cross-site"],
    ["a same-site subdomain", ownOrigin, "same-site"],
    ["no origin information at all", undefined, undefined],
  ])("refuses a POST from %s", (_label, origin, secFetchSite) => {
    expect(isSameOriginRequest({ method: "POST", origin, secFetchSite, ownOrigin })).toBe(false);
  });
});

describe("POSTs from servers, not browsers", () => {
  const post = (path: string, origin?: string, secFetchSite?: string) => isServerPost({ method: "POST", path, origin, secFetchSite });

  it("lets a headerless POST reach the one-click unsubscribe link and the mail-events hook", () => {
    expect(post("/unsubscribe/1.replies.abc.sig")).toBe(true);
    expect(post("/hooks/mail-events")).toBe(true);
  });

  it.each([
    ["another page", "/logout", undefined, undefined],
    ["a path beyond the link", "/unsubscribe/x/y", undefined, undefined],
    ["a browser naming another site", "/unsubscribe/x", "https://evil.example", undefined],
    ["a browser's cross-site fetch", "/hooks/mail-events", undefined, "cross-site"],
  ])("refuses %s", (_label, path, origin, secFetchSite) => {
    expect(post(path, origin, secFetchSite)).toBe(false);
  });
});

describe("the request's public origin", () => {
  const from = (input: Partial<Parameters<typeof requestOrigin>[0]>) =>
    requestOrigin({ protocol: "http", host: "localhost:3000", forwardedHost: undefined, trustProxy: false, configured: undefined, ...input });

  it("is ORIGIN when set, whatever Host a proxy passes", () => {
    expect(from({ configured: "https://unclench.example", host: "127.0.0.1:3000", forwardedHost: "other.example" })).toBe("https://unclench.example");
    expect(from({ configured: "https://unclench.example/" })).toBe("https://unclench.example");
  });

  it("is the Host the client named without a proxy, ignoring X-Forwarded-Host", () => {
    expect(from({ forwardedHost: "evil.example" })).toBe("http://localhost:3000");
  });

  it("is the forwarded host (with its port) behind a trusted proxy", () => {
    expect(from({ trustProxy: true, protocol: "https", forwardedHost: "forum.example:8443, inner" })).toBe("https://forum.example:8443");
    expect(from({ trustProxy: true, forwardedHost: undefined })).toBe("http://localhost:3000");
  });

  it.each(["a b", "localhost:99999", "localhost/evil", "user@localhost", "localhost?x", "localhost#x", "local\\host", ""])("is null for the Host %j", (host) =>
    expect(from({ host })).toBeNull(),
  );

  it("refuses a malformed ORIGIN at once", () => {
    expect(() => configuredOrigin("unclench.example")).toThrow(/ORIGIN/);
    expect(() => configuredOrigin("https://unclench.example/forum")).toThrow(/ORIGIN/);
  });
});
