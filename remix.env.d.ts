/// <reference types="@remix-run/dev" />
/// <reference types="@remix-run/node" />

import "@remix-run/node";
declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request CSP nonce for Remix's inline scripts (set in server.ts). */
    nonce: string;
  }
}
