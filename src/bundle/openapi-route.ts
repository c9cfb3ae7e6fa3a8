// The module "./openapi" (src/routes/meta/openapi.ts, as src/routes/meta/index.ts imports it) in the
// Worker bundle (ALIASES of scripts/build-worker.ts). The deployed Worker never builds the OpenAPI document:
// public/openapi.json, written by the [build] step from the same declarations, is a static asset,
// which Workers Assets serves before the Worker is reached (`wrangler dev` too). What stays is the
// route itself, answering 404 like any path the Worker does not serve, should a request ever get
// here. Tests and Node scripts (and the document itself) use the real module. ~1.7 KB gzip.
import type { Context } from "hono";

export const route = { method: "get", path: "/openapi.json" } as const;

export const documentHandler = () => (c: Context) => c.notFound();
