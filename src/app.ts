// First: zod 4 binds prototype additions onto each schema as it is built, and the document's generator
// needs @hono/zod-openapi's `.openapi()` on every schema (see test/extend-zod.ts).
import "@hono/zod-openapi";
import { installBase } from "./app-base";
import { apiKeyRoutes } from "./routes/api-keys";
import { contactRoutes } from "./routes/contacts";
import { customAttributeRoutes } from "./routes/custom-attributes";
import { createRouter } from "./routes/define-route";
import { hookRoutes } from "./routes/hooks";
import { importRoutes } from "./routes/imports";
import { metaRoutes } from "./routes/meta";
import { webhookEndpointRoutes } from "./routes/webhook-endpoints";
import { webhookSourceRoutes } from "./routes/webhook-sources";

/**
 * The whole API, every route built now. Every route is declared once (`defineRoute` in
 * `src/routes/**`); the OpenAPI document is generated from those declarations
 * (`src/routes/meta/openapi.ts`). The middleware, `onError` and `notFound` are `installBase`'s.
 * Tests, the typed client and the build of the document use this app; the deployed Worker builds
 * the same routers one group at a time, on the first request for each (`src/worker.ts`).
 */
export function createApp() {
  const app = installBase(createRouter());
  // Chained, so that the type of the app carries every route for the typed client (src/client.ts).
  return app
    .route("/", contactRoutes)
    .route("/", importRoutes)
    .route("/", customAttributeRoutes)
    .route("/", webhookSourceRoutes)
    .route("/", apiKeyRoutes)
    .route("/", webhookEndpointRoutes)
    .route("/", hookRoutes)
    .route(
      "/",
      metaRoutes(() => app),
    );
}

export type App = ReturnType<typeof createApp>;
