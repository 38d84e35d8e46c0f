import { describe, expect, it } from "vitest";
import { isSameOriginRequest } from "./origin.server.ts";

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
