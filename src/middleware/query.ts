import { createMiddleware } from "hono/factory";
import { validationError } from "../lib/errors";
import type { AppEnv } from "../types";

/**
 * Hono's query parser drops a parameter whose name is empty (`?=false`), so a strict query schema
 * never sees it: refused here, as every unknown parameter is. `defineRoute` puts it on every route
 * with a query schema.
 */
export const namedQueryParameters = createMiddleware<AppEnv>(async (c, next) => {
  const query = c.req.url.slice(c.req.url.indexOf("?") + 1 || c.req.url.length);
  if (query.split("&").some((pair) => pair.startsWith("="))) {
    throw validationError([
      { path: "query", code: "whitelistValidation", message: "every query parameter must have a name" },
    ]);
  }
  await next();
});
