// The module "./route-docs" (src/routes/route-docs.ts, as src/routes/define-route.ts imports it) in
// the Worker bundle (ALIASES of scripts/build-worker.ts): what the OpenAPI document says of each route beyond its
// declaration (error answers with their examples, headers, security). `defineRoute` calls it only
// where `DOCS` is true (src/lib/docs.ts), never in the deployed Worker, whose document is
// public/openapi.json. Should a Worker build ever lack the `DOCS` define, the route is returned as
// declared: it routes and validates the same.
// Tests and Node scripts use the real module.
import type { RouteConfig } from "@hono/zod-openapi";

export const documentRoute = (config: RouteConfig): RouteConfig => config;
