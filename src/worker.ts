import type { Hono } from "hono";
import type { Schema } from "hono/types";
import { getPath } from "hono/utils/url";
import type { AppEnv } from "./types";

type Router = Hono<AppEnv, Schema, string>;

/**
 * The routers of `createApp` (src/app.ts), each under the first segments of the paths it serves
 * (`/api/<resource>`, or the first segment outside `/api`). A router and everything it imports (its
 * zod schemas, validators, services, libphonenumber for the contact routes) is evaluated
 * on the first request for one of its paths, not when the isolate starts: esbuild turns each
 * `import()` into a lazily run part of the one bundle, and a module is evaluated once, by whichever
 * router needs it first. test/worker.test.ts checks that every route of `createApp()` is found
 * here, in the router that serves it.
 */
export const ROUTE_GROUPS: Record<string, () => Promise<Router>> = {
  // The file import's routes (`/api/contact/ingestion/…`) fall under `/api/contact` too.
  "/api/contact": () =>
    Promise.all([import("./routes/define-route"), import("./routes/contacts"), import("./routes/imports")]).then(
      ([{ createRouter }, { contactRoutes }, { importRoutes }]) =>
        createRouter().route("/", contactRoutes).route("/", importRoutes) as unknown as Router,
    ),
  "/api/custom-attributes": () => import("./routes/custom-attributes").then((m) => m.customAttributeRoutes),
  "/api/webhook-sources": () => import("./routes/webhook-sources").then((m) => m.webhookSourceRoutes),
  "/api/keys": () => import("./routes/api-keys").then((m) => m.apiKeyRoutes),
  "/api/webhook-endpoints": () => import("./routes/webhook-endpoints").then((m) => m.webhookEndpointRoutes),
  "/hooks": () => import("./routes/hooks").then((m) => m.hookRoutes),
  // /openapi.json is a static asset (Workers Assets answers before the Worker, `wrangler dev` too): in
  // the Worker's bundle its handler is src/bundle/openapi-route.ts, a 404. In the tests it is the real
  // one, which builds the whole app on its first request.
  ...Object.fromEntries(
    ["/health", "/api/me", "/openapi.json", "/docs"].map((path) => [
      path,
      () => import("./routes/meta").then((m) => m.metaRoutes(() => import("./app").then((app) => app.createApp()))),
    ]),
  ),
};

/** The key of {@link ROUTE_GROUPS} that a path falls under: `/api/contact/…` → `/api/contact`, `/hooks/…` → `/hooks`. */
export function groupOf(path: string): string {
  const depth = path.startsWith("/api/") ? 2 : 1;
  let end = 0;
  for (let i = 0; i < depth && end >= 0; i++) end = path.indexOf("/", end + 1);
  return end < 0 ? path : path.slice(0, end);
}

/** Paths that no router serves: the same middleware, then `404` (or `401` first under `/api`). */
const NO_ROUTES = async (): Promise<Router> => {
  throw new Error("never loaded: stands for the paths of no group");
};

/**
 * A Worker `fetch` over {@link ROUTE_GROUPS}: one app per group (the base of `createApp`, whose
 * middleware are loaded lazily too, plus that group's router), built on the group's first request.
 * `requestLog: false` only for the benchmark's A0.
 */
export function createFetch(options: { requestLog?: boolean } = {}) {
  const apps = new Map<() => Promise<Router>, Router | Promise<Router>>();
  const appFor = (load: () => Promise<Router>): Router | Promise<Router> => {
    let app = apps.get(load);
    if (!app) {
      app = Promise.all([import("./app-base"), load === NO_ROUTES ? undefined : load()]).then(([base, router]) => {
        const built = base.createBaseApp(options) as unknown as Router;
        if (router) built.route("/", router);
        apps.set(load, built);
        return built;
      });
      // A failed load is tried again by the next request, not remembered.
      app.catch(() => apps.delete(load));
      apps.set(load, app);
    }
    return app;
  };
  return async (request: Request, env: AppEnv["Bindings"], ctx: ExecutionContext): Promise<Response> => {
    const app = appFor(ROUTE_GROUPS[groupOf(getPath(request))] ?? NO_ROUTES);
    return (app instanceof Promise ? await app : app).fetch(request, env, ctx);
  };
}

/** The Worker's `fetch`: the app of the path's group, built on its first request. */
export const fetch = createFetch();
