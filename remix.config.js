/** @type {import('@remix-run/dev').AppConfig} */
export default {
  ignoredRouteFiles: ["**/.*", "**/*.test.{ts,tsx}"],
  serverModuleFormat: "esm",
  // Native addons and the database singleton must stay external (one copy per process).
  serverDependenciesToBundle: [],
  // Opt in to the v3 behaviours early; single fetch stays off so loaders keep returning json().
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
  },
};
