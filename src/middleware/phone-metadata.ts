import { createMiddleware } from "hono/factory";
import { orUnavailable } from "../lib/errors";
import { loadPhoneMetadata } from "../lib/phone-metadata";
import type { AppEnv } from "../types";

/**
 * Before the routes that read phones (`/api/*`, `/hooks/*`): the isolate's phone metadata is loaded
 * (in the Worker, read once from its static assets: src/bundle/phone-metadata.ts; in the tests, there
 * already). A failed read is a dependency down: `503`, and the next request reads again.
 */
export const phoneMetadata = createMiddleware<AppEnv>(async (c, next) => {
  const loading = loadPhoneMetadata(c.env.ASSETS);
  if (loading) await orUnavailable(loading);
  await next();
});
