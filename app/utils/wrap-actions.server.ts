import type { ActionFunction, ServerBuild } from "@remix-run/node";

/** The build with every route's action replaced by `wrap(action, routeId)`; loaders untouched. */
export function wrapActions(build: ServerBuild, wrap: (action: ActionFunction, routeId: string) => ActionFunction): ServerBuild {
  const routes = Object.fromEntries(
    Object.entries(build.routes).map(([id, route]) => {
      const action = route.module.action;
      return [id, action ? { ...route, module: { ...route.module, action: wrap(action, id) } } : route];
    }),
  );
  return { ...build, routes };
}
